import type { Argv } from 'yargs';
import type { Analysis, GraphGrouping, Pod, Protocol } from '../engine/index.js';
import {
  type ConnectivityMatrix,
  computeMatrix,
  connectivityGraph,
  isEmptyPortSet,
  isFullPortSet,
  type PortSet,
  parsePortSpec,
  portSetAllows,
  subtractPortSets,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import { renderSvg } from '../io/graphviz.js';
import type { Terminal } from '../io/terminal.js';
import { type AnswerScope, answerScope } from '../render/answer-scope.js';
import { dotLines, mermaidLines } from '../render/graph.js';
import { portSetJson, portSetText } from '../render/ports.js';
import { jsonText } from '../render/structured.js';
import { table } from '../render/table.js';
import { portSpecProblemText } from '../render/target-problem.js';
import { terminalLine, terminalText } from '../render/terminal-text.js';
import { kubectlExamples } from './examples.js';
import type { OutputFormat } from './output.js';
import { printLines, printStructured } from './output.js';
import { type InputOptions, openSession } from './session.js';

/** The graph outputs of matrix: drawn by us (dot, mermaid) or by Graphviz (svg). */
const GRAPH_OUTPUTS = ['dot', 'mermaid', 'svg'] as const;

/** Arguments of `kubectl netpol matrix`. */
export interface MatrixArgs extends InputOptions {
  readonly port?: string | number;
  readonly protocol?: Protocol;
  readonly output: OutputFormat | (typeof GRAPH_OUTPUTS)[number];
  readonly allNamespaces?: boolean;
  readonly group?: GraphGrouping;
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
    .option('output', {
      type: 'string',
      // Added to the global formats: matrix alone draws graphs.
      choices: GRAPH_OUTPUTS,
      describe: 'output format; dot, mermaid and svg (Graphviz dot on PATH) draw a graph',
    })
    .option('group', {
      type: 'string',
      choices: ['workload', 'namespace'] as const,
      default: 'workload' as GraphGrouping,
      describe: 'graph outputs: one node per workload (a lone pod its own) or per namespace',
    })
    .epilogue(
      kubectlExamples([
        ['Who may talk to whom in a namespace', '$0 matrix -n production'],
        ['The pairs of pods allowing TCP 5432, as JSON', '$0 matrix --port 5432 -o json'],
        [
          'Connectivity between the pods of the demo cluster on UDP',
          '$0 matrix --protocol UDP --demo',
        ],
        [
          'A namespace as a Mermaid graph, one node per workload',
          '$0 matrix -n production -o mermaid',
        ],
        [
          'Which namespaces talk to which, as an SVG (needs Graphviz)',
          '$0 matrix --group namespace -o svg > namespaces.svg',
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

/**
 * One pair of the matrix contract: the ports surely allowed, and for an undecided pair
 * `unknown` with the ports whose answer is UNKNOWN (not surely denied, not surely allowed).
 */
function pairJson(matrix: ConnectivityMatrix, from: Pod, to: Pod, i: number, j: number) {
  const connections = matrix.connections(i, j);
  if (!matrix.undecided(i, j))
    return { from: from.id, to: to.id, allowed: portSetJson(connections) };
  const unknown = matrix.undecidedConnections(i, j);
  return {
    from: from.id,
    to: to.id,
    allowed: portSetJson(subtractPortSets(connections, unknown)),
    unknown: portSetJson(unknown),
  };
}

/** Writes the matrix JSON contract piece by piece, so large clusters do not build one huge string. */
function writeMatrixJson(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  scope: AnswerScope['data'],
) {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  terminal.out(`{"pods":[${pods.map((pod) => jsonText(podJson(pod))).join(',')}],"pairs":[`);
  let first = true;
  pods.forEach((from, i) => {
    pods.forEach((to, j) => {
      const set = matrix.connections(i, j);
      if (!keep(set)) return;
      terminal.out(`${first ? '' : ','}\n${jsonText(pairJson(matrix, from, to, i, j))}`);
      first = false;
    });
  });
  // The scope fields close the object, so it stays one JSON value written in pieces.
  terminal.out(`\n],${jsonText(scope).slice(1)}\n`);
}

function matrixData(analysis: Analysis, matrix: ConnectivityMatrix, keep: PairFilter) {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  return {
    pods: pods.map(podJson),
    pairs: pods.flatMap((from, i) =>
      pods.flatMap((to, j) => {
        return keep(matrix.connections(i, j)) ? [pairJson(matrix, from, to, i, j)] : [];
      }),
    ),
  };
}

/** How many UNKNOWN pairs text output lists: unread lists can make whole rows UNKNOWN. */
const LISTED_UNKNOWN = 50;

function matrixLines(
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  filtered: boolean,
): string[] {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  const cell = (i: number, j: number) => {
    const set = matrix.connections(i, j);
    if (!keep(set)) return '.';
    if (matrix.undecided(i, j)) return '?';
    if (filtered || isFullPortSet(set)) return 'X';
    return '~';
  };
  const rows = pods.map((from, i) => [
    `${i + 1}`,
    terminalText(from.id),
    pods.map((_, j) => cell(i, j)).join(''),
  ]);
  const partial = filtered
    ? []
    : pods.flatMap((from, i) =>
        pods.flatMap((to, j) => {
          const set = matrix.connections(i, j);
          return keep(set) && !isFullPortSet(set) && !matrix.undecided(i, j)
            ? [`  ${terminalText(from.id)} -> ${terminalText(to.id)}: ${portSetText(set)}`]
            : [];
        }),
      );
  const shownUnknown = (i: number, j: number) =>
    matrix.undecided(i, j) && keep(matrix.connections(i, j));
  const unknownPairs = pods.flatMap((from, i) =>
    pods.flatMap((to, j) =>
      shownUnknown(i, j)
        ? [
            `  ${terminalText(from.id)} -> ${terminalText(to.id)}: ${portSetText(matrix.connections(i, j))}`,
          ]
        : [],
    ),
  );
  const unknown = unknownPairs.length > 0 ? '  ? UNKNOWN (not surely denied; see below)' : '';
  const legend = filtered
    ? `X allowed  . denied${unknown}   (row: from, column: to, in the order of the rows)`
    : `X all ports  ~ some ports (listed below)  . nothing${unknown}   (row: from, column: to, in the order of the rows)`;
  return [
    ...table(['#', 'FROM', 'TO'], rows),
    '',
    legend,
    ...(partial.length > 0 ? ['', 'some ports only:', ...partial] : []),
    ...(unknownPairs.length > 0
      ? [
          '',
          'UNKNOWN, these ports not surely denied (check FROM TO says why):',
          ...unknownPairs.slice(0, LISTED_UNKNOWN),
          ...(unknownPairs.length > LISTED_UNKNOWN
            ? [`  and ${unknownPairs.length - LISTED_UNKNOWN} more (-o json lists them all)`]
            : []),
        ]
      : []),
  ];
}

/** Runs matrix: connectivity between every ordered pair of pods. */
export async function runMatrix(args: MatrixArgs, terminal: Terminal): Promise<number> {
  const { input, analysis, namespace, cni } = await openSession(args, terminal);
  const keep = pairFilter(args);
  const podIdxs =
    args.namespace && !args.allNamespaces
      ? [...(analysis.podsByNamespace.get(namespace) ?? [])]
      : undefined;
  if (podIdxs && podIdxs.length === 0)
    throw new UserError(`namespace ${namespace} has no pods in the input`);
  const matrix = computeMatrix(analysis, podIdxs);
  const scope = answerScope(input.cluster, cni, args.assumeEnforced === true);
  if (args.output === 'dot' || args.output === 'mermaid' || args.output === 'svg') {
    const graph = connectivityGraph(analysis, matrix, args.group ?? 'workload', keep);
    // What the answer cannot see goes to stderr: stdout is a graph file.
    for (const line of [...scope.before, ...scope.after]) {
      if (line !== '') terminal.err(`${terminalLine(line)}\n`);
    }
    const dot = () => dotLines(graph).map(terminalLine).join('\n');
    if (args.output === 'svg') terminal.out(await renderSvg(`${dot()}\n`, terminal.env));
    else printLines(terminal, args.output === 'dot' ? dotLines(graph) : mermaidLines(graph));
  } else if (args.output === 'json') writeMatrixJson(terminal, analysis, matrix, keep, scope.data);
  else if (args.output === 'yaml')
    printStructured(terminal, 'yaml', { ...matrixData(analysis, matrix, keep), ...scope.data });
  else
    printLines(terminal, [
      ...scope.before,
      ...matrixLines(
        analysis,
        matrix,
        keep,
        args.port !== undefined || args.protocol !== undefined,
      ),
      ...scope.after,
    ]);
  return 0;
}
