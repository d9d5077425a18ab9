import { Box, useApp, useInput, usePaste, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import {
  auditCluster,
  buildPeerIndex,
  compileCluster,
  explainPod,
  policyEffect,
} from '../../engine/index.js';
import type { LoadedInput } from '../../io/normalize/loaded-input.js';
import { exposureLines } from '../../render/exposure.js';
import { findingText } from '../../render/findings.js';
import { yamlText } from '../../render/structured.js';
import {
  auditHeaderLine,
  type FindingRow,
  findingCountText,
  findingLines,
  findingRows,
  findingsByNamespace,
  findingsByPod,
  podFindingLines,
} from '../audit-view.js';
import { checkView } from '../check-view.js';
import { firstKey, type KeyPress, keyPresses, type NamedKey, pastedLine } from '../key-presses.js';
import { bindingFor, type Command, KEYMAP, type KeyContext } from '../keymap.js';
import type { SnapshotSource } from '../sources.js';
import {
  askedQuestion,
  type CheckForm,
  currentList,
  currentScreen,
  type Flash,
  initialState,
  reduce,
  type Screen,
  shownFlash,
  typingIntoField,
  type UiState,
} from '../state.js';
import { type JobControl, suspendToShell } from '../suspend.js';
import { useDeferred } from '../use-deferred.js';
import { useScaffoldWrites } from '../use-scaffold-writes.js';
import {
  buildClusterView,
  type ClusterView,
  type NamespaceRow,
  type PodRow,
  type PolicyRow,
  passesFilter,
  visibleRows,
} from '../view-model.js';
import { completeTerm, fieldValue, focusedField, nextChoice, wizardPolicies } from '../wizard.js';
import {
  wizardForCheck,
  wizardForFinding,
  wizardForNamespace,
  wizardForPod,
} from '../wizard-prefill.js';
import { wizardPreviewLines } from '../wizard-preview.js';
import { wizardFormView } from '../wizard-view.js';
import { CheckScreen, formLines } from './CheckScreen.js';
import {
  ALL_NAMESPACES,
  FINDING_COLUMNS,
  namespaceColumns,
  POLICY_COLUMNS,
  podColumns,
} from './columns.js';
import { FlashLine } from './FlashLine.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { ListView } from './ListView.js';
import { TextView } from './TextView.js';
import { TemplatePicker, WizardForm } from './WizardScreen.js';

/** Lines taken by the header (2), the flash line (1) and the footer (1). */
const CHROME_LINES = 4;

function listRows(view: ClusterView, state: UiState, findings: () => readonly FindingRow[]) {
  const list = currentList(state);
  if (!list) return [];
  if (list === 'audit') {
    return findings().filter(
      (row) =>
        (!state.namespace || !row.namespace || row.namespace === state.namespace) &&
        passesFilter(state.filters.audit, `${row.code} ${row.message}`, row.labels),
    );
  }
  const rows = visibleRows(view, list, state.namespace, state.filters[list]);
  return list === 'namespaces' ? [ALL_NAMESPACES, ...rows] : rows;
}

function helpLines(): string[] {
  return [
    'Keys (the same table drives the footer and the input handling):',
    '',
    ...KEYMAP.map(
      (b) => `  ${b.label.padEnd(8)} ${b.description.padEnd(34)} on: ${b.screens.join(', ')}`,
    ),
    '',
    'Filter: "/" then text (matches names) or label=value (matches a label exactly;',
    '  on policies, a label of the pods they select).',
    'Jump: ":ns", ":po", ":netpol", ":audit", ":ctx".',
    'Paste: into the field being edited; on a list, the pasted text becomes the filter.',
  ];
}

function yamlKey(
  view: ClusterView,
  row: PodRow | PolicyRow | undefined,
  screen: Screen,
): string | undefined {
  if (screen.id === 'pod-detail') {
    const pod = view.analysis.pods[view.analysis.podIndex.get(screen.podId) ?? -1];
    return pod ? `${pod.kind} ${pod.id}` : undefined;
  }
  if (!row) return undefined;
  return 'kind' in row ? `${row.kind} ${row.key}` : `NetworkPolicy ${row.key}`;
}

/** How long after a snapshot's first frame its peer index is built (once the UI is drawn). */
const PEER_INDEX_DELAY_MS = 50;

/** How long after a snapshot's first frame the audit runs (its findings mark the lists). */
const AUDIT_DELAY_MS = 100;

/** The real clock; one function for the app's life, so effects depending on it run once. */
const systemClock = () => new Date();

/** Props of App. */
export interface AppProps {
  readonly source: SnapshotSource;
  readonly namespace?: string;
  readonly color: boolean;
  /** The clock for "updated at", injectable for tests. */
  readonly clock?: () => Date;
  /** Hides every write (saving and applying scaffolded policies). */
  readonly readOnly?: boolean;
  /** How ctrl-z stops the job and hears `fg`; without it, ctrl-z only says it cannot. */
  readonly jobControl?: JobControl;
}

/** The interactive UI: lists, pod detail, traffic check, YAML and help, on one snapshot that updates live. */
export function App({
  source,
  namespace,
  color,
  clock = systemClock,
  readOnly = false,
  jobControl,
}: AppProps) {
  const { exit, suspendTerminal } = useApp();
  const { columns, rows } = useWindowSize();
  const [input, setInput] = useState<LoadedInput>(source.initial);
  const [updated, setUpdated] = useState(() => clock());
  const [state, dispatch] = useReducer(reduce, namespace, initialState);
  const analysis = useMemo(() => compileCluster(input.cluster), [input]);
  const view = useMemo(() => buildClusterView(analysis), [analysis]);
  // Built soon after each snapshot (or on the first pod detail, if sooner), then kept: it
  // makes each detail cheap.
  const peerIndex = useDeferred(buildPeerIndex, analysis, PEER_INDEX_DELAY_MS);

  // The snapshot's problems hold until a snapshot without them arrives.
  useEffect(() => {
    const problems = input.findings.filter((f) => f.severity !== 'info');
    const first = problems.find((f) => f.severity === 'error') ?? problems[0];
    const count =
      problems.length === 1 ? '' : `${problems.length} problems (explain lists them); first: `;
    const level = first?.severity === 'error' ? 'error' : 'warning';
    const flash: Flash | undefined = first && { level, text: `${count}${findingText(first)}` };
    dispatch({ type: 'condition', source: 'snapshot', flash });
  }, [input]);

  // A lost watch holds until that watch is back.
  useEffect(
    () =>
      source.watch?.({
        onSnapshot: (next) => {
          setInput(next);
          setUpdated(clock());
        },
        onWatchError: (text, watch) =>
          dispatch({
            type: 'condition',
            source: `watch ${watch}`,
            flash: { level: 'warning', text },
          }),
        onWatchRecovered: (watch) =>
          dispatch({ type: 'condition', source: `watch ${watch}`, flash: undefined }),
      }),
    [source, clock],
  );

  const audit = useDeferred(auditCluster, analysis, AUDIT_DELAY_MS);
  const auditIndex = useMemo(
    () =>
      audit.ready && {
        rows: findingRows(audit.ready),
        byNamespace: findingsByNamespace(audit.ready),
        byPod: findingsByPod(audit.ready),
      },
    [audit.ready],
  );
  const findingsOfPod = useCallback(
    (podId: string) => (auditIndex ? (auditIndex.byPod.get(podId) ?? []) : []),
    [auditIndex],
  );
  const listColumns = useMemo(
    () => ({
      namespaces: namespaceColumns((ns) =>
        auditIndex ? findingCountText(auditIndex.byNamespace.get(ns) ?? []) : '',
      ),
      pods: podColumns((podId) => findingsOfPod(podId).some((f) => f.severity !== 'info')),
    }),
    [auditIndex, findingsOfPod],
  );

  const screen = currentScreen(state);
  const context: KeyContext =
    screen.id === 'check' && state.check.focus === 'result' ? 'check-result' : screen.id;
  const availability = { readOnly, canApply: source.create !== undefined };
  const wizard = state.wizard;
  // Built once per edit: the form, the preview and the writes all use it.
  const wizardResult = useMemo(() => (wizard ? wizardPolicies(wizard) : undefined), [wizard]);
  const built = wizardResult?.policies;
  const wizardForm = useMemo(
    () =>
      wizard && wizardResult && screen.id === 'scaffold-form'
        ? wizardFormView(analysis, wizard, wizardResult)
        : undefined,
    [analysis, wizard, wizardResult, screen.id],
  );
  const writes = useScaffoldWrites(source, built, dispatch);
  const bodyHeight = Math.max(3, rows - CHROME_LINES);
  const width = Math.max(20, columns);
  const list = currentList(state);
  const shown = useMemo(
    () => listRows(view, state, () => (auditIndex ? auditIndex.rows : findingRows(audit.get()))),
    [view, state, auditIndex, audit],
  );
  const cursor = list ? Math.min(state.cursors[list], Math.max(0, shown.length - 1)) : 0;
  const selected = shown[cursor];

  const detailLines = useMemo(() => {
    if (screen.id !== 'pod-detail') return [];
    const podIdx = analysis.podIndex.get(screen.podId);
    return podIdx === undefined
      ? [`pod ${screen.podId} is no longer in the snapshot`]
      : [
          ...podFindingLines(findingsOfPod(screen.podId)),
          // the title names the pod
          ...exposureLines(explainPod(analysis, podIdx, { peerIndex: peerIndex.get() })).slice(1),
        ];
  }, [screen, analysis, peerIndex, findingsOfPod]);
  const textLines = useMemo(() => {
    if (screen.id === 'help') return helpLines();
    if (screen.id === 'audit-finding') {
      const finding = audit.get().findings[screen.index];
      return finding ? findingLines(finding) : ['the finding is gone from the latest snapshot'];
    }
    if (screen.id === 'scaffold-preview') {
      return built
        ? wizardPreviewLines(
            analysis,
            built,
            policyEffect(analysis.cluster, built),
            wizard?.question,
            state.namespace ?? 'default',
          )
        : [];
    }
    if (screen.id !== 'yaml') return detailLines;
    const object = input.objects.get(screen.objectKey);
    return object
      ? yamlText(object, { aliasDuplicateObjects: false }).split('\n')
      : [`${screen.objectKey} is no longer in the snapshot`];
  }, [screen, input, detailLines, analysis, built, wizard?.question, state.namespace, audit]);
  const check = useMemo(
    () => checkView(analysis, state.check, state.namespace ?? 'default'),
    [analysis, state.check, state.namespace],
  );

  const runCommand = (text: string) => {
    const [word = '', ...rest] = text.trim().split(/\s+/);
    const jumps: Record<string, Screen> = {
      ns: { id: 'namespaces' },
      namespaces: { id: 'namespaces' },
      po: { id: 'pods' },
      pods: { id: 'pods' },
      netpol: { id: 'policies' },
      audit: { id: 'audit' },
      np: { id: 'policies' },
      networkpolicies: { id: 'policies' },
    };
    const jump = jumps[word];
    if (jump) dispatch({ type: 'jump', screen: jump });
    else if (word === 'ctx' || word === 'context') {
      const text =
        rest.length > 0
          ? `switching context inside the UI is not supported yet: run kubectl netpol --context ${rest[0]}`
          : `source: ${source.name}`;
      dispatch({ type: 'flash', flash: { level: 'info', text } });
    } else if (word === 'q' || word === 'quit') exit();
    else dispatch({ type: 'flash', flash: { level: 'error', text: `unknown command :${text}` } });
  };

  const run = (command: Command, key = '') => {
    const page = Math.max(1, bodyHeight - 2);
    const scrollable =
      screen.id === 'check'
        ? check.lines.length - (bodyHeight - formLines(state.check))
        : textLines.length - bodyHeight;
    const move = (delta: number) =>
      list
        ? dispatch({ type: 'move', delta, size: shown.length })
        : dispatch({ type: 'scroll', delta, max: Math.max(0, scrollable) });
    switch (command) {
      case 'up':
        return move(-1);
      case 'down':
        return move(1);
      case 'page-up':
        return move(-page);
      case 'page-down':
        return move(page);
      case 'open':
        if (!selected) return;
        if (list === 'namespaces') {
          const row = selected as NamespaceRow;
          return dispatch({
            type: 'choose-namespace',
            namespace: row.key === '*' ? undefined : row.name,
          });
        }
        if (list === 'pods')
          return dispatch({ type: 'open', screen: { id: 'pod-detail', podId: selected.key } });
        if (list === 'audit')
          return dispatch({
            type: 'open',
            screen: { id: 'audit-finding', index: (selected as FindingRow).index },
          });
        return dispatch({
          type: 'open',
          screen: { id: 'yaml', objectKey: `NetworkPolicy ${selected.key}` },
        });
      case 'back':
        if (list && state.filters[list]) return dispatch({ type: 'end-input', keep: false });
        return dispatch({ type: 'back' });
      case 'filter':
        return dispatch({ type: 'start-input', mode: 'filter' });
      case 'command':
        return dispatch({ type: 'start-input', mode: 'command' });
      case 'help':
        return dispatch({ type: 'open', screen: { id: 'help' } });
      case 'quit':
        return exit();
      case 'suspend':
        if (!jobControl) {
          const text = 'ctrl-z: this terminal has no job control to suspend to';
          return dispatch({ type: 'flash', flash: { level: 'info', text } });
        }
        suspendToShell(suspendTerminal, jobControl).catch((error: unknown) => {
          const text = `could not suspend: ${error instanceof Error ? error.message : String(error)}`;
          dispatch({ type: 'flash', flash: { level: 'error', text } });
        });
        return;
      case 'yaml': {
        const key = yamlKey(view, selected as PodRow | PolicyRow | undefined, screen);
        return key ? dispatch({ type: 'open', screen: { id: 'yaml', objectKey: key } }) : undefined;
      }
      case 'check': {
        const podId = screen.id === 'pod-detail' ? screen.podId : selected?.key;
        return podId ? dispatch({ type: 'check-from', source: podId }) : undefined;
      }
      case 'namespace':
        return dispatch({ type: 'pick-namespace' });
      case 'reload':
        dispatch({ type: 'flash', flash: { level: 'info', text: 'reloading…' } });
        source.reload().then(
          (next) => {
            setInput(next);
            setUpdated(clock());
            dispatch({ type: 'flash', flash: { level: 'info', text: 'reloaded' } });
          },
          (error: unknown) =>
            dispatch({
              type: 'flash',
              flash: {
                level: 'error',
                text: `reload failed: ${error instanceof Error ? error.message : String(error)}`,
              },
            }),
        );
        return;
      case 'next-field':
      case 'previous-field': {
        const delta = command === 'next-field' ? 1 : -1;
        return dispatch({ type: screen.id === 'check' ? 'check-focus' : 'wizard-focus', delta });
      }
      case 'run-check':
        return submitCheck(state.check);
      case 'scaffold':
        return dispatch({ type: 'wizard-open', ...wizardStart() });
      case 'pick':
        return; // the template picker (ink-select-input) takes these keys itself
      case 'complete':
      case 'previous-choice': {
        const field = wizard && focusedField(wizard);
        if (!wizard || !field) return;
        const value = fieldValue(wizard, field);
        const delta = command === 'complete' ? 1 : -1;
        if (field.choices)
          return dispatch({ type: 'wizard-set', value: nextChoice(field, value, delta) });
        const [first] = wizardForm?.suggestions ?? [];
        return first && command === 'complete'
          ? dispatch({ type: 'wizard-set', value: completeTerm(value, first) })
          : undefined;
      }
      case 'preview': {
        const error = wizardResult?.error;
        if (error) return dispatch({ type: 'flash', flash: { level: 'error', text: error } });
        return dispatch({ type: 'open', screen: { id: 'scaffold-preview' } });
      }
      case 'save':
        return dispatch({
          type: 'start-input',
          mode: 'save',
          text: `${built?.[0]?.name ?? 'networkpolicy'}.yaml`,
        });
      case 'apply':
        return writes.dryRun();
      case 'audit':
        return dispatch({ type: 'open', screen: { id: 'audit' } });
      case 'open-object': {
        const finding =
          screen.id === 'audit-finding' ? audit.get().findings[screen.index] : undefined;
        const object = finding?.objects[Number(key) - 1];
        if (!object) return;
        if (object.kind === 'Namespace')
          return dispatch({ type: 'choose-namespace', namespace: object.name });
        const id = `${object.namespace}/${object.name}`;
        if (object.kind !== 'NetworkPolicy' && analysis.podIndex.has(id))
          return dispatch({ type: 'open', screen: { id: 'pod-detail', podId: id } });
        return dispatch({
          type: 'open',
          screen: { id: 'yaml', objectKey: `${object.kind} ${id}` },
        });
      }
    }
  };

  // A check that ran hands the focus to its verdict (where "s" scaffolds a fix); a form that
  // is incomplete or names nothing keeps it, to be corrected.
  const submitCheck = (form: CheckForm) => {
    const asked = askedQuestion(form);
    const ran = checkView(analysis, { ...form, asked }, state.namespace ?? 'default').allowed;
    dispatch({ type: 'check-submit', focusResult: ran !== undefined });
  };

  const wizardStart = () => {
    if (screen.id === 'audit-finding') {
      const finding = audit.get().findings[screen.index];
      return finding
        ? wizardForFinding(finding, state.namespace)
        : wizardForNamespace(state.namespace);
    }
    if (screen.id === 'check')
      return wizardForCheck(analysis, state.check, state.namespace ?? 'default');
    if (list === 'namespaces') {
      const row = selected as NamespaceRow | undefined;
      return wizardForNamespace(row && row.key !== '*' ? row.name : state.namespace);
    }
    const podId = screen.id === 'pod-detail' ? screen.podId : selected?.key;
    const podIdx = podId === undefined ? undefined : analysis.podIndex.get(podId);
    return podIdx === undefined
      ? wizardForNamespace(state.namespace)
      : wizardForPod(analysis, podIdx);
  };

  const answer = (yes: boolean) => {
    const confirmation = state.confirmation;
    dispatch({ type: 'end-input', keep: true });
    if (!yes) {
      const what = confirmation?.kind === 'apply' ? 'not applied' : 'not saved';
      return dispatch({ type: 'flash', flash: { level: 'info', text: what } });
    }
    if (confirmation?.kind === 'overwrite') writes.save(confirmation.path, true);
    if (confirmation?.kind === 'apply') writes.create();
  };

  /** One key, on the screen and focus the keys before it left. */
  const pressKey = ({ name, text }: NamedKey) => {
    // Both work whatever is being typed.
    if (name === 'ctrl+c') return exit();
    if (name === 'ctrl+z') return run('suspend');
    if (state.mode === 'confirm') return answer(name === 'y' || name === 'Y');
    if (state.mode !== 'normal') {
      if (name === 'enter') {
        if (state.mode === 'command') runCommand(state.input);
        if (state.mode === 'save') writes.save(state.input, false);
        return dispatch({ type: 'end-input', keep: true });
      }
      if (name === 'esc') return dispatch({ type: 'end-input', keep: false });
      if (name === 'backspace') return dispatch({ type: 'erase' });
      if (text) dispatch({ type: 'type', text });
      return;
    }
    // The protocol picker (ink-select-input) takes the arrow keys itself.
    if (
      context === 'check' &&
      state.check.focus === 'protocol' &&
      (name === 'up' || name === 'down')
    )
      return;
    const binding = bindingFor(context, name, availability);
    if (binding) return run(binding.command, name);
    if (context !== 'check' && context !== 'scaffold-form') return;
    if (name === 'backspace') return dispatch({ type: 'erase' });
    if (text) dispatch({ type: 'type', text });
  };

  // Pasted text is never keys: it goes into the field being edited, or becomes a list's filter.
  const paste = (text: string) => {
    const line = pastedLine(text);
    if (!line) return;
    if (typingIntoField(state)) return dispatch({ type: 'type', text: line });
    if (state.mode !== 'normal' || !list) {
      return dispatch({ type: 'flash', flash: { level: 'info', text: 'nothing here takes text' } });
    }
    dispatch({ type: 'start-input', mode: 'filter', text: '' });
    dispatch({ type: 'type', text: line });
  };

  /** Handles one press of a read; returns what is left of it (the rest of a run taken as keys). */
  const handlePress = (press: KeyPress): KeyPress[] => {
    // A one-shot message lasts until the next key: it reported the previous action.
    if (state.flash) dispatch({ type: 'flash', flash: undefined });
    if (press.kind === 'paste') {
      paste(press.text);
      return [];
    }
    if (press.kind === 'key') {
      pressKey(press);
      return [];
    }
    if (typingIntoField(state)) {
      dispatch({ type: 'type', text: press.text });
      return [];
    }
    const { key, rest } = firstKey(press.text);
    pressKey(key);
    return rest;
  };

  // Everything in one read is handled, in order. The first press is handled at once; each
  // later one waits for the render its predecessor caused, so that it sees the screen, focus
  // and rows that press left ("/web" filters; "jj" then enter opens the third row).
  const [queued, setQueued] = useState<readonly KeyPress[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per render of a new queue, with that render's state
  useEffect(() => {
    const [next] = queued;
    if (!next) return;
    const leftover = handlePress(next);
    setQueued((queue) => [...leftover, ...queue.slice(1)]);
  }, [queued]);
  const receive = (presses: readonly KeyPress[]) => {
    if (queued.length > 0) return setQueued((queue) => [...queue, ...presses]);
    const [next, ...later] = presses;
    if (!next) return;
    const rest = [...handlePress(next), ...later];
    if (rest.length > 0) setQueued(rest);
  };
  useInput((input, key) => receive(keyPresses(input, key)));
  usePaste((text) => receive([{ kind: 'paste', text }]));

  const titles: Record<Screen['id'], string> = {
    namespaces: `Namespaces (${shown.length - 1})${state.pickingNamespace ? ': pick one' : ''}`,
    pods: `Pods${state.namespace ? ` in ${state.namespace}` : ''} (${shown.length})`,
    policies: `NetworkPolicies${state.namespace ? ` in ${state.namespace}` : ''} (${shown.length})`,
    'pod-detail': screen.id === 'pod-detail' ? `Pod ${screen.podId}` : '',
    check: 'Traffic check',
    yaml: screen.id === 'yaml' ? `YAML: ${screen.objectKey}` : '',
    help: 'Help',
    audit: `Audit${state.namespace ? ` of ${state.namespace}` : ''} (${shown.length}): ${audit.ready ? auditHeaderLine(audit.ready) : ''}`,
    'audit-finding': 'Audit finding',
    'scaffold-template': 'Scaffold a NetworkPolicy',
    'scaffold-form': 'Scaffold a NetworkPolicy: fill in (→ completes)',
    'scaffold-preview': `Scaffold preview${readOnly ? ' (read-only: nothing can be written)' : ''}`,
  };
  const filter = list && state.filters[list] ? `  filter: ${state.filters[list]}` : '';

  const listProps = { cursor, height: bodyHeight, width, color };
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Header
        source={source.name}
        namespace={state.namespace}
        counts={{
          namespaces: view.namespaces.length,
          pods: view.pods.length,
          policies: view.policies.length,
        }}
        updated={updated.toTimeString().slice(0, 8)}
        title={`${titles[screen.id]}${filter}`}
        color={color}
      />
      <Box height={bodyHeight} flexDirection="column">
        {list === 'namespaces' ? (
          <ListView
            rows={shown as NamespaceRow[]}
            columns={listColumns.namespaces}
            empty="no namespaces"
            {...listProps}
          />
        ) : list === 'pods' ? (
          <ListView
            rows={shown as PodRow[]}
            columns={listColumns.pods}
            empty="no pods match"
            {...listProps}
          />
        ) : list === 'policies' ? (
          <ListView
            rows={shown as PolicyRow[]}
            columns={POLICY_COLUMNS}
            empty="no NetworkPolicies match"
            {...listProps}
          />
        ) : list === 'audit' ? (
          <ListView
            rows={shown as FindingRow[]}
            columns={FINDING_COLUMNS}
            empty="no findings"
            {...listProps}
          />
        ) : screen.id === 'check' ? (
          <CheckScreen
            form={state.check}
            view={check}
            height={bodyHeight}
            width={width}
            scroll={state.scroll}
            color={color}
            onProtocol={(protocol) => dispatch({ type: 'check-protocol', protocol })}
            onSubmitProtocol={(protocol) => {
              dispatch({ type: 'check-protocol', protocol });
              submitCheck({ ...state.check, protocol });
            }}
          />
        ) : screen.id === 'scaffold-template' ? (
          <TemplatePicker
            templateId={wizard?.templateId ?? ''}
            color={color}
            onChoose={(templateId) => dispatch({ type: 'wizard-template', templateId })}
          />
        ) : wizardForm ? (
          <WizardForm view={wizardForm} width={width} color={color} />
        ) : (
          <TextView lines={textLines} scroll={state.scroll} height={bodyHeight} width={width} />
        )}
      </Box>
      <FlashLine flash={shownFlash(state)} color={color} />
      <Footer
        context={context}
        availability={availability}
        mode={state.mode}
        input={state.input}
        confirmation={state.confirmation}
        width={width}
      />
    </Box>
  );
}
