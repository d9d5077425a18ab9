import type { Protocol } from '../engine/index.js';
import { fieldValue, focusedField, type WizardState, wizardTemplate } from './wizard.js';

/** The screens of the UI. */
export type Screen =
  | { readonly id: 'namespaces' }
  | { readonly id: 'pods' }
  | { readonly id: 'policies' }
  | { readonly id: 'pod-detail'; readonly podId: string }
  | { readonly id: 'check' }
  | { readonly id: 'yaml'; readonly objectKey: string }
  | { readonly id: 'help' }
  | { readonly id: 'audit' }
  | { readonly id: 'audit-finding'; readonly index: number }
  | { readonly id: 'scaffold-template' }
  | { readonly id: 'scaffold-form' }
  | { readonly id: 'scaffold-preview' };

/** Screens that show a list with a cursor and a filter. */
export type ListScreenId = 'namespaces' | 'pods' | 'policies' | 'audit';

/** The fields of the traffic-check form, in tab order; "result" is the verdict below them. */
export const CHECK_FIELDS = ['source', 'destination', 'port', 'protocol', 'result'] as const;

/** A field of the traffic-check form. */
export type CheckField = (typeof CHECK_FIELDS)[number];

/** The traffic-check form. */
export interface CheckForm {
  readonly source: string;
  readonly destination: string;
  readonly port: string;
  readonly protocol: Protocol;
  readonly focus: CheckField;
  /** Bumped on each submission. */
  readonly submitted: number;
  /** The question as last submitted (trimmed): the verdict shown is for it, not for half-typed fields. */
  readonly asked?: {
    readonly source: string;
    readonly destination: string;
    readonly port: string;
    readonly protocol: Protocol;
  };
}

/** What the keyboard is typing into, if anything: a filter, a jump, a file name, a y/n answer. */
export type InputMode = 'normal' | 'filter' | 'command' | 'save' | 'confirm';

/** A question waiting for y or n before something is written. */
export type Confirmation =
  | { readonly kind: 'overwrite'; readonly path: string }
  | { readonly kind: 'apply'; readonly question: string };

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
  /** Scroll offset of text screens (detail, YAML, help). */
  readonly scroll: number;
  /** Namespace the pods and policies lists are narrowed to; undefined: all. */
  readonly namespace: string | undefined;
  readonly mode: InputMode;
  /** What is being typed after "/" or ":". */
  readonly input: string;
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

/** The actions the reducer understands. */
export type UiAction =
  | { readonly type: 'move'; readonly delta: number; readonly size: number }
  | { readonly type: 'scroll'; readonly delta: number; readonly max: number }
  | { readonly type: 'open'; readonly screen: Screen }
  | { readonly type: 'back' }
  | { readonly type: 'jump'; readonly screen: Screen }
  | { readonly type: 'choose-namespace'; readonly namespace: string | undefined }
  | { readonly type: 'pick-namespace' }
  | {
      readonly type: 'start-input';
      readonly mode: 'filter' | 'command' | 'save';
      readonly text?: string;
    }
  | { readonly type: 'confirm'; readonly confirmation: Confirmation }
  | { readonly type: 'type'; readonly text: string }
  | { readonly type: 'erase' }
  | { readonly type: 'end-input'; readonly keep: boolean }
  | { readonly type: 'check-from'; readonly source: string; readonly destination?: string }
  | { readonly type: 'check-focus'; readonly delta: number }
  | { readonly type: 'check-protocol'; readonly protocol: Protocol }
  /** focusResult: the check ran, so the verdict takes the focus (else the field keeps it). */
  | { readonly type: 'check-submit'; readonly focusResult?: boolean }
  | { readonly type: 'flash'; readonly flash: Flash | undefined }
  /** A source reports a condition, or (flash undefined) that it no longer holds. */
  | { readonly type: 'condition'; readonly source: string; readonly flash: Flash | undefined }
  | { readonly type: 'wizard-open'; readonly wizard: WizardState; readonly chosen: boolean }
  | { readonly type: 'wizard-template'; readonly templateId: string }
  | { readonly type: 'wizard-focus'; readonly delta: number }
  | { readonly type: 'wizard-set'; readonly value: string }
  | { readonly type: 'wizard-close' };

/** The state the UI starts in. */
export function initialState(namespace?: string): UiState {
  return {
    stack: [namespace ? { id: 'pods' } : { id: 'namespaces' }],
    cursors: { namespaces: 0, pods: 0, policies: 0, audit: 0 },
    filters: { namespaces: '', pods: '', policies: '', audit: '' },
    scroll: 0,
    namespace,
    mode: 'normal',
    input: '',
    check: {
      source: '',
      destination: '',
      port: '',
      protocol: 'TCP',
      focus: 'source',
      submitted: 0,
    },
    flash: undefined,
    conditions: {},
    pickingNamespace: false,
    wizard: undefined,
    confirmation: undefined,
  };
}

/** The question a form asks, trimmed, as a submission records it. */
export function askedQuestion(form: CheckForm): NonNullable<CheckForm['asked']> {
  return {
    source: form.source.trim(),
    destination: form.destination.trim(),
    port: form.port.trim(),
    protocol: form.protocol,
  };
}

const SEVERITY = { info: 0, warning: 1, error: 2 } as const;

/** What the flash line shows: the one-shot message, else the most severe condition that holds. */
export function shownFlash(state: UiState): Flash | undefined {
  if (state.flash) return state.flash;
  let worst: Flash | undefined;
  for (const flash of Object.values(state.conditions)) {
    if (!worst || SEVERITY[flash.level] > SEVERITY[worst.level]) worst = flash;
  }
  return worst;
}

/** The screen on top of the stack. */
export function currentScreen(state: UiState): Screen {
  return state.stack[state.stack.length - 1] ?? { id: 'namespaces' };
}

/** The list screen on top, if the top is a list. */
export function currentList(state: UiState): ListScreenId | undefined {
  const id = currentScreen(state).id;
  return id === 'namespaces' || id === 'pods' || id === 'policies' || id === 'audit'
    ? id
    : undefined;
}

function clamp(value: number, size: number): number {
  return Math.max(0, Math.min(value, size - 1));
}

function withCheckField(state: UiState, update: (value: string) => string): UiState {
  const field = state.check.focus;
  if (field === 'protocol' || field === 'result') return state;
  return { ...state, check: { ...state.check, [field]: update(state.check[field]) } };
}

/** Edits the focused field of the wizard; typing never changes a choice (only wizard-set does). */
function withWizardField(
  state: UiState,
  update: (value: string) => string,
  typing = true,
): UiState {
  const wizard = state.wizard;
  const field = wizard && focusedField(wizard);
  if (!wizard || !field || (typing && field.choices)) return state;
  const values = { ...wizard.values, [field.id]: update(fieldValue(wizard, field)) };
  return { ...state, wizard: { ...wizard, values } };
}

/** Where typed text goes on the screen shown, in normal mode. */
function editedField(
  state: UiState,
): ((s: UiState, f: (v: string) => string) => UiState) | undefined {
  if (state.mode !== 'normal') return undefined;
  const id = currentScreen(state).id;
  return id === 'check' ? withCheckField : id === 'scaffold-form' ? withWizardField : undefined;
}

/**
 * Whether typed text goes into a field (a filter, a jump, a file name, a form field) rather
 * than being taken as keys: a run of text that arrives at once goes in whole.
 */
export function typingIntoField(state: UiState): boolean {
  if (state.mode === 'confirm') return false;
  if (state.mode !== 'normal') return true;
  const id = currentScreen(state).id;
  if (id === 'check') return state.check.focus !== 'protocol' && state.check.focus !== 'result';
  const field = id === 'scaffold-form' && state.wizard ? focusedField(state.wizard) : undefined;
  return field !== undefined && !field.choices;
}

/** The UI's reducer: pure, so every key path can be tested without rendering. */
export function reduce(state: UiState, action: UiAction): UiState {
  const list = currentList(state);
  switch (action.type) {
    case 'move': {
      if (!list) return state;
      const cursor = clamp(state.cursors[list] + action.delta, action.size);
      return { ...state, cursors: { ...state.cursors, [list]: cursor } };
    }
    case 'scroll':
      return { ...state, scroll: Math.max(0, Math.min(state.scroll + action.delta, action.max)) };
    case 'open':
      return { ...state, stack: [...state.stack, action.screen], scroll: 0, flash: undefined };
    case 'back':
      if (state.stack.length <= 1) return { ...state, pickingNamespace: false };
      return { ...state, stack: state.stack.slice(0, -1), scroll: 0, pickingNamespace: false };
    case 'jump':
      return { ...state, stack: [action.screen], scroll: 0, pickingNamespace: false };
    case 'pick-namespace':
      return { ...state, stack: [...state.stack, { id: 'namespaces' }], pickingNamespace: true };
    case 'choose-namespace': {
      const stack: Screen[] = state.pickingNamespace ? state.stack.slice(0, -1) : [...state.stack];
      if (!state.pickingNamespace) stack.push({ id: 'pods' });
      return {
        ...state,
        stack,
        namespace: action.namespace,
        cursors: { ...state.cursors, pods: 0, policies: 0 },
        pickingNamespace: false,
      };
    }
    case 'start-input':
      return {
        ...state,
        mode: action.mode,
        input: action.text ?? (action.mode === 'filter' && list ? state.filters[list] : ''),
      };
    case 'confirm':
      return { ...state, mode: 'confirm', input: '', confirmation: action.confirmation };
    case 'type': {
      const edit = editedField(state);
      if (edit) return edit(state, (value) => value + action.text);
      return state.mode === 'normal' || state.mode === 'confirm'
        ? state
        : applyFilter({ ...state, input: state.input + action.text });
    }
    case 'erase': {
      const edit = editedField(state);
      if (edit) return edit(state, (value) => value.slice(0, -1));
      return state.mode === 'normal' || state.mode === 'confirm'
        ? state
        : applyFilter({ ...state, input: state.input.slice(0, -1) });
    }
    case 'end-input': {
      // enter keeps a filter; esc (while typing it, or later on the list) clears it.
      if (action.keep || (state.mode !== 'filter' && state.mode !== 'normal') || !list) {
        return { ...state, mode: 'normal', input: '', confirmation: undefined };
      }
      return {
        ...state,
        mode: 'normal',
        input: '',
        filters: { ...state.filters, [list]: '' },
        cursors: { ...state.cursors, [list]: 0 },
      };
    }
    case 'check-from':
      return {
        ...state,
        stack: [...state.stack, { id: 'check' }],
        scroll: 0,
        check: {
          ...state.check,
          source: action.source,
          destination: action.destination ?? state.check.destination,
          focus: action.destination ? 'port' : 'destination',
        },
      };
    case 'check-focus': {
      // The verdict is focused only by running a check; tabbing cycles through the inputs.
      const inputs = CHECK_FIELDS.filter((f) => f !== 'result');
      const at =
        state.check.focus === 'result'
          ? action.delta > 0
            ? -1
            : inputs.length
          : inputs.indexOf(state.check.focus);
      const focus = inputs[(at + action.delta + inputs.length) % inputs.length] as CheckField;
      return { ...state, check: { ...state.check, focus } };
    }
    case 'check-protocol':
      return { ...state, check: { ...state.check, protocol: action.protocol } };
    case 'check-submit':
      return {
        ...state,
        scroll: 0,
        check: {
          ...state.check,
          focus: action.focusResult ? 'result' : state.check.focus,
          submitted: state.check.submitted + 1,
          asked: askedQuestion(state.check),
        },
      };
    case 'flash':
      return { ...state, flash: action.flash };
    case 'condition': {
      const { [action.source]: _gone, ...others } = state.conditions;
      return {
        ...state,
        conditions: action.flash ? { ...others, [action.source]: action.flash } : others,
      };
    }
    case 'wizard-open': {
      const screens: Screen[] = [{ id: 'scaffold-template' }];
      if (action.chosen) screens.push({ id: 'scaffold-form' });
      return { ...state, stack: [...state.stack, ...screens], wizard: action.wizard, scroll: 0 };
    }
    case 'wizard-template': {
      if (!state.wizard) return state;
      const wizard = { ...state.wizard, templateId: action.templateId, focus: 0 };
      return { ...state, stack: [...state.stack, { id: 'scaffold-form' }], wizard };
    }
    case 'wizard-focus': {
      if (!state.wizard) return state;
      const count = wizardTemplate(state.wizard).fields.length;
      const focus = (state.wizard.focus + action.delta + count) % count;
      return { ...state, wizard: { ...state.wizard, focus } };
    }
    case 'wizard-set':
      return withWizardField(state, () => action.value, false);
    case 'wizard-close': {
      const first = state.stack.findIndex((screen) => screen.id.startsWith('scaffold-'));
      const stack = first < 0 ? state.stack : state.stack.slice(0, Math.max(1, first));
      return { ...state, stack, wizard: undefined, scroll: 0 };
    }
  }
}

/** Typing in filter mode narrows the current list live and puts its cursor back on top. */
function applyFilter(state: UiState, mode: InputMode = state.mode): UiState {
  const list = currentList(state);
  if (state.mode !== 'filter' || !list) return { ...state, mode };
  return {
    ...state,
    mode,
    filters: { ...state.filters, [list]: state.input },
    cursors: { ...state.cursors, [list]: 0 },
  };
}
