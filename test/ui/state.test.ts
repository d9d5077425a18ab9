import { describe, expect, it } from 'vitest';
import {
  type CheckQuestion,
  currentList,
  currentScreen,
  initialState,
  reduce,
  selectedTemplate,
  shownFlash,
  typingIntoField,
  type UiAction,
  type UiState,
} from '../../src/ui/state.js';
import { WIZARD_TEMPLATES } from '../../src/ui/wizard.js';

/** Applies actions in order, as key presses would. */
function run(state: UiState, ...actions: UiAction[]): UiState {
  return actions.reduce(reduce, state);
}

/** The analyst's verdict on the question last submitted came; `ran`: it named what it asked about. */
function verdictCame(state: UiState, ran = true): UiState {
  return run(state, { type: 'check-ran', asked: state.check.asked as CheckQuestion, ran });
}

/** The actions typing some text produces, one per character. */
function typed(text: string): UiAction[] {
  return [...text].map((ch) => ({ type: 'type', text: ch }) as const);
}

const ids = (state: UiState) => state.stack.map((screen) => screen.id);

describe('initial state', () => {
  it('starts on the namespaces list, or on the pods of a namespace given on the command line', () => {
    expect(ids(initialState())).toEqual(['namespaces']);
    expect(initialState().namespace).toBeUndefined();
    const narrowed = initialState('production');
    expect(ids(narrowed)).toEqual(['pods']);
    expect(narrowed.namespace).toBe('production');
    expect(narrowed.mode).toBe('normal');
  });
});

describe('moving the cursor', () => {
  it('moves within the list and clamps at both ends', () => {
    let state = initialState();
    state = run(state, { type: 'move', delta: 1, size: 10 }, { type: 'move', delta: 1, size: 10 });
    expect(state.cursors.namespaces).toBe(2);
    state = reduce(state, { type: 'move', delta: -5, size: 10 });
    expect(state.cursors.namespaces).toBe(0);
    state = reduce(state, { type: 'move', delta: 100, size: 10 });
    expect(state.cursors.namespaces).toBe(9);
  });

  it('keeps a cursor per list', () => {
    let state = run(initialState(), { type: 'move', delta: 3, size: 10 });
    state = run(
      state,
      { type: 'jump', screen: { id: 'pods' } },
      { type: 'move', delta: 1, size: 5 },
    );
    expect(state.cursors).toEqual({
      namespaces: 3,
      pods: 1,
      policies: 0,
      services: 0,
      'cluster-policies': 0,
      audit: 0,
    });
  });

  it('stays at 0 on an empty list', () => {
    const state = reduce(initialState(), { type: 'move', delta: 1, size: 0 });
    expect(state.cursors.namespaces).toBe(0);
  });

  it('does not move list cursors on a text screen; scroll never goes below 0', () => {
    let state = run(initialState(), { type: 'open', screen: { id: 'help' } });
    state = reduce(state, { type: 'move', delta: 1, size: 10 });
    expect(state.cursors.namespaces).toBe(0);
    state = run(
      state,
      { type: 'scroll', delta: 3, max: 20 },
      { type: 'scroll', delta: -1, max: 20 },
    );
    expect(state.scroll).toBe(2);
    state = reduce(state, { type: 'scroll', delta: -10, max: 20 });
    expect(state.scroll).toBe(0);
  });

  it('scroll stops at the end of the text, so one step back always moves the view', () => {
    let state = run(initialState(), { type: 'open', screen: { id: 'help' } });
    state = run(state, { type: 'scroll', delta: 50, max: 7 });
    expect(state.scroll).toBe(7);
    state = reduce(state, { type: 'scroll', delta: -1, max: 7 });
    expect(state.scroll).toBe(6);
  });
});

describe('the matrix cursor', () => {
  it('moves across rows and columns, clamped to the matrix, and restarts in a new namespace', () => {
    let state = run(initialState('production'), { type: 'open', screen: { id: 'matrix' } });
    state = run(
      state,
      { type: 'matrix-move', rows: 1, columns: 0, size: 4 },
      { type: 'matrix-move', rows: 0, columns: 9, size: 4 },
    );
    expect(state.matrixCursor).toEqual({ row: 1, column: 3 });
    state = reduce(state, { type: 'matrix-move', rows: -5, columns: -1, size: 4 });
    expect(state.matrixCursor).toEqual({ row: 0, column: 2 });
    state = reduce(state, { type: 'jump', screen: { id: 'matrix' }, namespace: 'staging' });
    expect(state.matrixCursor).toEqual({ row: 0, column: 0 });
  });

  it('restarts at the first cell of a matrix of marked pods or of namespaces', () => {
    let state = run(initialState('production'), { type: 'open', screen: { id: 'matrix' } });
    state = run(state, { type: 'matrix-move', rows: 2, columns: 2, size: 4 }, { type: 'back' });
    const scope = { kind: 'pods', pods: ['production/postgres-0'] } as const;
    state = reduce(state, { type: 'open', screen: { id: 'matrix', scope } });
    expect(state.matrixCursor).toEqual({ row: 0, column: 0 });
  });

  it("a cell's check opens the form with its pair, port and protocol", () => {
    const state = reduce(initialState('production'), {
      type: 'check-from',
      source: 'deploy/frontend',
      destination: 'deploy/api',
      port: { protocol: 'UDP', port: '53' },
    });
    expect(ids(state)).toEqual(['pods', 'check']);
    expect(state.check).toMatchObject({
      source: 'deploy/frontend',
      destination: 'deploy/api',
      port: '53',
      protocol: 'UDP',
      focus: 'port',
    });
  });
});

describe('marks', () => {
  it('toggle a pod in and out, in the order marked, across namespaces', () => {
    let state = run(
      initialState('production'),
      { type: 'toggle-mark', podId: 'production/a' },
      { type: 'choose-namespace', namespace: 'staging' },
      { type: 'toggle-mark', podId: 'staging/b' },
    );
    expect(state.marks).toEqual(['production/a', 'staging/b']);
    state = reduce(state, { type: 'toggle-mark', podId: 'production/a' });
    expect(state.marks).toEqual(['staging/b']);
  });
});

describe('the screen stack', () => {
  it('open pushes a screen, resets the scroll and clears the flash; back pops it', () => {
    let state = run(
      initialState('production'),
      { type: 'flash', flash: { level: 'info', text: 'hello' } },
      { type: 'open', screen: { id: 'pod-detail', podId: 'production/api-1' } },
      { type: 'scroll', delta: 4, max: 100 },
    );
    expect(currentScreen(state)).toEqual({ id: 'pod-detail', podId: 'production/api-1' });
    expect(state.flash).toBeUndefined();
    state = reduce(state, {
      type: 'open',
      screen: { id: 'yaml', objectKey: 'Pod production/api-1' },
    });
    expect(ids(state)).toEqual(['pods', 'pod-detail', 'yaml']);
    expect(state.scroll).toBe(0);
    state = reduce(state, { type: 'back' });
    expect(ids(state)).toEqual(['pods', 'pod-detail']);
    state = reduce(state, { type: 'back' });
    expect(ids(state)).toEqual(['pods']);
  });

  it('back on the last screen keeps it', () => {
    const state = reduce(initialState(), { type: 'back' });
    expect(ids(state)).toEqual(['namespaces']);
  });

  it('back on a lone screen other than the namespaces list goes to that list', () => {
    const jumped = run(
      initialState(),
      { type: 'jump', screen: { id: 'policies' } },
      { type: 'back' },
    );
    expect(ids(jumped)).toEqual(['namespaces']);
    expect(ids(reduce(initialState('production'), { type: 'back' }))).toEqual(['namespaces']);
  });

  it('jump replaces the whole stack', () => {
    const state = run(
      initialState('production'),
      { type: 'open', screen: { id: 'pod-detail', podId: 'production/api-1' } },
      { type: 'open', screen: { id: 'help' } },
      { type: 'jump', screen: { id: 'policies' } },
    );
    expect(ids(state)).toEqual(['policies']);
    expect(currentList(state)).toBe('policies');
    expect(state.namespace).toBe('production');
  });

  it('currentList is undefined on screens without a list', () => {
    for (const screen of [
      { id: 'help' },
      { id: 'check' },
      { id: 'yaml', objectKey: 'Pod a/b' },
      { id: 'pod-detail', podId: 'a/b' },
    ] as const) {
      expect(currentList(reduce(initialState(), { type: 'open', screen }))).toBeUndefined();
    }
  });
});

describe('namespaces', () => {
  it('choosing a namespace from the namespaces list opens its pods, cursor on top', () => {
    let state = run(
      initialState(),
      { type: 'jump', screen: { id: 'pods' } },
      { type: 'move', delta: 4, size: 10 },
      { type: 'jump', screen: { id: 'namespaces' } },
      { type: 'choose-namespace', namespace: 'staging' },
    );
    expect(ids(state)).toEqual(['namespaces', 'pods']);
    expect(state.namespace).toBe('staging');
    expect(state.cursors.pods).toBe(0);
    state = reduce(state, { type: 'choose-namespace', namespace: undefined });
    expect(state.namespace).toBeUndefined();
  });

  it('pick-namespace then choose-namespace returns to the screen it was picked from', () => {
    let state = run(initialState('production'), { type: 'jump', screen: { id: 'policies' } });
    state = reduce(state, { type: 'pick-namespace' });
    expect(ids(state)).toEqual(['policies', 'namespaces']);
    expect(state.pickingNamespace).toBe(true);
    state = reduce(state, { type: 'choose-namespace', namespace: 'tenant-a' });
    expect(ids(state)).toEqual(['policies']);
    expect(state.namespace).toBe('tenant-a');
    expect(state.pickingNamespace).toBe(false);
  });

  it('backing out of a pick keeps the namespace and ends the pick', () => {
    const state = run(initialState('production'), { type: 'pick-namespace' }, { type: 'back' });
    expect(ids(state)).toEqual(['pods']);
    expect(state.namespace).toBe('production');
    expect(state.pickingNamespace).toBe(false);
  });
});

describe('filter mode', () => {
  it('typing narrows live and puts the cursor back on top', () => {
    let state = run(initialState(), { type: 'jump', screen: { id: 'pods' } });
    state = run(
      state,
      { type: 'move', delta: 5, size: 20 },
      { type: 'start-input', mode: 'filter' },
    );
    expect(state.mode).toBe('filter');
    state = run(state, ...typed('ap'));
    expect(state.filters.pods).toBe('ap');
    expect(state.input).toBe('ap');
    expect(state.cursors.pods).toBe(0);
    state = run(state, { type: 'move', delta: 2, size: 5 }, ...typed('i'));
    expect(state.filters.pods).toBe('api');
    expect(state.cursors.pods).toBe(0);
    state = reduce(state, { type: 'erase' });
    expect(state.filters.pods).toBe('ap');
  });

  it('enter keeps the filter, on this list only', () => {
    const state = run(
      initialState(),
      { type: 'jump', screen: { id: 'pods' } },
      { type: 'start-input', mode: 'filter' },
      ...typed('app=api'),
      { type: 'end-input', keep: true },
    );
    expect(state.mode).toBe('normal');
    expect(state.filters).toEqual({
      namespaces: '',
      pods: 'app=api',
      policies: '',
      services: '',
      'cluster-policies': '',
      audit: '',
    });
  });

  it('esc while typing clears the filter', () => {
    const state = run(initialState(), { type: 'start-input', mode: 'filter' }, ...typed('prod'), {
      type: 'end-input',
      keep: false,
    });
    expect(state.mode).toBe('normal');
    expect(state.filters.namespaces).toBe('');
  });

  it('reopening the filter starts from the kept text', () => {
    const state = run(
      initialState(),
      { type: 'start-input', mode: 'filter' },
      ...typed('prod'),
      { type: 'end-input', keep: true },
      { type: 'start-input', mode: 'filter' },
    );
    expect(state.input).toBe('prod');
  });

  it('typing in normal mode on a list does nothing', () => {
    const before = initialState();
    expect(reduce(before, { type: 'type', text: 'x' })).toBe(before);
    expect(reduce(before, { type: 'erase' })).toBe(before);
  });
});

describe('command mode', () => {
  it('collects what is typed after ":" without touching filters, and clears it when done', () => {
    let state = run(initialState(), { type: 'start-input', mode: 'command' }, ...typed('netpoll'), {
      type: 'erase',
    });
    expect(state.mode).toBe('command');
    expect(state.input).toBe('netpol');
    expect(state.filters).toEqual({
      namespaces: '',
      pods: '',
      policies: '',
      services: '',
      'cluster-policies': '',
      audit: '',
    });
    state = reduce(state, { type: 'end-input', keep: true });
    expect(state.mode).toBe('normal');
    expect(state.input).toBe('');
  });

  it('starts empty even when the list has a filter', () => {
    const state = run(
      initialState(),
      { type: 'start-input', mode: 'filter' },
      ...typed('prod'),
      { type: 'end-input', keep: true },
      { type: 'start-input', mode: 'command' },
    );
    expect(state.input).toBe('');
    expect(state.filters.namespaces).toBe('prod');
  });
});

describe('the traffic-check form', () => {
  const fromPod = () =>
    run(initialState('production'), {
      type: 'check-from',
      source: 'production/frontend-1',
    });

  it('check-from opens the check with the source filled in and the destination focused', () => {
    const state = fromPod();
    expect(currentScreen(state).id).toBe('check');
    expect(ids(state)).toEqual(['pods', 'check']);
    expect(state.check.source).toBe('production/frontend-1');
    expect(state.check.focus).toBe('destination');
  });

  it('check-from with a destination focuses the port', () => {
    const state = reduce(initialState(), {
      type: 'check-from',
      source: 'a/b',
      destination: 'svc/api',
    });
    expect(state.check.destination).toBe('svc/api');
    expect(state.check.focus).toBe('port');
  });

  it('check-from without a source (a Service row) focuses the source', () => {
    const state = reduce(initialState(), {
      type: 'check-from',
      source: '',
      destination: 'svc/postgres.production',
      port: { protocol: 'TCP', port: '5432' },
    });
    expect(state.check.destination).toBe('svc/postgres.production');
    expect(state.check.port).toBe('5432');
    expect(state.check.focus).toBe('source');
  });

  it('check-focus cycles through the fields both ways', () => {
    let state = fromPod();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      state = reduce(state, { type: 'check-focus', delta: 1 });
      seen.push(state.check.focus);
    }
    expect(seen).toEqual(['port', 'protocol', 'source', 'destination']);
    state = reduce(state, { type: 'check-focus', delta: -1 });
    expect(state.check.focus).toBe('source');
    state = reduce(state, { type: 'check-focus', delta: -1 });
    expect(state.check.focus).toBe('protocol');
  });

  it('types into and erases from the focused field only', () => {
    let state = run(fromPod(), ...typed('svc/apix'), { type: 'erase' });
    expect(state.check.destination).toBe('svc/api');
    state = run(state, { type: 'check-focus', delta: 1 }, ...typed('8080'));
    expect(state.check).toMatchObject({
      source: 'production/frontend-1',
      destination: 'svc/api',
      port: '8080',
    });
    state = run(state, { type: 'check-focus', delta: -2 }, { type: 'erase' }, ...typed('2'));
    expect(state.check.source).toBe('production/frontend-2');
  });

  it('typing on the protocol field changes nothing; check-protocol sets it', () => {
    let state = run(fromPod(), { type: 'check-focus', delta: 2 });
    expect(state.check.focus).toBe('protocol');
    expect(run(state, ...typed('x'), { type: 'erase' }).check).toEqual(state.check);
    state = reduce(state, { type: 'check-protocol', protocol: 'UDP' });
    expect(state.check.protocol).toBe('UDP');
  });

  it('check-submit bumps the submission count and keeps the form', () => {
    let state = run(fromPod(), ...typed('svc/api'));
    expect(state.check.submitted).toBe(0);
    state = run(state, { type: 'check-submit' }, { type: 'check-submit' });
    expect(state.check.submitted).toBe(2);
    expect(state.check.destination).toBe('svc/api');
  });

  it('going back and checking from another pod keeps the destination typed before', () => {
    const state = run(
      fromPod(),
      ...typed('svc/api'),
      { type: 'back' },
      { type: 'check-from', source: 'production/frontend-2' },
    );
    expect(state.check.source).toBe('production/frontend-2');
    expect(state.check.destination).toBe('svc/api');
  });

  // Scroll belongs to the screen on top: open/back/jump reset it. check-from opens a screen too.
  it('check-from starts the check screen unscrolled', () => {
    const state = run(
      initialState('production'),
      { type: 'open', screen: { id: 'pod-detail', podId: 'production/frontend-1' } },
      { type: 'scroll', delta: 6, max: 100 },
      { type: 'check-from', source: 'production/frontend-1' },
    );
    expect(state.scroll).toBe(0);
  });
});

describe('flash', () => {
  it('shows a one-shot message over the conditions, else the most severe condition', () => {
    const lost = { level: 'warning', text: 'watch of pods lost' } as const;
    const broken = { level: 'error', text: 'bad manifest' } as const;
    let state = run(
      initialState(),
      { type: 'condition', source: 'watch pods', flash: lost },
      { type: 'condition', source: 'snapshot', flash: broken },
    );
    expect(shownFlash(state)).toEqual(broken);
    state = reduce(state, { type: 'flash', flash: { level: 'info', text: 'saved' } });
    expect(shownFlash(state)?.text).toBe('saved');
    state = run(
      state,
      { type: 'flash', flash: undefined },
      { type: 'condition', source: 'snapshot', flash: undefined },
    );
    expect(shownFlash(state)).toEqual(lost);
    state = reduce(state, { type: 'condition', source: 'watch pods', flash: undefined });
    expect(shownFlash(state)).toBeUndefined();
  });

  it('sets and clears the flash message', () => {
    let state = reduce(initialState(), {
      type: 'flash',
      flash: { level: 'error', text: 'boom' },
    });
    expect(state.flash).toEqual({ level: 'error', text: 'boom' });
    state = reduce(state, { type: 'flash', flash: undefined });
    expect(state.flash).toBeUndefined();
  });
});

describe('the traffic check answers what was submitted', () => {
  it('keeps the submitted, trimmed question while the fields are edited again', () => {
    let state = run(initialState('production'), {
      type: 'check-from',
      source: 'production/frontend-1',
    });
    state = run(state, { type: 'type', text: 'svc/api ' }, { type: 'check-focus', delta: 1 });
    state = verdictCame(run(state, { type: 'type', text: '8080' }, { type: 'check-submit' }));
    expect(state.check.asked).toEqual({
      source: 'production/frontend-1',
      destination: 'svc/api',
      port: '8080',
      protocol: 'TCP',
    });
    // The verdict has the focus after a check: letters are commands there, not text.
    expect(state.check.focus).toBe('result');
    expect(run(state, { type: 'type', text: '1' }).check).toEqual(state.check);
    // Back to the fields (tab goes to the source, shift-tab to the protocol, then the port).
    state = run(state, { type: 'check-focus', delta: -1 }, { type: 'check-focus', delta: -1 });
    state = run(state, { type: 'type', text: '1' });
    expect(state.check.port).toBe('80801');
    expect(state.check.asked?.port).toBe('8080');
    const resubmitted = run(state, { type: 'check-submit' });
    expect(resubmitted.check.focus).toBe('port'); // until the verdict comes
    // A check that did not run (it names nothing) keeps the field, to be corrected.
    expect(verdictCame(resubmitted, false).check.focus).toBe('port');
    const ran = verdictCame(run(resubmitted, { type: 'check-submit' }));
    expect(run(ran, { type: 'check-focus', delta: 1 }).check.focus).toBe('source');
  });

  it('a verdict takes the focus only for the latest submission, and not once the focus has moved', () => {
    let state = run(initialState('production'), {
      type: 'check-from',
      source: 'production/frontend-1',
      destination: 'svc/api',
      port: { protocol: 'TCP', port: '8080' },
    });
    const first = run(state, { type: 'check-submit' });
    const firstAsked = first.check.asked as CheckQuestion;
    state = run(first, { type: 'type', text: '1' }, { type: 'check-submit' });
    // The first submission's verdict comes after the second was submitted: it is not shown.
    const stale = run(state, { type: 'check-ran', asked: firstAsked, ran: true });
    expect(stale.check.focus).toBe('port');
    // Tab after enter: the user moved on, so the verdict leaves the focus where it is.
    const moved = run(state, { type: 'check-focus', delta: 1 });
    expect(verdictCame(moved).check.focus).toBe('protocol');
    expect(verdictCame(state).check.focus).toBe('result');
  });
});

describe('the wizard opened with the other side of a check', () => {
  const companion = { kind: 'allow-dns', namespace: 'app' } as const;
  const opened = run(initialState(), {
    type: 'wizard-open',
    wizard: { templateId: 'allow-egress', values: {}, focus: 0, companions: [companion] },
    chosen: true,
  });

  it('keeps it when the same template is chosen again', () => {
    const again = run(opened, { type: 'wizard-template', templateId: 'allow-egress' });
    expect(again.wizard?.companions).toEqual([companion]);
  });

  it('drops it when another template is chosen', () => {
    const other = run(opened, { type: 'wizard-template', templateId: 'default-deny' });
    expect(other.wizard?.templateId).toBe('default-deny');
    expect(other.wizard?.companions).toBeUndefined();
  });
});

describe("the template picker's cursor", () => {
  const picking = run(initialState(), {
    type: 'wizard-open',
    wizard: { templateId: 'allow-egress', values: { namespace: 'app' }, focus: 0 },
    chosen: false,
  });
  const index = (id: string) => WIZARD_TEMPLATES.findIndex((t) => t.id === id);

  it("starts on the wizard's template and moves round the ends without choosing", () => {
    expect(selectedTemplate(picking)).toBe(index('allow-egress'));
    const down = run(picking, { type: 'wizard-highlight', delta: 1 });
    expect(selectedTemplate(down)).toBe(index('allow-egress') + 1);
    expect(down.wizard).toBe(picking.wizard);
    expect(currentScreen(down).id).toBe('scaffold-template');
    const top = run(
      picking,
      ...Array.from(
        { length: index('allow-egress') + 1 },
        () => ({ type: 'wizard-highlight', delta: -1 }) as const,
      ),
    );
    expect(selectedTemplate(top)).toBe(WIZARD_TEMPLATES.length - 1);
  });

  it('is left alone once a template is chosen (the form is on top)', () => {
    const chosen = run(picking, { type: 'wizard-template', templateId: 'allow-egress' });
    expect(run(chosen, { type: 'wizard-highlight', delta: 1 })).toBe(chosen);
  });
});

describe('typingIntoField', () => {
  const wizard = (focus: number) => ({
    type: 'wizard-open' as const,
    wizard: { templateId: 'default-deny', values: {}, focus },
    chosen: true,
  });

  it('is true while a filter, a jump or a file name is typed, and never at a y/n question', () => {
    expect(typingIntoField(initialState())).toBe(false);
    expect(typingIntoField(run(initialState(), { type: 'start-input', mode: 'filter' }))).toBe(
      true,
    );
    expect(typingIntoField(run(initialState(), { type: 'start-input', mode: 'save' }))).toBe(true);
    const confirming = run(initialState(), {
      type: 'confirm',
      confirmation: { kind: 'overwrite', path: 'x.yaml' },
    });
    expect(typingIntoField(confirming)).toBe(false);
  });

  it('on the check form, is true on the text fields only, not the protocol or the verdict', () => {
    const form = run(initialState('production'), { type: 'check-from', source: 'a/b' });
    expect(typingIntoField(form)).toBe(true); // destination
    const protocol = run(form, { type: 'check-focus', delta: 2 });
    expect(protocol.check.focus).toBe('protocol');
    expect(typingIntoField(protocol)).toBe(false);
    const complete = run(form, { type: 'type', text: 'c/d' }, { type: 'check-focus', delta: 1 });
    const asked = run(complete, { type: 'type', text: '80' }, { type: 'check-submit' });
    expect(typingIntoField(verdictCame(asked))).toBe(false);
  });

  it('in the wizard, is true on a text field and false on a choice', () => {
    expect(typingIntoField(run(initialState(), wizard(0)))).toBe(true); // namespace
    expect(typingIntoField(run(initialState(), wizard(1)))).toBe(false); // direction
  });
});
