import { type AuditFinding, PROTOCOLS, type Protocol } from '../engine/index.js';
import { jumpNamed } from './jump-commands.js';
import { ESC_KEY, firstKey, type KeyPress, type NamedKey, pastedLine } from './key-presses.js';
import { bindingFor, type Command, type KeyAvailability, type KeyContext } from './keymap.js';
import type { ListRow, ShownList } from './list-rows.js';
import type { MatrixView } from './matrix-view.js';
import type { SnapshotNames } from './snapshot-names.js';
import {
  currentScreen,
  type Screen,
  selectedTemplate,
  typingIntoField,
  type UiAction,
  type UiState,
} from './state.js';
import { choicesText, completeCommand, type TabCompletion } from './tab-completion.js';
import type { ServiceRow } from './view-model.js';
import { completeTerm, fieldValue, focusedField, nextChoice, WIZARD_TEMPLATES } from './wizard.js';
import {
  type WizardStart,
  wizardForFinding,
  wizardForNamespace,
  wizardForPod,
} from './wizard-prefill.js';

/** What the App does for a key besides changing the state: each one reaches outside it. */
export type Effect =
  | { readonly type: 'quit' }
  | { readonly type: 'suspend' }
  | { readonly type: 'reload' }
  /** Saves the wizard's policies; an existing file is replaced only when `overwrite`. */
  | { readonly type: 'save-file'; readonly path: string; readonly overwrite: boolean }
  /**
   * Has the server dry-run the wizard's policies, then asks before creating them; `force`
   * takes over fields other managers own, as --force-conflicts does.
   */
  | { readonly type: 'dry-run'; readonly force: boolean }
  | { readonly type: 'create-policies'; readonly force: boolean }
  /**
   * Tab in the check form's source or destination: the analyst completes what is typed there,
   * and completionOfTarget says what its answer does.
   */
  | { readonly type: 'complete-target'; readonly field: TargetField; readonly typed: string };

/** The check form's fields that name a target, which Tab completes. */
export type TargetField = 'source' | 'destination';

/** What a key press asks for, in order: state changes and effects. */
export type KeyAction = UiAction | Effect;

const EFFECTS: ReadonlySet<string> = new Set<Effect['type']>([
  'quit',
  'suspend',
  'reload',
  'save-file',
  'dry-run',
  'create-policies',
  'complete-target',
]);

/** Whether an action is an effect for the App to perform rather than a change of the state. */
export function isEffect(action: KeyAction): action is Effect {
  return EFFECTS.has(action.type);
}

/** What the App knows beyond the state that decides what a key does. */
export interface KeyEnv {
  /** The snapshot's namespaces and pods, which keys look up by name. */
  readonly names: SnapshotNames;
  /** The wizard "s" opens from the traffic check's verdict, once the analyst has sent it. */
  readonly checkWizard?: WizardStart;
  /** The list on screen, if the top screen is a list. */
  readonly list: ShownList | undefined;
  /** Its row under the cursor. */
  readonly selected: ListRow | undefined;
  /** How many rows or lines a page key moves. */
  readonly page: number;
  /** The matrix on screen, once it is computed. */
  readonly matrix?: MatrixView;
  /** The largest scroll offset of the text or verdict on screen. */
  readonly scrollMax: number;
  readonly availability: KeyAvailability;
  /** The finding screen's finding, once the analyst has sent it. */
  readonly finding: AuditFinding | undefined;
  /** The wizard's outcome, while it is open. */
  readonly wizard?: {
    /** The first reason the form cannot build its policies. */
    readonly error?: string;
    /** The file name a save proposes. */
    readonly fileName: string;
    /** The first suggestion for the focused field, which → completes to. */
    readonly suggestion?: string;
  };
  /** The snapshot's source, as :ctx names it. */
  readonly sourceName: string;
  /** Whether ctrl-z can stop the job (the terminal has job control). */
  readonly canSuspend: boolean;
}

const flash = (level: 'info' | 'error', text: string): KeyAction => ({
  type: 'flash',
  flash: { level, text },
});

const open = (screen: Screen): KeyAction => ({ type: 'open', screen });

/** Where keys are pressed: the screen on top, or the traffic check's verdict once focused. */
export function keyContext(state: UiState): KeyContext {
  const screen = currentScreen(state);
  return screen.id === 'check' && state.check.focus === 'result' ? 'check-result' : screen.id;
}

/** What a ":" command does. */
export function commandActions(text: string, env: KeyEnv): KeyAction[] {
  const [word = '', ...rest] = text.trim().split(/\s+/);
  const jump = jumpNamed(word);
  if (jump) {
    const [named] = rest;
    if (!named || !jump.namespaced) return [{ type: 'jump', screen: jump.screen }];
    const namespaces = named.split(',').filter((namespace) => namespace !== '');
    const known = new Set(env.names.namespaces);
    const unknown = namespaces.find((namespace) => !known.has(namespace));
    if (unknown !== undefined) {
      return [flash('error', `no namespace ${unknown} in the snapshot`)];
    }
    const [namespace] = namespaces;
    if (namespaces.length > 1) {
      if (jump.screen.id !== 'matrix') return [flash('error', `:${word} takes one namespace`)];
      return [
        { type: 'jump', screen: { id: 'matrix', scope: { kind: 'namespaces', namespaces } } },
      ];
    }
    return namespace === undefined
      ? [{ type: 'jump', screen: jump.screen }]
      : [{ type: 'jump', screen: jump.screen, namespace }];
  }
  if (word === 'ctx' || word === 'context') {
    return [
      flash(
        'info',
        rest.length > 0
          ? `switching context inside the UI is not supported yet: run kubectl netpol --context ${rest[0]}`
          : `source: ${env.sourceName}`,
      ),
    ];
  }
  if (word === 'q' || word === 'quit') return [{ type: 'quit' }];
  return [flash('error', `unknown command :${text}`)];
}

/**
 * Submits the traffic check, which the analyst answers. A check that ran hands the focus to its
 * verdict when it comes (where "s" scaffolds a fix); a form that is incomplete or names nothing
 * keeps it, to be corrected.
 */
export const CHECK_SUBMIT: KeyAction = { type: 'check-submit' };

/** The pod a key on this screen is about: the pod shown, or the pod row under the cursor. */
function podInView(screen: Screen, selected: ListRow | undefined): string | undefined {
  if (screen.id === 'pod-detail') return screen.podId;
  return selected?.list === 'pods' ? selected.row.key : undefined;
}

/** The wizard as "s" opens it: prefilled from what is on screen. */
function wizardStart(state: UiState, env: KeyEnv): WizardStart {
  const screen = currentScreen(state);
  if (screen.id === 'audit-finding') {
    const { finding } = env;
    return finding
      ? wizardForFinding(finding, state.namespace)
      : wizardForNamespace(state.namespace);
  }
  if (screen.id === 'check') return env.checkWizard ?? wizardForNamespace(state.namespace);
  if (env.selected?.list === 'namespaces') {
    const row = env.selected.row;
    return wizardForNamespace(row.key !== '*' ? row.name : state.namespace);
  }
  const podId = podInView(screen, env.selected);
  const pod = podId === undefined ? undefined : env.names.pods.get(podId);
  return pod ? wizardForPod(pod) : wizardForNamespace(state.namespace);
}

/** The YAML "y" shows: the pod or policy on screen, or the pod, policy or Service under the cursor. */
function yamlKey(screen: Screen, env: KeyEnv): string | undefined {
  if (screen.id === 'pod-detail') {
    const pod = env.names.pods.get(screen.podId);
    return pod ? `${pod.kind} ${pod.id}` : undefined;
  }
  if (screen.id === 'policy-detail') return `NetworkPolicy ${screen.policyKey}`;
  if (screen.id === 'cluster-policy-detail') return clusterPolicyObjectKey(screen);
  if (env.selected?.list === 'pods') return `${env.selected.row.kind} ${env.selected.row.key}`;
  if (env.selected?.list === 'policies') return `NetworkPolicy ${env.selected.row.key}`;
  if (env.selected?.list === 'services') return `Service ${env.selected.row.key}`;
  if (env.selected?.list === 'cluster-policies') return clusterPolicyObjectKey(env.selected.row);
  return undefined;
}

/** How the input keeps a cluster-scoped policy's YAML: "Kind name". */
function clusterPolicyObjectKey(row: { readonly kind: string; readonly name: string }): string {
  return `${row.kind} ${row.name}`;
}

/** The traffic check to a Service, with its port when it has only one: the source is asked. */
function serviceCheck(row: ServiceRow): KeyAction {
  const destination = `svc/${row.name}.${row.namespace}`;
  const port = row.onlyPort;
  return { type: 'check-from', source: '', destination, ...(port && { port }) };
}

/** What "v" does: the Services of the namespace under the cursor, or of the one in view. */
function servicesOf(selected: ListRow | undefined): KeyAction[] {
  if (selected?.list !== 'namespaces') return [open({ id: 'services' })];
  const namespace = selected.row.key === '*' ? undefined : selected.row.name;
  return [{ type: 'choose-namespace', namespace }, open({ id: 'services' })];
}

/** What enter does on a list: opens the row under the cursor. */
function openRow(selected: ListRow | undefined): KeyAction[] {
  switch (selected?.list) {
    case undefined:
      return [];
    case 'namespaces': {
      const namespace = selected.row.key === '*' ? undefined : selected.row.name;
      return [{ type: 'choose-namespace', namespace }];
    }
    case 'pods':
      return [open({ id: 'pod-detail', podId: selected.row.key })];
    case 'audit':
      return [open({ id: 'audit-finding', index: selected.row.index })];
    case 'policies':
      return [open({ id: 'policy-detail', policyKey: selected.row.key })];
    case 'services':
      return [serviceCheck(selected.row)];
    case 'cluster-policies':
      return [
        open({ id: 'cluster-policy-detail', kind: selected.row.kind, name: selected.row.name }),
      ];
  }
}

/** What a digit does on a finding: opens that object of the finding. */
function openObject(screen: Screen, digit: string, env: KeyEnv): KeyAction[] {
  const finding = screen.id === 'audit-finding' ? env.finding : undefined;
  const object = finding?.objects[Number(digit) - 1];
  if (!object) return [];
  if (object.kind === 'Namespace') return [{ type: 'choose-namespace', namespace: object.name }];
  // The only other cluster-scoped objects findings name are cluster policies.
  if (object.namespace === undefined) {
    return [open({ id: 'yaml', objectKey: clusterPolicyObjectKey(object) })];
  }
  const id = `${object.namespace}/${object.name}`;
  if (object.kind !== 'NetworkPolicy' && env.names.pods.has(id))
    return [open({ id: 'pod-detail', podId: id })];
  return [open({ id: 'yaml', objectKey: `${object.kind} ${id}` })];
}

/** What → and ← do on a wizard field: step through its choices, or complete the term. */
function wizardChoice(state: UiState, forward: boolean, env: KeyEnv): KeyAction[] {
  const wizard = state.wizard;
  const field = wizard && focusedField(wizard);
  if (!wizard || !field) return [];
  const value = fieldValue(wizard, field);
  if (field.choices)
    return [{ type: 'wizard-set', value: nextChoice(field, value, forward ? 1 : -1) }];
  const suggestion = env.wizard?.suggestion;
  return suggestion && forward
    ? [{ type: 'wizard-set', value: completeTerm(value, suggestion) }]
    : [];
}

/** What moving by `rows` and `columns` does on the matrix: its cursor moves, once it is shown. */
function matrixMove(rows: number, columns: number, env: KeyEnv): KeyAction[] {
  const size = env.matrix?.names.length ?? 0;
  return size > 0 ? [{ type: 'matrix-move', rows, columns, size }] : [];
}

/** What enter does on the matrix: the traffic check of the pair under the cursor, run at once if it has a port. */
function checkMatrixCell(state: UiState, env: KeyEnv): KeyAction[] {
  const { row, column } = state.matrixCursor;
  const source = env.matrix?.targets[row];
  const destination = env.matrix?.targets[column];
  if (source === undefined || destination === undefined) return [];
  const cellPort = env.matrix?.cells[row]?.[column]?.port;
  const port = cellPort ? { protocol: cellPort.protocol, port: `${cellPort.port}` } : undefined;
  const opened: KeyAction = { type: 'check-from', source, destination, ...(port && { port }) };
  const asked = port?.port ?? state.check.port;
  return asked ? [opened, CHECK_SUBMIT] : [opened];
}

/** What moving by `delta` does: the cursor on a list or the matrix, else the scroll offset. */
function move(delta: number, state: UiState, env: KeyEnv): KeyAction[] {
  if (currentScreen(state).id === 'matrix') return matrixMove(delta, 0, env);
  return env.list
    ? [{ type: 'move', delta, size: env.list.rows.length }]
    : [{ type: 'scroll', delta, max: Math.max(0, env.scrollMax) }];
}

/** What a command of the keymap does on the screen shown; `key` is the key that ran it. */
export function commandOf(command: Command, key: string, state: UiState, env: KeyEnv): KeyAction[] {
  const screen = currentScreen(state);
  switch (command) {
    case 'up':
      return move(-1, state, env);
    case 'down':
      return move(1, state, env);
    case 'page-up':
      return move(-env.page, state, env);
    case 'page-down':
      return move(env.page, state, env);
    case 'first':
      return move(Number.NEGATIVE_INFINITY, state, env);
    case 'last':
      return move(Number.POSITIVE_INFINITY, state, env);
    case 'open':
      return screen.id === 'matrix' ? checkMatrixCell(state, env) : openRow(env.selected);
    case 'left':
      return matrixMove(0, -1, env);
    case 'right':
      return matrixMove(0, 1, env);
    case 'matrix':
      return state.marks.length > 0
        ? [open({ id: 'matrix', scope: { kind: 'pods', pods: state.marks } })]
        : [open({ id: 'matrix' })];
    case 'services':
      return servicesOf(env.selected);
    case 'mark':
      return env.selected?.list === 'pods'
        ? [{ type: 'toggle-mark', podId: env.selected.row.key }]
        : [];
    case 'back':
      if (env.list && state.filters[env.list.list]) return [{ type: 'end-input', keep: false }];
      return [{ type: 'back' }];
    case 'filter':
      return [{ type: 'start-input', mode: 'filter' }];
    case 'command':
      return [{ type: 'start-input', mode: 'command' }];
    case 'help':
      return [open({ id: 'help' })];
    case 'quit':
      return [{ type: 'quit' }];
    case 'suspend':
      return env.canSuspend
        ? [{ type: 'suspend' }]
        : [flash('info', 'ctrl-z: this terminal has no job control to suspend to')];
    case 'yaml': {
      const objectKey = yamlKey(screen, env);
      return objectKey ? [open({ id: 'yaml', objectKey })] : [];
    }
    case 'check': {
      const podId = podInView(screen, env.selected);
      return podId ? [{ type: 'check-from', source: podId }] : [];
    }
    case 'namespace':
      return [{ type: 'pick-namespace' }];
    case 'reload':
      return [flash('info', 'reloading…'), { type: 'reload' }];
    case 'next-field':
    case 'previous-field': {
      if (command === 'next-field' && key === 'tab' && screen.id === 'check') {
        const completed = checkFieldCompletion(state);
        if (completed) return completed;
      }
      const delta = command === 'next-field' ? 1 : -1;
      return [{ type: screen.id === 'check' ? 'check-focus' : 'wizard-focus', delta }];
    }
    case 'run-check':
      return [CHECK_SUBMIT];
    case 'scaffold':
      return [{ type: 'wizard-open', ...wizardStart(state, env) }];
    case 'pick': {
      if (key !== 'enter') return [{ type: 'wizard-highlight', delta: key === 'up' ? -1 : 1 }];
      const chosen = WIZARD_TEMPLATES[selectedTemplate(state)];
      return chosen ? [{ type: 'wizard-template', templateId: chosen.id }] : [];
    }
    case 'complete':
    case 'previous-choice':
      return wizardChoice(state, command === 'complete', env);
    case 'preview': {
      const error = env.wizard?.error;
      return error ? [flash('error', error)] : [open({ id: 'scaffold-preview' })];
    }
    case 'save':
      return [
        { type: 'start-input', mode: 'save', text: env.wizard?.fileName ?? '', selected: true },
      ];
    case 'apply':
      return [{ type: 'dry-run', force: false }];
    case 'audit':
      return [open({ id: 'audit' })];
    case 'open-object':
      return openObject(screen, key, env);
  }
}

/** The answer to a y/n question: y does what was asked, anything else says it was not done. */
function answer(state: UiState, yes: boolean): KeyAction[] {
  const confirmation = state.confirmation;
  const end: KeyAction = { type: 'end-input', keep: true };
  if (!yes)
    return [end, flash('info', confirmation?.kind === 'overwrite' ? 'not saved' : 'not applied')];
  switch (confirmation?.kind) {
    case 'overwrite':
      return [end, { type: 'save-file', path: confirmation.path, overwrite: true }];
    case 'apply':
      return [end, { type: 'create-policies', force: confirmation.force }];
    case 'force-apply':
      return [end, { type: 'dry-run', force: true }];
    case undefined:
      return [end];
  }
}

/** What Tab's completion does: the text replaced, and the choices left listed on the flash line. */
function completionActions(completed: TabCompletion): KeyAction[] {
  const replace: KeyAction = { type: 'replace', text: completed.text };
  if (completed.choices.length === 0) return [replace, { type: 'flash', flash: undefined }];
  return [replace, flash('info', choicesText(completed.choices))];
}

/**
 * Tab in the check form's source or destination, once something is typed: has the analyst
 * complete it from the snapshot; undefined (Tab moves on) when nothing is typed.
 */
function checkFieldCompletion(state: UiState): KeyAction[] | undefined {
  const { focus } = state.check;
  if (focus !== 'source' && focus !== 'destination') return undefined;
  const typed = state.check[focus];
  return typed === '' ? undefined : [{ type: 'complete-target', field: focus, typed }];
}

/**
 * What the analyst's completion of a check field does, if the field still holds what was typed
 * and has the focus: the text completed, or, when nothing matches or nothing is left to
 * complete, the focus moves on as Tab does; so it does from a whole name that longer ones start
 * with (`production/api`, a Deployment, beside its pods), which Tab could otherwise not leave.
 */
export function completionOfTarget(
  state: UiState,
  field: TargetField,
  typed: string,
  completed: TabCompletion | undefined,
): KeyAction[] {
  if (currentScreen(state).id !== 'check' || state.check.focus !== field) return [];
  if (state.check[field] !== typed) return [];
  const nothingToAdd =
    completed?.text === typed &&
    (completed.choices.length === 0 || completed.choices.includes(typed));
  if (!completed || nothingToAdd) return [{ type: 'check-focus', delta: 1 }];
  return completionActions(completed);
}

/** A key while a filter, a jump or a file name is typed. */
function typedKey(state: UiState, key: NamedKey, env: KeyEnv): KeyAction[] {
  const { name } = key;
  const end: KeyAction = { type: 'end-input', keep: true };
  if (name === 'enter') {
    if (state.mode === 'command') return [...commandActions(state.input, env), end];
    if (state.mode === 'save')
      return [{ type: 'save-file', path: state.input, overwrite: false }, end];
    return [end];
  }
  if (name === 'esc') return [{ type: 'end-input', keep: false }];
  if (name === 'tab' && state.mode === 'command') {
    const completed = completeCommand(env.names.namespaces, state.input);
    return completed ? completionActions(completed) : [];
  }
  return editKey(key);
}

/** A key into text being typed, as a shell's line editor takes it: backspace, ctrl-u, a character. */
function editKey({ name, text }: NamedKey): KeyAction[] {
  if (name === 'backspace') return [{ type: 'erase' }];
  if (name === 'ctrl+u') return [{ type: 'erase', all: true }];
  return text ? [{ type: 'type', text }] : [];
}

/** One key, on the screen and focus the keys before it left. */
export function keyActions(state: UiState, key: NamedKey, env: KeyEnv): KeyAction[] {
  const { name } = key;
  // Both work whatever is being typed.
  if (name === 'ctrl+c') return [{ type: 'quit' }];
  if (name === 'ctrl+z') return commandOf('suspend', name, state, env);
  if (state.mode === 'confirm') return answer(state, name === 'y' || name === 'Y');
  if (state.mode !== 'normal') return typedKey(state, key, env);
  const context = keyContext(state);
  // The protocol picker: the arrows move its cursor, which is the form's protocol.
  if (
    context === 'check' &&
    state.check.focus === 'protocol' &&
    (name === 'up' || name === 'down')
  ) {
    const count = PROTOCOLS.length;
    const at = PROTOCOLS.indexOf(state.check.protocol) + (name === 'up' ? -1 : 1);
    return [{ type: 'check-protocol', protocol: PROTOCOLS[(at + count) % count] as Protocol }];
  }
  const binding = bindingFor(context, name, env.availability);
  if (binding) return commandOf(binding.command, name, state, env);
  if (context !== 'check' && context !== 'scaffold-form') return [];
  return editKey(key);
}

/** Pasted text is never keys: it goes into the field being edited, or becomes a list's filter. */
export function pasteActions(state: UiState, text: string, env: KeyEnv): KeyAction[] {
  const line = pastedLine(text);
  if (!line) return [];
  if (typingIntoField(state)) return [{ type: 'type', text: line }];
  if (state.mode !== 'normal' || !env.list) return [flash('info', 'nothing here takes text')];
  return [
    { type: 'start-input', mode: 'filter', text: '' },
    { type: 'type', text: line },
  ];
}

/** What one press of a read does, and what is left of it (the rest of a run taken as keys). */
export function pressActions(
  state: UiState,
  press: KeyPress,
  env: KeyEnv,
): { readonly actions: KeyAction[]; readonly rest: KeyPress[] } {
  // A one-shot message lasts until the next key: it reported the previous action.
  const dismiss: KeyAction[] = state.flash ? [{ type: 'flash', flash: undefined }] : [];
  if (press.kind === 'paste')
    return { actions: [...dismiss, ...pasteActions(state, press.text, env)], rest: [] };
  if (press.kind === 'key')
    return { actions: [...dismiss, ...keyActions(state, press, env)], rest: [] };
  // In a field, alt+character (a word motion to readline users) must not cancel the form, so
  // it does nothing, as before; elsewhere it is esc then the character taken as a key.
  if (press.kind === 'after-esc') {
    if (typingIntoField(state)) return { actions: dismiss, rest: [] };
    return {
      actions: [...dismiss, ...keyActions(state, ESC_KEY, env)],
      rest: [{ kind: 'text', text: press.text }],
    };
  }
  if (typingIntoField(state))
    return { actions: [...dismiss, { type: 'type', text: press.text }], rest: [] };
  const { key, rest } = firstKey(press.text);
  return { actions: [...dismiss, ...keyActions(state, key, env)], rest };
}
