import type { ClusterPolicyKind, Protocol } from '../../engine/index.js';
import type { WizardState } from '../wizard.js';

/** The screens of the UI. */
export type Screen =
  | { readonly id: 'namespaces' }
  | { readonly id: 'pods' }
  | { readonly id: 'policies' }
  | { readonly id: 'services' }
  | { readonly id: 'cluster-policies' }
  | { readonly id: 'pod-detail'; readonly podId: string }
  | { readonly id: 'policy-detail'; readonly policyKey: string }
  | {
      readonly id: 'cluster-policy-detail';
      readonly kind: ClusterPolicyKind;
      readonly name: string;
    }
  | { readonly id: 'check' }
  | { readonly id: 'yaml'; readonly objectKey: string }
  | { readonly id: 'help' }
  | { readonly id: 'audit' }
  | { readonly id: 'audit-finding'; readonly index: number }
  /** The matrix of the namespace in view, or of `scope` when given. */
  | { readonly id: 'matrix'; readonly scope?: MatrixScope }
  /** The template picker; `selected` is the template under its cursor (else the wizard's). */
  | { readonly id: 'scaffold-template'; readonly selected?: number }
  | { readonly id: 'scaffold-form' }
  | { readonly id: 'scaffold-preview' };

/** What a matrix screen shows besides the namespace in view: marked pods, or namespaces. */
export type MatrixScope =
  | { readonly kind: 'pods'; readonly pods: readonly string[] }
  | { readonly kind: 'namespaces'; readonly namespaces: readonly string[] };

/** Screens that show a list with a cursor and a filter. */
export type ListScreenId =
  | 'namespaces'
  | 'pods'
  | 'policies'
  | 'services'
  | 'cluster-policies'
  | 'audit';

/** The fields of the traffic-check form, in tab order; "result" is the verdict below them. */
export const CHECK_FIELDS = ['source', 'destination', 'port', 'protocol', 'result'] as const;

/** A field of the traffic-check form. */
export type CheckField = (typeof CHECK_FIELDS)[number];

/** The question of a traffic check, as typed. */
export interface CheckQuestion {
  readonly source: string;
  readonly destination: string;
  readonly port: string;
  readonly protocol: Protocol;
}

/** The traffic-check form. */
export interface CheckForm extends CheckQuestion {
  readonly focus: CheckField;
  /** Bumped on each submission. */
  readonly submitted: number;
  /** The question as last submitted (trimmed): the verdict shown is for it, not for half-typed fields. */
  readonly asked?: CheckQuestion;
  /** Submitted, its verdict not yet come: the verdict takes the focus when it comes, if it ran. */
  readonly awaitingVerdict?: boolean;
}

/** What the keyboard is typing into, if anything: a filter, a jump, a file name, a y/n answer. */
export type InputMode = 'normal' | 'filter' | 'command' | 'save' | 'confirm';

/** A question waiting for y or n before something is written. */
export type Confirmation =
  | { readonly kind: 'overwrite'; readonly path: string }
  | {
      readonly kind: 'apply';
      readonly question: string;
      /** What applying changes (objects, flows, spec lines), shown before the question. */
      readonly preview: readonly string[];
      /** The apply takes over fields other managers own (the user said y to forcing it). */
      readonly force: boolean;
    }
  | {
      /** The server refused the dry run: other field managers own fields the apply sets. */
      readonly kind: 'force-apply';
      readonly question: string;
      /** The fields and their managers, shown before the question. */
      readonly preview: readonly string[];
    };

/** A message shown in the flash line. */
export interface Flash {
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
}

/** Everything the UI remembers between key presses. */
export interface UiState {
  readonly stack: readonly Screen[];
  readonly cursors: Readonly<Record<ListScreenId, number>>;
  readonly filters: Readonly<Record<ListScreenId, string>>;
  /** The matrix screen's cell under the cursor. */
  readonly matrixCursor: { readonly row: number; readonly column: number };
  /** Pods marked in the pods list (ids, in the order marked), for the matrix of a selection. */
  readonly marks: readonly string[];
  /** Scroll offset of text screens (detail, YAML, help). */
  readonly scroll: number;
  /** Namespace the pods, policies and services lists are narrowed to; undefined: all. */
  readonly namespace: string | undefined;
  readonly mode: InputMode;
  /** What is being typed after "/" or ":". */
  readonly input: string;
  /** The input is a suggestion (a save's file name), selected: typing replaces it. */
  readonly inputSelected: boolean;
  readonly check: CheckForm;
  /** The latest one-shot message (an action's outcome); the next key press dismisses it. */
  readonly flash: Flash | undefined;
  /**
   * Conditions that hold until their source reports otherwise (a lost watch, problems in the
   * snapshot), by source; shown when no one-shot message is.
   */
  readonly conditions: Readonly<Record<string, Flash>>;
  /** Set when the namespaces screen was opened to pick a namespace ("n"). */
  readonly pickingNamespace: boolean;
  /** The scaffold wizard, while it is open. */
  readonly wizard: WizardState | undefined;
  /** What "y" would confirm, in the confirm input mode. */
  readonly confirmation: Confirmation | undefined;
}

/** Actions on the screen stack, the lists' cursors and the scroll offset. */
export type NavigationAction =
  | { readonly type: 'move'; readonly delta: number; readonly size: number }
  | { readonly type: 'scroll'; readonly delta: number; readonly max: number }
  /** Moves the matrix screen's cursor by rows and columns, within a square of `size`. */
  | {
      readonly type: 'matrix-move';
      readonly rows: number;
      readonly columns: number;
      readonly size: number;
    }
  | { readonly type: 'open'; readonly screen: Screen }
  | { readonly type: 'back' }
  /** A ":" jump: the screen alone on the stack, narrowed to `namespace` when given. */
  | { readonly type: 'jump'; readonly screen: Screen; readonly namespace?: string }
  | { readonly type: 'choose-namespace'; readonly namespace: string | undefined }
  | { readonly type: 'pick-namespace' }
  /** Marks a pod of the pods list, or unmarks it if marked. */
  | { readonly type: 'toggle-mark'; readonly podId: string };

/** Actions on what is being typed: a filter, a jump, a file name, a field, a y/n answer. */
export type TextInputAction =
  | {
      readonly type: 'start-input';
      readonly mode: 'filter' | 'command' | 'save';
      readonly text?: string;
      /** The text is a suggestion that typing replaces (backspace edits it instead). */
      readonly selected?: boolean;
    }
  | { readonly type: 'confirm'; readonly confirmation: Confirmation }
  | { readonly type: 'type'; readonly text: string }
  /** Erases the last character, or (`all`, ctrl-u) everything typed. */
  | { readonly type: 'erase'; readonly all?: boolean }
  /** Tab's completion: the text being edited becomes `text`. */
  | { readonly type: 'replace'; readonly text: string }
  | { readonly type: 'end-input'; readonly keep: boolean };

/** Actions on the traffic-check form. */
export type CheckAction =
  | {
      readonly type: 'check-from';
      readonly source: string;
      readonly destination?: string;
      /** The port to ask about, and its protocol (the matrix's cell fills them in). */
      readonly port?: { readonly protocol: Protocol; readonly port: string };
    }
  | { readonly type: 'check-focus'; readonly delta: number }
  | { readonly type: 'check-protocol'; readonly protocol: Protocol }
  | { readonly type: 'check-submit' }
  /**
   * The verdict of `asked` came: if the check ran, the verdict takes the focus (else the field
   * keeps it, to be corrected), unless the form was submitted again or left meanwhile.
   */
  | { readonly type: 'check-ran'; readonly asked: CheckQuestion; readonly ran: boolean };

/** Actions on the flash line. */
export type FlashAction =
  | { readonly type: 'flash'; readonly flash: Flash | undefined }
  /** A source reports a condition, or (flash undefined) that it no longer holds. */
  | { readonly type: 'condition'; readonly source: string; readonly flash: Flash | undefined };

/** Actions on the scaffold wizard. */
export type WizardAction =
  | { readonly type: 'wizard-open'; readonly wizard: WizardState; readonly chosen: boolean }
  | { readonly type: 'wizard-template'; readonly templateId: string }
  /** Moves the template picker's cursor. */
  | { readonly type: 'wizard-highlight'; readonly delta: number }
  | { readonly type: 'wizard-focus'; readonly delta: number }
  | { readonly type: 'wizard-set'; readonly value: string }
  | { readonly type: 'wizard-close' };

/** The actions the reducer understands. */
export type UiAction =
  | NavigationAction
  | TextInputAction
  | CheckAction
  | FlashAction
  | WizardAction;

/** The screen on top of the stack. */
export function currentScreen(state: UiState): Screen {
  return state.stack[state.stack.length - 1] ?? { id: 'namespaces' };
}

/** The list screen on top, if the top is a list. */
export function currentList(state: UiState): ListScreenId | undefined {
  const id = currentScreen(state).id;
  return id === 'namespaces' ||
    id === 'pods' ||
    id === 'policies' ||
    id === 'services' ||
    id === 'cluster-policies' ||
    id === 'audit'
    ? id
    : undefined;
}

/** Whether a question names all a check needs: a source, a destination and a port. */
export function isCompleteQuestion(asked: CheckQuestion): boolean {
  return asked.source !== '' && asked.destination !== '' && asked.port !== '';
}

/** The question a form asks, trimmed, as a submission records it. */
export function askedQuestion(form: CheckQuestion): CheckQuestion {
  return {
    source: form.source.trim(),
    destination: form.destination.trim(),
    port: form.port.trim(),
    protocol: form.protocol,
  };
}
