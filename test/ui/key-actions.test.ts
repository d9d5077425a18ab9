import { describe, expect, it } from 'vitest';
import { type AuditFinding, compileCluster } from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import {
  commandActions,
  isEffect,
  type KeyAction,
  type KeyEnv,
  keyActions,
  keyContext,
  pressActions,
} from '../../src/ui/key-actions.js';
import type { KeyPress, NamedKey } from '../../src/ui/key-presses.js';
import { listQuery, rowAt, shownList } from '../../src/ui/list-rows.js';
import { snapshotNames } from '../../src/ui/snapshot-names.js';
import { initialState, reduce, type UiAction, type UiState } from '../../src/ui/state.js';
import { buildClusterView } from '../../src/ui/view-model.js';

const analysis = compileCluster(loadDemo().cluster);
const view = buildClusterView(analysis);

/** What the App would know about a state: its list, the row under the cursor, nothing else. */
function envFor(state: UiState, extra: Partial<KeyEnv> = {}): KeyEnv {
  const query = listQuery(state);
  const list = query && shownList(view, query, () => []);
  const cursor = list ? state.cursors[list.list] : 0;
  return {
    names: snapshotNames.now(analysis.cluster),
    list,
    selected: list && rowAt(list, cursor),
    page: 10,
    scrollMax: 50,
    availability: { readOnly: false, canApply: true },
    finding: undefined,
    sourceName: 'demo',
    canSuspend: false,
    ...extra,
  };
}

const key = (name: string, text = name.length === 1 ? name : ''): NamedKey => ({
  kind: 'key',
  name,
  text,
});

const actionsOf = (state: UiState, name: string, extra?: Partial<KeyEnv>) =>
  keyActions(state, key(name), envFor(state, extra));

/** Applies the state changes among actions, as the App does (effects are left out). */
function applied(state: UiState, actions: readonly KeyAction[]): UiState {
  return actions.filter((action): action is UiAction => !isEffect(action)).reduce(reduce, state);
}

/** Presses keys one after the other, each on the state the previous one left. */
function pressAll(state: UiState, ...names: string[]): UiState {
  return names.reduce((current, name) => applied(current, actionsOf(current, name)), state);
}

describe('keys on a list', () => {
  it('moves the cursor over the rows shown, pages, and opens the row under it', () => {
    const pods = initialState('production');
    expect(actionsOf(pods, 'j')).toEqual([{ type: 'move', delta: 1, size: 6 }]);
    expect(actionsOf(pods, 'pagedown')).toEqual([{ type: 'move', delta: 10, size: 6 }]);
    const second = pressAll(pods, 'j');
    const podId = envFor(second).selected?.row.key;
    expect(podId).toMatch(/^production\//);
    expect(actionsOf(second, 'enter')).toEqual([
      { type: 'open', screen: { id: 'pod-detail', podId } },
    ]);
  });

  it('home/g and end/G go to the first and the last row, or to the top and end of a text', () => {
    const pods = initialState('production');
    const last = pressAll(pods, 'end');
    expect(envFor(last).selected?.row.key).toBe(
      envFor(pressAll(pods, 'j', 'j', 'j', 'j', 'j')).selected?.row.key,
    );
    expect(pressAll(last, 'G')).toEqual(last);
    expect(pressAll(last, 'g')).toEqual(pods);
    expect(pressAll(last, 'home')).toEqual(pods);
    const pod = pressAll(pods, 'enter');
    expect(actionsOf(pod, 'G')).toEqual([
      { type: 'scroll', delta: Number.POSITIVE_INFINITY, max: 50 },
    ]);
    expect(pressAll(pod, 'G', 'g').scroll).toBe(0);
    expect(pressAll(pod, 'end').scroll).toBe(50);
  });

  it('space marks the pod under the cursor; m opens the matrix of the marked pods', () => {
    const pods = initialState('production');
    const podId = envFor(pods).selected?.row.key ?? '';
    expect(actionsOf(pods, 'space')).toEqual([{ type: 'toggle-mark', podId }]);
    expect(actionsOf(pods, 'm')).toEqual([{ type: 'open', screen: { id: 'matrix' } }]);
    const marked = pressAll(pods, 'space');
    expect(actionsOf(marked, 'm')).toEqual([
      { type: 'open', screen: { id: 'matrix', scope: { kind: 'pods', pods: [podId] } } },
    ]);
  });

  it('enter on "(all namespaces)" clears the namespace; on a namespace, narrows to it', () => {
    const state = initialState();
    expect(actionsOf(state, 'enter')).toEqual([{ type: 'choose-namespace', namespace: undefined }]);
    const name = view.namespaces[0]?.name;
    expect(actionsOf(pressAll(state, 'j'), 'enter')).toEqual([
      { type: 'choose-namespace', namespace: name },
    ]);
  });

  it('a digit on a finding opens the YAML of a cluster policy it names', () => {
    const finding: AuditFinding = {
      code: 'cluster-pass-falls-through',
      severity: 'warning',
      rule: {
        policy: 'cnp/protect-kube-system',
        kind: 'ClusterNetworkPolicy',
        tier: 'Admin',
        priority: 10,
        direction: 'ingress',
        ruleIndex: 0,
        action: 'Pass',
      },
      objects: [{ kind: 'ClusterNetworkPolicy', name: 'protect-kube-system' }],
      fixes: [],
    };
    const state = reduce(initialState(), {
      type: 'open',
      screen: { id: 'audit-finding', index: 0 },
    });
    expect(actionsOf(state, '1', { finding })).toEqual([
      {
        type: 'open',
        screen: {
          id: 'yaml',
          objectKey: 'ClusterNetworkPolicy protect-kube-system',
        },
      },
    ]);
    expect(loadDemo().objects.has('ClusterNetworkPolicy protect-kube-system')).toBe(true);
  });

  it('y shows the YAML of the pod or policy under the cursor', () => {
    const pods = initialState('production');
    const row = envFor(pods).selected;
    expect(row?.list).toBe('pods');
    const [action] = actionsOf(pods, 'y');
    expect(action).toMatchObject({ type: 'open', screen: { id: 'yaml' } });
    expect(
      action?.type === 'open' && action.screen.id === 'yaml' && action.screen.objectKey,
    ).toMatch(/ production\//);
  });

  it('esc clears a kept filter before it goes back', () => {
    const filtered = applied(initialState('production'), [
      { type: 'start-input', mode: 'filter' },
      { type: 'type', text: 'api' },
      { type: 'end-input', keep: true },
    ]);
    expect(actionsOf(filtered, 'esc')).toEqual([{ type: 'end-input', keep: false }]);
    expect(actionsOf(initialState('production'), 'esc')).toEqual([{ type: 'back' }]);
  });

  it('a key with no binding on the screen does nothing', () => {
    expect(actionsOf(initialState(), 'x')).toEqual([]);
  });
});

describe('keys while typing', () => {
  const filtering = applied(initialState(), [{ type: 'start-input', mode: 'filter' }]);

  it('letters that are commands elsewhere are typed into the filter', () => {
    expect(actionsOf(filtering, 'j')).toEqual([{ type: 'type', text: 'j' }]);
    expect(actionsOf(filtering, 'q')).toEqual([{ type: 'type', text: 'q' }]);
    expect(actionsOf(filtering, 'backspace')).toEqual([{ type: 'erase' }]);
  });

  it('ctrl-c quits whatever is being typed', () => {
    expect(actionsOf(filtering, 'ctrl+c')).toEqual([{ type: 'quit' }]);
  });

  it('enter on a jump runs it, then ends the input', () => {
    const jumping = applied(initialState(), [
      { type: 'start-input', mode: 'command' },
      { type: 'type', text: 'po' },
    ]);
    expect(actionsOf(jumping, 'enter')).toEqual([
      { type: 'jump', screen: { id: 'pods' } },
      { type: 'end-input', keep: true },
    ]);
  });

  it('enter on a file name saves to it without overwriting, then ends the input', () => {
    const saving = applied(initialState(), [
      { type: 'start-input', mode: 'save', text: 'deny.yaml' },
    ]);
    expect(actionsOf(saving, 'enter')).toEqual([
      { type: 'save-file', path: 'deny.yaml', overwrite: false },
      { type: 'end-input', keep: true },
    ]);
  });
});

describe('a character read right after an esc', () => {
  const afterEsc = (text: string): KeyPress => ({ kind: 'after-esc', text });

  it('on a screen is esc, then the character taken as a key', () => {
    const opened = pressAll(initialState(), 'enter');
    const { actions, rest } = pressActions(opened, afterEsc('j'), envFor(opened));
    expect(actions).toEqual(actionsOf(opened, 'esc'));
    expect(rest).toEqual([{ kind: 'text', text: 'j' }]);
  });

  it('answers a y/n question no, so that esc and y typed fast never confirm', () => {
    const asking = applied(initialState(), [
      { type: 'confirm', confirmation: { kind: 'overwrite', path: 'deny.yaml' } },
    ]);
    const { actions } = pressActions(asking, afterEsc('y'), envFor(asking));
    expect(actions).not.toContainEqual({ type: 'save-file', path: 'deny.yaml', overwrite: true });
  });

  it('in a field does nothing: alt+b must neither cancel the form nor type a b', () => {
    const filtering = applied(initialState(), [{ type: 'start-input', mode: 'filter' }]);
    expect(pressActions(filtering, afterEsc('b'), envFor(filtering))).toEqual({
      actions: [],
      rest: [],
    });
  });
});

describe('y/n questions', () => {
  const asking = applied(initialState(), [
    { type: 'confirm', confirmation: { kind: 'overwrite', path: 'deny.yaml' } },
  ]);

  it('y overwrites the file asked about', () => {
    expect(actionsOf(asking, 'y')).toEqual([
      { type: 'end-input', keep: true },
      { type: 'save-file', path: 'deny.yaml', overwrite: true },
    ]);
  });

  it('any other key answers no, and says so', () => {
    expect(actionsOf(asking, 'j')).toEqual([
      { type: 'end-input', keep: true },
      { type: 'flash', flash: { level: 'info', text: 'not saved' } },
    ]);
  });

  const askingTo = (confirmation: UiAction & { type: 'confirm' }) =>
    applied(initialState(), [confirmation]);
  const forcing = askingTo({
    type: 'confirm',
    confirmation: { kind: 'force-apply', question: 'force?', preview: [] },
  });

  it('y to forcing a conflicting apply dry-runs it again, forced; n applies nothing', () => {
    expect(actionsOf(forcing, 'y')).toEqual([
      { type: 'end-input', keep: true },
      { type: 'dry-run', force: true },
    ]);
    expect(actionsOf(forcing, 'n')).toEqual([
      { type: 'end-input', keep: true },
      { type: 'flash', flash: { level: 'info', text: 'not applied' } },
    ]);
  });

  it('y to the apply question applies, forced only when the user forced the dry run', () => {
    for (const force of [false, true]) {
      const applying = askingTo({
        type: 'confirm',
        confirmation: { kind: 'apply', question: 'apply?', preview: [], force },
      });
      expect(actionsOf(applying, 'y')).toEqual([
        { type: 'end-input', keep: true },
        { type: 'create-policies', force },
      ]);
    }
  });
});

describe(':commands', () => {
  const env = envFor(initialState());

  it('jumps to a list by its short or long name', () => {
    expect(commandActions('netpol', env)).toEqual([{ type: 'jump', screen: { id: 'policies' } }]);
    expect(commandActions(' ns ', env)).toEqual([{ type: 'jump', screen: { id: 'namespaces' } }]);
  });

  it('names an unknown command, even one that is a property of every object', () => {
    for (const word of ['nope', 'constructor', 'toString']) {
      expect(commandActions(word, env)).toEqual([
        { type: 'flash', flash: { level: 'error', text: `unknown command :${word}` } },
      ]);
    }
  });

  it(':matrix takes several namespaces; the other jumps take one', () => {
    expect(commandActions('matrix production,staging', env)).toEqual([
      {
        type: 'jump',
        screen: {
          id: 'matrix',
          scope: { kind: 'namespaces', namespaces: ['production', 'staging'] },
        },
      },
    ]);
    expect(commandActions('matrix staging', env)).toEqual([
      { type: 'jump', screen: { id: 'matrix' }, namespace: 'staging' },
    ]);
    expect(commandActions('matrix production,nowhere', env)).toEqual([
      { type: 'flash', flash: { level: 'error', text: 'no namespace nowhere in the snapshot' } },
    ]);
    expect(commandActions('po production,staging', env)).toEqual([
      { type: 'flash', flash: { level: 'error', text: ':po takes one namespace' } },
    ]);
  });

  it(':ctx names the source; :q quits', () => {
    expect(commandActions('ctx', env)).toEqual([
      { type: 'flash', flash: { level: 'info', text: 'source: demo' } },
    ]);
    expect(commandActions('q', env)).toEqual([{ type: 'quit' }]);
  });
});

describe('ctrl-z', () => {
  it('suspends with job control, and says it cannot without', () => {
    const state = initialState();
    expect(actionsOf(state, 'ctrl+z', { canSuspend: true })).toEqual([{ type: 'suspend' }]);
    expect(actionsOf(state, 'ctrl+z')).toEqual([
      {
        type: 'flash',
        flash: { level: 'info', text: 'ctrl-z: this terminal has no job control to suspend to' },
      },
    ]);
  });
});

describe('the traffic check', () => {
  const checking = applied(initialState(), [{ type: 'check-from', source: 'production/x' }]);

  it('typed letters go into the focused field; tab moves the focus', () => {
    expect(keyContext(checking)).toBe('check');
    expect(actionsOf(checking, 'q')).toEqual([{ type: 'type', text: 'q' }]);
    expect(actionsOf(checking, 'tab')).toEqual([{ type: 'check-focus', delta: 1 }]);
  });

  it('backspace erases a character of the focused field and ctrl-u all of it, as in a shell', () => {
    const typed = pressAll(checking, 'a', 'b', 'c');
    expect(typed.check.destination).toBe('abc');
    expect(pressAll(typed, 'backspace').check.destination).toBe('ab');
    const cleared = pressAll(typed, 'ctrl+u');
    expect(cleared.check.destination).toBe('');
    expect(cleared.check.source).toBe('production/x');
  });

  it("the arrows move the protocol picker's cursor, which is the form's protocol, round the ends", () => {
    const onProtocol = applied(checking, [{ type: 'check-focus', delta: 2 }]);
    expect(onProtocol.check.focus).toBe('protocol');
    expect(onProtocol.check.protocol).toBe('TCP');
    expect(actionsOf(onProtocol, 'down')).toEqual([{ type: 'check-protocol', protocol: 'UDP' }]);
    expect(actionsOf(onProtocol, 'up')).toEqual([{ type: 'check-protocol', protocol: 'SCTP' }]);
  });

  it('enter submits the question; where the focus goes waits for the analyst verdict', () => {
    expect(actionsOf(checking, 'enter')).toEqual([{ type: 'check-submit' }]);
  });
});

describe('one read of the terminal', () => {
  const press = (state: UiState, p: KeyPress) => pressActions(state, p, envFor(state));

  it('a run of text on a list is taken one key at a time', () => {
    const { actions, rest } = press(initialState('production'), { kind: 'text', text: 'jj' });
    expect(actions).toEqual([{ type: 'move', delta: 1, size: 6 }]);
    expect(rest).toEqual([{ kind: 'text', text: 'j' }]);
  });

  it('a run of text into a field goes in whole', () => {
    const filtering = applied(initialState(), [{ type: 'start-input', mode: 'filter' }]);
    expect(press(filtering, { kind: 'text', text: 'web' })).toEqual({
      actions: [{ type: 'type', text: 'web' }],
      rest: [],
    });
  });

  it('the next press dismisses a one-shot message first', () => {
    const flashed = applied(initialState(), [
      { type: 'flash', flash: { level: 'info', text: 'reloaded' } },
    ]);
    expect(press(flashed, key('x')).actions).toEqual([{ type: 'flash', flash: undefined }]);
  });

  it('a paste on a list becomes its filter; where nothing takes text, it says so', () => {
    expect(press(initialState(), { kind: 'paste', text: 'app=web\n' }).actions).toEqual([
      { type: 'start-input', mode: 'filter', text: '' },
      { type: 'type', text: 'app=web' },
    ]);
    const help = applied(initialState(), [{ type: 'open', screen: { id: 'help' } }]);
    expect(press(help, { kind: 'paste', text: 'x' }).actions).toEqual([
      { type: 'flash', flash: { level: 'info', text: 'nothing here takes text' } },
    ]);
  });
});
