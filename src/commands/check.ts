import type { DirectionDiagnosis, FlowVerdict } from '../engine/index.js';
import {
  bothSidesFix,
  checkOutcome,
  checkTargets,
  compileAsAsked,
  effectiveOutcome,
  type Outcome,
  stagedPreviews,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { answerScope } from '../render/answer-scope.js';
import { checkAnswerLines, checkNotesData } from '../render/check-notes.js';
import { unenforcingPlugin } from '../render/enforcement.js';
import {
  diagnosisFixData,
  scaffoldCommand,
  scaffoldFixCommand,
} from '../render/scaffold-command.js';
import { serviceIpCaveatsData } from '../render/service-ip.js';
import { stagedPreviewLines } from '../render/staged-preview.js';
import { checkProblemText } from '../render/target-problem.js';
import { checkFlowsLines } from '../render/verdict.js';
import type { CheckArgs } from './check-options.js';
import { demoFlag } from './demo-flag.js';
import { printLines, printStructured } from './output.js';
import { openSession, type SessionFocus, withNamedWorkloadsRunning } from './session.js';

/** Exit codes of check, as `kubectl auth can-i` uses them; UNKNOWN shares the error code. */
export const CHECK_EXIT = { allowed: 0, denied: 1, error: 2 } as const;

const OUTCOME_EXIT: Record<Outcome, number> = {
  ALLOWED: CHECK_EXIT.allowed,
  DENIED: CHECK_EXIT.denied,
  UNKNOWN: CHECK_EXIT.error,
};

/** The flags that make a suggested command read the same snapshot: `--demo`, `-f PATH`. */
function snapshotFlags(args: CheckArgs): string[] {
  if (args.demo) return [demoFlag(args.demo)];
  return (args.filename ?? []).flatMap((path) => (path === '-' ? [] : ['-f', path]));
}

/** For a flow both sides deny: the two fixes, and the one command that writes them together. */
function bothSidesData(
  flow: { readonly from: string; readonly to: string },
  verdict: FlowVerdict,
  diagnosis: readonly DirectionDiagnosis[],
  flags: readonly string[],
) {
  const both = bothSidesFix(diagnosis);
  return both
    ? {
        fixBothSides: {
          fixes: both.map(diagnosisFixData),
          command: scaffoldFixCommand(flow, verdict, flags),
        },
      }
    : {};
}

/**
 * Runs check: prints the verdict of every flow and returns 0 (ALLOWED), 1 (DENIED) or 2
 * (UNKNOWN). A network plugin that does not enforce NetworkPolicies lets the traffic flow.
 */
export async function runCheck(args: CheckArgs, terminal: Terminal): Promise<number> {
  const focus: SessionFocus = {
    targets: [args.source, args.destination],
    // A verdict needs only the two ends; a diagnosis weighs selectors against their pods. The
    // peers' namespaces are read with the ends' in one round (no second read and compile for a
    // diagnosis), unless the peers reach too many namespaces: then the ends alone may answer.
    reaches: ['peers', 'targets'],
    answerable: (analysis, namespace, reach) => {
      const answer = checkTargets(analysis, { ...args, namespace });
      return answer.ok && (reach === 'peers' || answer.value.flows.every((f) => !f.diagnosis));
    },
  };
  const opened = await openSession(args, terminal, true, focus);
  const targets = [args.source, args.destination];
  const { input, analysis, namespace } = withNamedWorkloadsRunning(opened, args, targets);
  const { cni } = analysis;
  const checked = checkTargets(analysis, { ...args, namespace });
  if (!checked.ok) throw new UserError(checkProblemText(checked.error, '--port'));
  const { port, flows, notes } = checked.value;
  const assumed = args.assumeEnforced === true;
  const policyVerdict = checkOutcome(flows);
  const verdict = effectiveOutcome(policyVerdict, cni.enforcesPolicies, assumed);
  const flags = snapshotFlags(args);
  const scope = answerScope(input.cluster, cni, assumed, policyVerdict);
  const compileStaged = (enforceStaged: readonly string[]) =>
    compileAsAsked(input.cluster, args, { enforceStaged, cni });
  const previews = stagedPreviews(analysis, compileStaged, { ...args, namespace });
  if (args.output === 'text') {
    const unenforcedBy = unenforcingPlugin(cni, assumed);
    const verdicts = checkFlowsLines(analysis, flows, unenforcedBy, flags);
    await printLines(
      terminal,
      checkAnswerLines(scope, notes, [...verdicts, ...stagedPreviewLines(previews)]),
    );
  } else {
    await printStructured(terminal, args.output, {
      source: args.source,
      destination: args.destination,
      port,
      ...(args.protocol ? { protocol: args.protocol } : {}),
      verdict,
      policyVerdict,
      allowed: verdict === 'ALLOWED',
      ...checkNotesData(notes),
      flows: flows.map(({ verdict, diagnosis, caveats, ...flow }) => ({
        ...flow,
        ...serviceIpCaveatsData(caveats),
        ...(verdict ?? { allowed: false }),
        ...(diagnosis
          ? {
              diagnosis: diagnosis.map(({ fix, ...rest }) => ({
                ...rest,
                ...(fix
                  ? { fix: { ...diagnosisFixData(fix), command: scaffoldCommand(fix, flags) } }
                  : {}),
              })),
            }
          : {}),
        ...(verdict && diagnosis ? bothSidesData(flow, verdict, diagnosis, flags) : {}),
      })),
      ...(previews.length > 0 ? { stagedPreviews: previews } : {}),
      ...scope.data,
    });
  }
  return OUTCOME_EXIT[verdict];
}
