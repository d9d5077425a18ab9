import type { Argv } from 'yargs';
import { allFlowsAllowed, checkTargets } from '../engine/check-targets.js';
import { parsePortSpec } from '../engine/targets.js';
import type { Protocol } from '../engine/types.js';
import { checkedFlowLines } from '../render/verdict.js';
import type { OutputFormat } from './output.js';
import { printLines, printStructured } from './output.js';
import { type InputOptions, openSession } from './session.js';
import type { Terminal } from './terminal.js';

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
    .example(
      '$0 check production/frontend svc/api -n production --port 80',
      'can the frontend pod reach the api service?',
    )
    .example(
      '$0 check pod/busybox 10.0.0.7 -n legacy --port 5432 -o json',
      'a verdict with its explanation, as JSON',
    );
}

/** Runs check: prints the verdict of every flow and returns 0 (all allowed), 1 (any denied). */
export async function runCheck(args: CheckArgs, terminal: Terminal): Promise<number> {
  const { analysis, namespace } = await openSession(args, terminal);
  const flows = checkTargets(analysis, { ...args, namespace });
  const allowed = allFlowsAllowed(flows);
  if (args.output === 'text') {
    printLines(
      terminal,
      flows.flatMap((flow) => checkedFlowLines(analysis, flow)),
    );
  } else {
    printStructured(terminal, args.output, {
      source: args.source,
      destination: args.destination,
      port: parsePortSpec(args.port),
      ...(args.protocol ? { protocol: args.protocol } : {}),
      allowed,
      flows: flows.map(({ verdict, ...flow }) => ({
        ...flow,
        ...(verdict ?? { allowed: false }),
      })),
    });
  }
  return allowed ? CHECK_EXIT.allowed : CHECK_EXIT.denied;
}
