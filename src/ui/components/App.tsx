import { Box, Text, useApp, useWindowSize } from 'ink';
import { useMemo, useReducer } from 'react';
import { buildPeerIndex } from '../../engine/index.js';
import { errorMessage } from '../../errors.js';
import { answerScope } from '../../render/answer-scope.js';
import { completenessBadges } from '../../render/completeness.js';
import { enforcementBadge } from '../../render/enforcement.js';
import { terminalLine } from '../../render/terminal-text.js';
import { wrapDetailLines } from '../../render/wrap.js';
import { checkView } from '../check-view.js';
import {
  checkSubmitActions,
  type Effect,
  isEffect,
  type KeyAction,
  type KeyEnv,
  keyContext,
  pressActions,
} from '../key-actions.js';
import { rowAt, shownList } from '../list-rows.js';
import { screenLines } from '../screen-text.js';
import { type AnswerOptions, analyseSnapshot, compileSnapshot } from '../snapshot-analysis.js';
import type { SnapshotSource } from '../sources.js';
import { currentScreen, initialState, reduce, shownFlash } from '../state.js';
import { type JobControl, suspendToShell } from '../suspend.js';
import { screenTitle } from '../titles.js';
import { useAudit } from '../use-audit.js';
import { useDeferred } from '../use-deferred.js';
import { useKeyQueue } from '../use-key-queue.js';
import { useMatrix } from '../use-matrix.js';
import { usePolicyView } from '../use-policy-view.js';
import { useScaffoldWrites } from '../use-scaffold-writes.js';
import { useSnapshot } from '../use-snapshot.js';
import { buildClusterView } from '../view-model.js';
import { keepsDnsWorking, wizardPolicies } from '../wizard.js';
import { wizardFormView } from '../wizard-view.js';
import { formLines } from './CheckScreen.js';
import { FlashLine } from './FlashLine.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { ScreenBody } from './ScreenBody.js';

/** Lines taken by the header (2), the flash line (1) and the footer (1), besides any banner. */
const CHROME_LINES = 4;

/** How long after a snapshot's first frame its peer index is built (once the UI is drawn). */
const PEER_INDEX_DELAY_MS = 50;

/** Answers as the commands give them without flags. */
const NO_ANSWER_OPTIONS: AnswerOptions = {};

/** The real clock; one function for the app's life, so effects depending on it run once. */
const systemClock = () => new Date();

/** Props of App. */
export interface AppProps {
  readonly source: SnapshotSource;
  readonly namespace?: string;
  /** -l: the pods list starts filtered by this label selector. */
  readonly podFilter?: string;
  readonly color: boolean;
  /** The clock for "updated at", injectable for tests. */
  readonly clock?: () => Date;
  /** Hides every write (saving and applying scaffolded policies). */
  readonly readOnly?: boolean;
  /** How ctrl-z stops the job and hears `fg`; without it, ctrl-z only says it cannot. */
  readonly jobControl?: JobControl;
  /** The commands' --ignore-unmodelled and --assume-enforced, so the UI answers like them. */
  readonly answer?: AnswerOptions;
}

/** The interactive UI: lists, pod detail, traffic check, YAML and help, on one snapshot that updates live. */
export function App({
  source,
  namespace,
  podFilter,
  color,
  clock = systemClock,
  readOnly = false,
  jobControl,
  answer = NO_ANSWER_OPTIONS,
}: AppProps) {
  const { exit, suspendTerminal } = useApp();
  const { columns, rows } = useWindowSize();
  const [state, dispatch] = useReducer(reduce, undefined, () => initialState(namespace, podFilter));
  const snapshot = useSnapshot(source, clock, dispatch);
  const screen = currentScreen(state);
  const namespaceOrDefault = state.namespace ?? 'default';
  const { analysis, plugin } = useMemo(
    () => analyseSnapshot(snapshot.input, answer),
    [snapshot.input, answer],
  );
  const scope = useMemo(
    () => answerScope(analysis.cluster, plugin.cni, plugin.assumed),
    [analysis, plugin],
  );
  const view = useMemo(() => buildClusterView(analysis), [analysis]);
  // Built soon after each snapshot (or on the first pod detail, if sooner), then kept: it
  // makes each detail cheap.
  const peerIndex = useDeferred(buildPeerIndex, analysis, PEER_INDEX_DELAY_MS);
  const audit = useAudit(analysis);
  const shownPolicy = usePolicyView(analysis, screen);
  const matrix = useMatrix(analysis, screen, namespaceOrDefault, peerIndex.get);

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
  const writes = useScaffoldWrites(source, built, dispatch, {
    analysis,
    compile: (cluster) => compileSnapshot(cluster, answer),
  });

  const width = Math.max(20, columns);
  const shown = useMemo(() => shownList(view, state, audit.rows), [view, state, audit.rows]);
  const cursor = shown
    ? Math.min(state.cursors[shown.list], Math.max(0, shown.rows.length - 1))
    : 0;
  const question = wizard?.question;
  const allowDnsFlag = wizard !== undefined && keepsDnsWorking(wizard);
  const { ofPod } = audit;
  const { get: auditReport } = audit.report;
  const { get: peers } = peerIndex;
  const applyPreview =
    state.confirmation?.kind === 'overwrite' ? undefined : state.confirmation?.preview;
  const textLines = useMemo(
    () =>
      screenLines(screen, {
        input: snapshot.input,
        analysis,
        namespace: namespaceOrDefault,
        question,
        peerIndex: peers,
        audit: auditReport,
        findingsOfPod: ofPod,
        built,
        allowDnsFlag,
        policyLines: shownPolicy,
        answerNotes: scope.after,
        width,
        ...(applyPreview ? { applyPreview } : {}),
      }),
    [
      screen,
      snapshot.input,
      analysis,
      namespaceOrDefault,
      question,
      peers,
      auditReport,
      ofPod,
      built,
      allowDnsFlag,
      shownPolicy,
      scope,
      width,
      applyPreview,
    ],
  );
  const check = useMemo(() => {
    const view = checkView(analysis, state.check, namespaceOrDefault, plugin);
    // The explanation wraps to the width, its commands whole; scrolling counts wrapped lines.
    return { ...view, lines: wrapDetailLines(view.lines, width) };
  }, [analysis, state.check, namespaceOrDefault, plugin, width]);
  // The not-enforced line stays above the answer it qualifies, however far it scrolls.
  const banner =
    screen.id === 'check' ? (check.banner ?? []) : screen.id === 'pod-detail' ? scope.before : [];
  const bodyHeight = Math.max(3, rows - CHROME_LINES - banner.length);

  const availability = { readOnly, canApply: source.create !== undefined };
  const env: KeyEnv = {
    analysis,
    plugin,
    list: shown,
    selected: shown && rowAt(shown, cursor),
    ...(matrix && { matrix }),
    page: Math.max(1, bodyHeight - 2),
    scrollMax:
      screen.id === 'check'
        ? check.lines.length - (bodyHeight - formLines(state.check))
        : textLines.length - bodyHeight,
    availability,
    findings: () => audit.report.get().findings,
    ...(wizard && {
      wizard: {
        fileName: `${built?.[0]?.name ?? 'networkpolicy'}.yaml`,
        ...(wizardResult?.error !== undefined && { error: wizardResult.error }),
        ...(wizardForm?.suggestions[0] !== undefined && { suggestion: wizardForm.suggestions[0] }),
      },
    }),
    sourceName: source.name,
    canSuspend: jobControl !== undefined,
  };

  const reload = () =>
    source.reload().then(
      (next) => {
        snapshot.replace(next);
        dispatch({ type: 'flash', flash: { level: 'info', text: 'reloaded' } });
      },
      (error: unknown) =>
        dispatch({
          type: 'flash',
          flash: { level: 'error', text: `reload failed: ${errorMessage(error)}` },
        }),
    );
  const perform = (effect: Effect) => {
    switch (effect.type) {
      case 'quit':
        return exit();
      case 'suspend':
        if (!jobControl) return;
        return suspendToShell(suspendTerminal, jobControl).catch((error: unknown) =>
          dispatch({
            type: 'flash',
            flash: { level: 'error', text: `could not suspend: ${errorMessage(error)}` },
          }),
        );
      case 'reload':
        return reload();
      case 'save-file':
        return writes.save(effect.path, effect.overwrite);
      case 'dry-run':
        return writes.dryRun(effect.force);
      case 'create-policies':
        return writes.create(effect.force);
    }
  };
  const act = (actions: readonly KeyAction[]) => {
    for (const action of actions) {
      if (isEffect(action)) perform(action);
      else dispatch(action);
    }
  };
  useKeyQueue((press) => {
    const { actions, rest } = pressActions(state, press, env);
    act(actions);
    return rest;
  });

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
        updated={snapshot.updated.toTimeString().slice(0, 8)}
        badges={completenessBadges(snapshot.input.cluster)}
        enforcement={enforcementBadge(plugin.cni, plugin.assumed)}
        title={screenTitle(state, {
          rows: shown?.rows.length ?? 0,
          audit: audit.report.ready,
          readOnly,
        })}
        color={color}
      />
      {banner.map((line) => (
        <Text key={line} bold color={color ? 'red' : undefined} wrap="truncate">
          {terminalLine(line)}
        </Text>
      ))}
      <Box height={bodyHeight} flexDirection="column">
        <ScreenBody
          {...{ state, shown, cursor, audit, check, wizardForm, matrix, textLines, width, color }}
          height={bodyHeight}
          onProtocol={(protocol) => dispatch({ type: 'check-protocol', protocol })}
          onSubmitProtocol={(protocol) =>
            act([
              { type: 'check-protocol', protocol },
              ...checkSubmitActions({ ...state.check, protocol }, state, env),
            ])
          }
          onTemplate={(templateId) => dispatch({ type: 'wizard-template', templateId })}
        />
      </Box>
      <FlashLine flash={shownFlash(state)} color={color} />
      <Footer
        context={keyContext(state)}
        availability={availability}
        mode={state.mode}
        input={state.input}
        inputSelected={state.inputSelected}
        confirmation={state.confirmation}
        width={width}
      />
    </Box>
  );
}
