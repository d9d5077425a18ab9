import type { Argv } from 'yargs';
import type { Analysis, Pod, Protocol } from '../engine/index.js';
import {
  type ConnectivityMatrix,
  computeMatrix,
  isEmptyPortSet,
  isFullPortSet,
  type PortSet,
  parsePortSpec,
  portSetAllows,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { portSetJson, portSetText } from '../render/ports.js';
import { jsonText } from '../render/structured.js';
import { table } from '../render/table.js';
import { portSpecProblemText } from '../render/target-problem.js';
import { terminalText } from '../render/terminal-text.js';
import { kubectlExamples } from './examples.js';
import type { OutputFormat } from './output.js';
import { printLines, printStructured } from './output.js';
import { type InputOptions, openSession } from './session.js';

/** Arguments of `kubectl netpol matrix`. */
export interface MatrixArgs extends InputOptions {
  readonly port?: string | number;
  readonly protocol?: Protocol;
  readonly output: OutputFormat;
  readonly allNamespaces?: boolean;
}

/** Declares matrix's options. */
export function matrixBuilder<T>(yargs: Argv<T>) {
  return yargs
    .option('port', {
      alias: 'p',
      type: 'string',
      describe: 'only pairs allowing this port number',
    })
    .option('protocol', {
      type: 'string',
      choices: ['TCP', 'UDP', 'SCTP'] as const,
      coerce: (v: string) => v.toUpperCase() as Protocol,
      describe: 'only pairs allowing this protocol (TCP when only --port is given)',
    })
    .epilogue(
      kubectlExamples([
        ['Who may talk to whom in a namespace', '$0 matrix -n production'],
        ['The pairs of pods allowing TCP 5432, as JSON', '$0 matrix --port 5432 -o json'],
        [
          'Connectivity between the pods of the demo cluster on UDP',
          '$0 matrix --protocol UDP --demo',
        ],
      ]),
    );
}

/** A pod in the matrix contract. */
function podJson(pod: Pod) {
  return { id: pod.id, namespace: pod.namespace, name: pod.name, kind: pod.kind };
}

type PairFilter = (set: PortSet) => boolean;

function pairFilter(args: MatrixArgs): PairFilter {
  if (args.port === undefined) {
    const protocol = args.protocol;
    return protocol ? (set) => set[protocol].length > 0 : (set) => !isEmptyPortSet(set);
  }
  const parsed = parsePortSpec(args.port);
  if (!parsed.ok) throw new UserError(portSpecProblemText(parsed.error, '--port'));
  const port = parsed.value;
  if (typeof port === 'string') throw new UserError(`--port ${port}: matrix takes a port number`);
  const protocol = args.protocol ?? 'TCP';
  return (set) => portSetAllows(set, protocol, port);
}

/** Writes the matrix JSON contract piece by piece, so large clusters do not build one huge string. */
function writeMatrixJson(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
) {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  terminal.out(`{"pods":[${pods.map((pod) => jsonText(podJson(pod))).join(',')}],"pairs":[`);
  let first = true;
  pods.forEach((from, i) => {
    pods.forEach((to, j) => {
      const set = matrix.connections(i, j);
      if (!keep(set)) return;
      terminal.out(
        `${first ? '' : ','}\n${jsonText({ from: from.id, to: to.id, allowed: portSetJson(set) })}`,
      );
      first = false;
    });
  });
  terminal.out('\n]}\n');
}

function matrixData(analysis: Analysis, matrix: ConnectivityMatrix, keep: PairFilter) {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  return {
    pods: pods.map(podJson),
    pairs: pods.flatMap((from, i) =>
      pods.flatMap((to, j) => {
        const set = matrix.connections(i, j);
        return keep(set) ? [{ from: from.id, to: to.id, allowed: portSetJson(set) }] : [];
      }),
    ),
  };
}

function matrixLines(
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  filtered: boolean,
): string[] {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  const cell = (set: PortSet) => {
    if (!keep(set)) return '.';
    if (filtered || isFullPortSet(set)) return 'X';
    return '~';
  };
  const rows = pods.map((from, i) => [
    `${i + 1}`,
    terminalText(from.id),
    pods.map((_, j) => cell(matrix.connections(i, j))).join(''),
  ]);
  const partial = filtered
    ? []
    : pods.flatMap((from, i) =>
        pods.flatMap((to, j) => {
          const set = matrix.connections(i, j);
          return keep(set) && !isFullPortSet(set)
            ? [`  ${terminalText(from.id)} -> ${terminalText(to.id)}: ${portSetText(set)}`]
            : [];
        }),
      );
  const legend = filtered
    ? 'X allowed  . denied   (row: from, column: to, in the order of the rows)'
    : 'X all ports  ~ some ports (listed below)  . nothing   (row: from, column: to, in the order of the rows)';
  return [
    ...table(['#', 'FROM', 'TO'], rows),
    '',
    legend,
    ...(partial.length > 0 ? ['', 'some ports only:', ...partial] : []),
  ];
}

/** Runs matrix: connectivity between every ordered pair of pods. */
export async function runMatrix(args: MatrixArgs, terminal: Terminal): Promise<number> {
  const { analysis, namespace } = await openSession(args, terminal);
  const keep = pairFilter(args);
  const podIdxs =
    args.namespace && !args.allNamespaces
      ? [...(analysis.podsByNamespace.get(namespace) ?? [])]
      : undefined;
  if (podIdxs && podIdxs.length === 0)
    throw new UserError(`namespace ${namespace} has no pods in the input`);
  const matrix = computeMatrix(analysis, podIdxs);
  if (args.output === 'json') writeMatrixJson(terminal, analysis, matrix, keep);
  else if (args.output === 'yaml')
    printStructured(terminal, 'yaml', matrixData(analysis, matrix, keep));
  else
    printLines(
      terminal,
      matrixLines(analysis, matrix, keep, args.port !== undefined || args.protocol !== undefined),
    );
  return 0;
}
