import type { Argv } from 'yargs';
import type { Protocol } from '../engine/index.js';
import { allFlowsAllowed, checkTargets } from '../engine/index.js';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { diagnosisFixData, scaffoldCommand } from '../render/scaffold-command.js';
import { checkProblemText } from '../render/target-problem.js';
import { checkedFlowLines, remedyLines } from '../render/verdict.js';
import { kubectlExamples } from './examples.js';
import type { OutputFormat } from './output.js';
import { printLines, printStructured } from './output.js';
import { type InputOptions, openSession } from './session.js';

/** Exit codes of check, as `kubectl auth can-i` uses them. */
export const CHECK_EXIT = { allowed: 0, denied: 1, error: 2 } as const;

/** Arguments of `kubectl netpol check`. */
export interface CheckArgs extends InputOptions {
  readonly source: string;
  readonly destination: string;
  readonly port: string | number;
  readonly protocol?: Protocol;
  readonly output: OutputFormat;
}

/** Declares check's positional arguments and options. */
export function checkBuilder<T>(yargs: Argv<T>) {
  return yargs
    .positional('source', {
      type: 'string',
      demandOption: true,
      describe: 'NAMESPACE/POD, pod/NAME, svc/NAME or an IP',
    })
    .positional('destination', {
      type: 'string',
      demandOption: true,
      describe: 'NAMESPACE/POD, pod/NAME, svc/NAME or an IP',
    })
    .option('port', {
      alias: 'p',
      type: 'string',
      demandOption: true,
      describe: 'destination port: number or name (for a service: its port)',
    })
    .option('protocol', {
      type: 'string',
      choices: ['TCP', 'UDP', 'SCTP'] as const,
      coerce: (v: string) => v.toUpperCase() as Protocol,
      describe: "protocol (default: the service port's for svc/NAME, else TCP)",
    })
    .epilogue(
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

/** Runs check: prints the verdict of every flow and returns 0 (all allowed), 1 (any denied). */
export async function runCheck(args: CheckArgs, terminal: Terminal): Promise<number> {
  const { analysis, namespace } = await openSession(args, terminal);
  const checked = checkTargets(analysis, { ...args, namespace });
  if (!checked.ok) throw new UserError(checkProblemText(checked.error, '--port'));
  const { port, flows } = checked.value;
  const allowed = allFlowsAllowed(flows);
  const flags = snapshotFlags(args);
  if (args.output === 'text') {
    printLines(
      terminal,
      flows.flatMap((flow) => [...checkedFlowLines(analysis, flow), ...remedyLines(flow, flags)]),
    );
  } else {
    printStructured(terminal, args.output, {
      source: args.source,
      destination: args.destination,
      port,
      ...(args.protocol ? { protocol: args.protocol } : {}),
      allowed,
      flows: flows.map(({ verdict, diagnosis, ...flow }) => ({
        ...flow,
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
      })),
    });
  }
  return allowed ? CHECK_EXIT.allowed : CHECK_EXIT.denied;
}
