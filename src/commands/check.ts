import type { Argv } from 'yargs';
import type { DirectionDiagnosis, FlowVerdict, Protocol } from '../engine/index.js';
import {
  bothSidesFix,
  checkOutcome,
  checkTargets,
  effectiveOutcome,
  type Outcome,
  PROTOCOLS,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { answerScope } from '../render/answer-scope.js';
import { checkNoteLines, checkNotesData } from '../render/check-notes.js';
import {
  diagnosisFixData,
  scaffoldCommand,
  scaffoldFixCommand,
} from '../render/scaffold-command.js';
import { serviceIpCaveatsData } from '../render/service-ip.js';
import { checkProblemText } from '../render/target-problem.js';
import { checkedFlowLines, remedyLines } from '../render/verdict.js';
import { kubectlExamples } from './examples.js';
import type { OutputFormat } from './output.js';
import { printLines, printStructured } from './output.js';
import { type InputOptions, openSession } from './session.js';

/** Exit codes of check, as `kubectl auth can-i` uses them; UNKNOWN shares the error code. */
export const CHECK_EXIT = { allowed: 0, denied: 1, error: 2 } as const;

const OUTCOME_EXIT: Record<Outcome, number> = {
  ALLOWED: CHECK_EXIT.allowed,
  DENIED: CHECK_EXIT.denied,
  UNKNOWN: CHECK_EXIT.error,
};

/** The target forms, as help shows them. */
const TARGET_FORMS =
  'NAMESPACE/NAME (pod, workload or pod-name prefix), pod/NAME, deploy|sts|ds/NAME, svc/NAME[.NAMESPACE], NAME.NAMESPACE.svc[.cluster.local] or an IP';

/** Arguments of `kubectl netpol check`. */
export interface CheckArgs extends InputOptions {
  readonly source: string;
  readonly destination: string;
  readonly port?: string | number;
  readonly protocol?: Protocol;
  readonly output: OutputFormat;
}

/** Declares the question "can SOURCE reach DESTINATION on PORT?": check's and scaffold fix's. */
export function flowQuestionOptions<T>(yargs: Argv<T>) {
  return yargs
    .positional('source', {
      type: 'string',
      demandOption: true,
      describe: TARGET_FORMS,
    })
    .positional('destination', {
      type: 'string',
      demandOption: true,
      describe: TARGET_FORMS,
    })
    .option('port', {
      alias: 'p',
      type: 'string',
      describe:
        'destination port: number or name (for a service: its port; may be left out when it has one)',
    })
    .option('protocol', {
      type: 'string',
      choices: PROTOCOLS,
      coerce: (v: string) => v.toUpperCase() as Protocol,
      describe: "protocol (default: the service port's for svc/NAME, else TCP)",
    });
}

/** Declares check's positional arguments and options. */
export function checkBuilder<T>(yargs: Argv<T>) {
  return flowQuestionOptions(yargs).epilogue(
    kubectlExamples([
      [
        'Can a frontend pod reach the pods of the api service on its port 8080?',
        '$0 check production/frontend-84c5d9b7f6-hx2lq svc/api -n production --port 8080',
      ],
      [
        'The same question about the built-in demo cluster',
        '$0 check production/frontend-84c5d9b7f6-hx2lq svc/api -n production --port 8080 --demo',
      ],
      [
        'May a pod connect to an address outside the cluster? The verdict as JSON',
        '$0 check pod/busybox 203.0.113.7 -n legacy --port 5432 -o json',
      ],
      [
        'In the manifests of a directory: may a pod query the cluster DNS (UDP 53)?',
        '$0 check shop/web svc/kube-dns -n kube-system --port 53 --protocol UDP -f manifests/',
      ],
    ]),
  );
}

/** The flags that make a suggested command read the same snapshot: `--demo`, `-f PATH`. */
function snapshotFlags(args: CheckArgs): string[] {
  if (args.demo) return ['--demo'];
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
  const { input, analysis, namespace, cni } = await openSession(args, terminal);
  const checked = checkTargets(analysis, { ...args, namespace });
  if (!checked.ok) throw new UserError(checkProblemText(checked.error, '--port'));
  const { port, flows, notes } = checked.value;
  const assumed = args.assumeEnforced === true;
  const policyVerdict = checkOutcome(flows);
  const verdict = effectiveOutcome(policyVerdict, cni.enforcesPolicies, assumed);
  const flags = snapshotFlags(args);
  const scope = answerScope(input.cluster, cni, assumed, policyVerdict);
  const unenforcedBy = !assumed && cni.enforcesPolicies === false ? cni.plugin : undefined;
  if (args.output === 'text') {
    await printLines(terminal, [
      ...scope.before,
      ...checkNoteLines(notes),
      ...flows.flatMap((flow) => [
        ...checkedFlowLines(analysis, flow, unenforcedBy),
        ...remedyLines(flow, flags),
      ]),
      ...scope.after,
    ]);
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
      ...scope.data,
    });
  }
  return OUTCOME_EXIT[verdict];
}
