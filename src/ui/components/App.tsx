import { Box, Text, useApp, useWindowSize } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { dnsRuleTarget } from '../../engine/index.js';
import { errorMessage } from '../../errors.js';
import { completenessBadges } from '../../render/completeness.js';
import { terminalLine } from '../../render/terminal-text.js';
import { wrapDetailLines } from '../../render/wrap.js';
import type { Analyst } from '../analyst/analyst.js';
import { inProcessAnalyst } from '../analyst/in-process.js';
import type { AnalystQuestion, AnalystSnapshot } from '../analyst/questions.js';
import { answeredCheckView } from '../check-answer.js';
import { unaskedCheckView } from '../check-view.js';
import {
  completionOfTarget,
  type Effect,
  isEffect,
  type KeyAction,
  type KeyEnv,
  keyContext,
  pressActions,
} from '../key-actions.js';
import { listQuery, rowAt, shownList } from '../list-rows.js';
import { layerMode, pluginView } from '../plugin-view.js';
import { awaitsAnalysedRows, provisionalView } from '../provisional-view.js';
import { screenLines } from '../screen-text.js';
import type { AnswerOptions } from '../snapshot-analysis.js';
import { snapshotNames } from '../snapshot-names.js';
import type { SnapshotSource } from '../sources.js';
import { currentScreen, escapeLeads, initialState, reduce, shownFlash } from '../state.js';
import { type JobControl, suspendToShell } from '../suspend.js';
import { screenTitle } from '../titles.js';
import { type Answered, answerValue, shownValue, useAnswer } from '../use-answer.js';
import { useAudit } from '../use-audit.js';
import { useKeyQueue } from '../use-key-queue.js';
import { useMatrix } from '../use-matrix.js';
import { useObjectYaml } from '../use-object-yaml.js';
import { usePolicyView } from '../use-policy-view.js';
import { useReload } from '../use-reload.js';
import { useScaffoldWrites } from '../use-scaffold-writes.js';
import { useSnapshot } from '../use-snapshot.js';
import { keepsDnsWorking, wizardPolicies } from '../wizard.js';
import { type WizardFormView, wizardFormNow } from '../wizard-view.js';
import { formLines } from './CheckScreen.js';
import { FlashLine } from './FlashLine.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { ProgressLine, type Work } from './ProgressLine.js';
import { ScreenBody } from './ScreenBody.js';

/** The network plugin the snapshot's workloads show, which the analyst detects. */
const NETWORK_PLUGIN = { kind: 'network-plugin' } as const satisfies AnalystQuestion;

/** The lists' rows, which the analyst builds for each snapshot. */
const CLUSTER_VIEW = { kind: 'cluster-view' } as const satisfies AnalystQuestion;

/** Lines taken by the header (2), the flash line (1) and the footer (1), besides any banner. */
const CHROME_LINES = 4;

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
  /**
   * Answers the heavy questions (audit, pod detail, policy view, matrix, scaffold preview): a
   * worker thread's, as `kubectl netpol` runs; without it, one on the UI's thread (for tests).
   */
  readonly analyst?: Analyst;
}

/**
 * The background work of answers not yet come, as the progress line names it; `shownWhileWorking`
 * are those whose screens show the previous snapshot's answer meanwhile (see answerLines).
 */
function workUnderWay(
  answers: readonly [string, Answered<unknown>][],
  shownWhileWorking: readonly Answered<unknown>[],
): Work[] {
  return answers.flatMap(([label, answered]) =>
    answered.state === 'working'
      ? [
          {
            label,
            since: answered.since,
            showingPrevious: 'previous' in answered && shownWhileWorking.includes(answered),
          },
        ]
      : [],
  );
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
  analyst: givenAnalyst,
}: AppProps) {
  const { exit, suspendTerminal } = useApp();
  const { columns, rows } = useWindowSize();
  const [state, dispatch] = useReducer(reduce, undefined, () => initialState(namespace, podFilter));
  const snapshot = useSnapshot(source, clock, dispatch);
  const { reloading, reload } = useReload(source, snapshot.replace, dispatch);
  const screen = currentScreen(state);
  const namespaceOrDefault = state.namespace ?? 'default';
  const { cluster } = snapshot.input;
  const names = useMemo(() => snapshotNames.now(snapshot.input.cluster), [snapshot.input]);
  const ownAnalyst = useMemo(() => (givenAnalyst ? undefined : inProcessAnalyst()), [givenAnalyst]);
  useEffect(() => () => ownAnalyst?.close(), [ownAnalyst]);
  const analyst = givenAnalyst ?? (ownAnalyst as Analyst);
  const analystSnapshot: AnalystSnapshot = useMemo(
    () => ({ cluster: snapshot.input.cluster, options: answer }),
    [snapshot.input, answer],
  );
  // The UI's thread never compiles a snapshot nor detects its network plugin (the analyst does,
  // first of all): it looks names up in its lists. After a watch update, the previous
  // detection stays until the new one comes.
  const cni = shownValue(useAnswer(analyst, analystSnapshot, NETWORK_PLUGIN));
  const plugin = useMemo(() => pluginView(cluster, cni, answer), [cluster, cni, answer]);
  // Asked before the audit, on the same worker: the lists fill in first. Until then the
  // namespaces show with their counts; after a watch update, the previous rows stay.
  const clusterRows = useAnswer(analyst, analystSnapshot, CLUSTER_VIEW);
  const analysedRows = shownValue(clusterRows);
  const view = useMemo(
    () => analysedRows ?? provisionalView.now(snapshot.input.cluster),
    [analysedRows, snapshot.input],
  );
  const audit = useAudit(analyst, analystSnapshot);
  const shownPolicy = usePolicyView(analyst, analystSnapshot, screen);
  const matrixAnswer = useMatrix(analyst, analystSnapshot, screen, namespaceOrDefault);
  // After a watch update, the previous snapshot's matrix stays until the new one comes.
  const matrix = shownValue(matrixAnswer);
  const detailPodId = screen.id === 'pod-detail' ? screen.podId : undefined;
  const podExposure = useAnswer(
    analyst,
    analystSnapshot,
    useMemo(
      () =>
        detailPodId === undefined
          ? undefined
          : ({ kind: 'pod-exposure', podId: detailPodId } as const),
      [detailPodId],
    ),
  );

  const wizard = state.wizard;
  // The DNS pods and ports allow-dns admits, whose ports its title names: once per snapshot.
  const dnsTarget = useMemo(() => dnsRuleTarget(cluster), [cluster]);
  // Built once per edit: the form, the preview and the writes all use it.
  const wizardResult = useMemo(
    () => (wizard ? wizardPolicies(wizard, dnsTarget) : undefined),
    [wizard, dnsTarget],
  );
  const built = wizardResult?.policies;
  const dnsAssumptions = wizardResult?.dnsAssumptions;
  const formShown = screen.id === 'scaffold-form';
  const analysedForm = useAnswer(
    analyst,
    analystSnapshot,
    useMemo(
      () => (wizard && formShown ? ({ kind: 'wizard-form', wizard } as const) : undefined),
      [wizard, formShown],
    ),
  );
  // The analyst's latest form: its notes stay on the fields not edited since.
  const lastForm = useRef<WizardFormView | undefined>(undefined);
  lastForm.current = answerValue(analysedForm) ?? lastForm.current;
  const wizardForm =
    wizard && wizardResult && formShown
      ? wizardFormNow(wizard, wizardResult, lastForm.current, dnsTarget)
      : undefined;
  const writes = useScaffoldWrites(
    source,
    built,
    dispatch,
    (plans) => analyst.ask(analystSnapshot, { kind: 'apply-preview', plans }).answer,
    dnsAssumptions,
  );

  const width = Math.max(20, columns);
  // Filtered again only when the list, its namespace or its filter changes, not on every key:
  // narrowing 10,000 rows takes milliseconds and leaves garbage.
  const query = listQuery(state);
  const { list: shownListId, namespace: shownNamespace, filter: shownFilter } = query ?? {};
  const shown = useMemo(
    () =>
      shownListId &&
      shownList(
        view,
        { list: shownListId, namespace: shownNamespace, filter: shownFilter ?? '' },
        audit.rows,
      ),
    [view, shownListId, shownNamespace, shownFilter, audit.rows],
  );
  const cursor = shown
    ? Math.min(state.cursors[shown.list], Math.max(0, shown.rows.length - 1))
    : 0;
  const question = wizard?.question;
  const allowDnsFlag = wizard !== undefined && keepsDnsWorking(wizard);
  const previewShown = screen.id === 'scaffold-preview';
  const scaffoldPreview = useAnswer(
    analyst,
    analystSnapshot,
    useMemo(
      (): AnalystQuestion | undefined =>
        previewShown && built && dnsAssumptions
          ? {
              kind: 'scaffold-preview',
              policies: built,
              dnsAssumptions,
              question,
              namespace: namespaceOrDefault,
              allowDnsFlag,
            }
          : undefined,
      [previewShown, built, dnsAssumptions, question, namespaceOrDefault, allowDnsFlag],
    ) as Extract<AnalystQuestion, { kind: 'scaffold-preview' }> | undefined,
  );
  const { ofPod, digest: auditDigest } = audit;
  const findingIndex = screen.id === 'audit-finding' ? screen.index : undefined;
  const finding = useAnswer(
    analyst,
    analystSnapshot,
    useMemo(
      () =>
        findingIndex === undefined
          ? undefined
          : ({ kind: 'audit-finding', index: findingIndex } as const),
      [findingIndex],
    ),
  );
  const objectYaml = useObjectYaml(
    analyst,
    analystSnapshot,
    screen.id === 'yaml' ? snapshot.input.objects.get(screen.objectKey) : undefined,
  );
  const applyPreview =
    state.confirmation?.kind === 'overwrite' ? undefined : state.confirmation?.preview;
  const textLines = useMemo(
    () =>
      screenLines(screen, {
        input: snapshot.input,
        podExposure,
        finding,
        findingsOfPod: ofPod,
        scaffoldPreview,
        objectYaml,
        policyLines: shownPolicy,
        answerNotes: plugin.after,
        width,
        ...(applyPreview ? { applyPreview } : {}),
      }),
    [
      screen,
      snapshot.input,
      podExposure,
      finding,
      ofPod,
      scaffoldPreview,
      objectYaml,
      shownPolicy,
      plugin,
      width,
      applyPreview,
    ],
  );
  const checkAsked = unaskedCheckView(state.check) ? undefined : state.check.asked;
  const checkAnswer = useAnswer(
    analyst,
    analystSnapshot,
    useMemo(
      () =>
        checkAsked &&
        ({ kind: 'check', asked: checkAsked, namespace: namespaceOrDefault } as const),
      [checkAsked, namespaceOrDefault],
    ),
  );
  // The verdict takes the focus when it comes, if the check ran.
  useEffect(() => {
    if (!checkAsked || (checkAnswer.state !== 'done' && checkAnswer.state !== 'failed')) return;
    const ran = checkAnswer.state === 'done' && checkAnswer.value.view.outcome !== undefined;
    dispatch({ type: 'check-ran', asked: checkAsked, ran });
  }, [checkAnswer, checkAsked]);
  const check = useMemo(() => {
    const view = unaskedCheckView(state.check) ?? answeredCheckView(checkAnswer);
    // The explanation wraps to the width, its commands whole; scrolling counts wrapped lines.
    return { ...view, lines: wrapDetailLines(view.lines, width) };
  }, [state.check, checkAnswer, width]);
  // The not-enforced line stays above the answer it qualifies, however far it scrolls.
  const banner =
    screen.id === 'check' ? (check.banner ?? []) : screen.id === 'pod-detail' ? plugin.before : [];
  const bodyHeight = Math.max(3, rows - CHROME_LINES - banner.length);

  const availability = { readOnly, canApply: source.create !== undefined };
  const env: KeyEnv = {
    names,
    ...(checkAnswer.state === 'done' && { checkWizard: checkAnswer.value.wizard }),
    list: shown,
    selected: shown && rowAt(shown, cursor),
    ...(matrix && { matrix }),
    page: Math.max(1, bodyHeight - 2),
    scrollMax:
      screen.id === 'check'
        ? check.lines.length - (bodyHeight - formLines(state.check))
        : textLines.length - bodyHeight,
    availability,
    finding: answerValue(finding),
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
      case 'complete-target':
        return completeTarget(effect);
    }
  };
  // A Tab's completion being worked on: keys after it wait for it.
  const [completing, setCompleting] = useState(false);
  // The state as of the last render, for answers that come after it.
  const latestState = useRef(state);
  latestState.current = state;
  const completeTarget = ({ field, typed }: Extract<Effect, { type: 'complete-target' }>) => {
    setCompleting(true);
    return analyst
      .ask(analystSnapshot, { kind: 'complete-target', typed, namespace: namespaceOrDefault })
      .answer.then(
        (completed) => act(completionOfTarget(latestState.current, field, typed, completed)),
        (error: unknown) =>
          dispatch({
            type: 'flash',
            flash: { level: 'error', text: `could not complete: ${errorMessage(error)}` },
          }),
      )
      .finally(() => setCompleting(false));
  };
  const act = (actions: readonly KeyAction[]) => {
    for (const action of actions) {
      if (isEffect(action)) perform(action);
      else dispatch(action);
    }
  };
  // Keys wait for what they act on: the rows of a list the analyst has not sent yet ("c" on the
  // pods list checks from the pod selected once they are in), the verdict of a check submitted,
  // the completion Tab asked for, the finding whose objects the digits open, a reload's snapshot.
  const holdingKeys =
    completing ||
    reloading ||
    (screen.id === 'check' && state.check.awaitingVerdict === true) ||
    (screen.id === 'audit-finding' && finding.state === 'working') ||
    (analysedRows === undefined && state.mode === 'normal' && awaitsAnalysedRows(screen.id));
  useKeyQueue((press) => {
    const { actions, rest } = pressActions(state, press, env);
    act(actions);
    return rest;
  }, holdingKeys);

  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Header
        source={source.name}
        namespace={state.namespace}
        counts={{
          namespaces: view.namespaces.length,
          pods: cluster.pods.length,
          policies: cluster.policies.length,
          cilium: {
            count: cluster.ciliumPolicies?.length ?? 0,
            mode: layerMode(plugin.layerModes, 'cilium'),
          },
          calico: {
            count: (cluster.calicoPolicies ?? []).filter((p) => !p.staged).length,
            mode: layerMode(plugin.layerModes, 'calico'),
          },
        }}
        width={width}
        updated={snapshot.updated.toTimeString().slice(0, 8)}
        badges={completenessBadges(snapshot.input.cluster)}
        enforcement={plugin.badge}
        title={screenTitle(state, {
          rows: shown?.rows.length ?? 0,
          rowsPending: analysedRows === undefined,
          audit: auditDigest,
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
          {...{ state, shown, cursor, audit, check, wizardForm, dnsTarget, matrix, textLines }}
          {...{ width, color }}
          height={bodyHeight}
        />
      </Box>
      {shownFlash(state) ? (
        <FlashLine flash={shownFlash(state)} color={color} />
      ) : (
        <ProgressLine
          // The apply's wait is what its y/N waits for: it alone, over the background work.
          work={
            writes.work
              ? [writes.work]
              : workUnderWay(
                  [
                    ['analysing the snapshot', clusterRows],
                    ['auditing', audit.answered],
                    ['explaining the pod', podExposure],
                    ['computing the policy view', shownPolicy],
                    ['computing the matrix', matrixAnswer],
                    ['checking', checkAnswer],
                    ['previewing the effect', scaffoldPreview],
                    ['writing the YAML', objectYaml],
                  ],
                  [
                    podExposure,
                    shownPolicy,
                    finding,
                    checkAnswer,
                    matrixAnswer,
                    ...(screen.id === 'audit' ? [audit.answered] : []),
                  ],
                )
          }
        />
      )}
      <Footer
        context={keyContext(state)}
        availability={availability}
        mode={state.mode}
        input={state.input}
        inputSelected={state.inputSelected}
        confirmation={state.confirmation}
        width={width}
        escapeLeads={escapeLeads(state)}
      />
    </Box>
  );
}
