import type { Analysis, Pod } from '../engine/index.js';
import {
  type ConnectivityMatrix,
  computeMatrix,
  isEmptyPortSet,
  isFullPortSet,
  type PortSet,
  parsePortSpec,
  portSetAllows,
  subtractPortSets,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { type AnswerScope, answerScope } from '../render/answer-scope.js';
import { portSetJson, portSetText } from '../render/ports.js';
import { jsonText } from '../render/structured.js';
import { tableLines } from '../render/table.js';
import { portSpecProblemText } from '../render/target-problem.js';
import { terminalText } from '../render/terminal-text.js';
import type { MatrixArgs } from './matrix-options.js';
import { BatchedOutput, printLines, printStructured } from './output.js';
import { openSession } from './session.js';

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
 * One pair of the matrix contract, `from` and `to` naming its sides: the ports surely allowed,
 * and for an undecided pair `unknown` with the ports whose answer is UNKNOWN (not surely
 * denied, not surely allowed). `i` and `j` are the positions of a pair of pods it stands for.
 */
function pairJson(
  matrix: ConnectivityMatrix,
  from: string | number,
  to: string | number,
  i: number,
  j: number,
) {
  const connections = matrix.connections(i, j);
  if (!matrix.undecided(i, j)) return { from, to, allowed: portSetJson(connections) };
  const unknown = matrix.undecidedConnections(i, j);
  return {
    from,
    to,
    allowed: portSetJson(subtractPortSets(connections, unknown)),
    unknown: portSetJson(unknown),
  };
}

/**
 * Writes the matrix JSON contract piece by piece, batched and at the reader's pace, so large
 * clusters neither build one huge string nor pile output up in memory.
 */
async function writeMatrixJson(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  scope: AnswerScope['data'],
): Promise<void> {
  const output = new BatchedOutput(terminal);
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  await output.write(`{"pods":[${pods.map((pod) => jsonText(podJson(pod))).join(',')}],"pairs":[`);
  let separator = '';
  for (const [i, from] of pods.entries()) {
    for (const [j, to] of pods.entries()) {
      if (!keep(matrix.connections(i, j))) continue;
      const behind = output.write(
        `${separator}\n${jsonText(pairJson(matrix, from.id, to.id, i, j))}`,
      );
      separator = ',';
      if (behind) await behind;
    }
  }
  // The scope fields close the object, so it stays one JSON value written in pieces.
  await output.write(`\n],${jsonText(scope).slice(1)}\n`);
  await output.flush();
}

/** The positions of the pods of each class, classes in the order of their first pod. */
function membersByClass(classOf: Int32Array): number[][] {
  const members: number[][] = [];
  classOf.forEach((cls, position) => {
    const list = members[cls];
    if (list) list.push(position);
    else members[cls] = [position];
  });
  return members;
}

/**
 * A pair of pods, one of each group, that is not a pod with itself; undefined when the groups
 * are the same one pod.
 */
function representative(sources: readonly number[], destinations: readonly number[]) {
  const [from, otherFrom] = sources as [number, number?];
  const [to, otherTo] = destinations as [number, number?];
  if (from !== to) return [from, to] as const;
  if (otherTo !== undefined) return [from, otherTo] as const;
  return otherFrom === undefined ? undefined : ([otherFrom, to] as const);
}

/**
 * Writes the grouped matrix contract (`--group`): pods with the same connections in source and
 * destination groups, each pod listed once in each, and the pairs of groups, a pair standing
 * for every pair of a pod of one and a pod of the other but a pod with itself.
 */
async function writeGroupedMatrixJson(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  scope: AnswerScope['data'],
): Promise<void> {
  const output = new BatchedOutput(terminal);
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  const sources = membersByClass(matrix.classOf.sources);
  const destinations = membersByClass(matrix.classOf.destinations);
  const groupsJson = (groups: number[][]) =>
    jsonText(groups.map((members) => members.map((position) => pods[position]?.id)));
  await output.write(`{"pods":[${pods.map((pod) => jsonText(podJson(pod))).join(',')}],`);
  await output.write(`"sourceGroups":${groupsJson(sources)},`);
  await output.write(`"destinationGroups":${groupsJson(destinations)},"pairs":[`);
  let separator = '';
  for (const [from, sourceMembers] of sources.entries()) {
    for (const [to, destinationMembers] of destinations.entries()) {
      const pair = representative(sourceMembers, destinationMembers);
      if (!pair || !keep(matrix.connections(...pair))) continue;
      const behind = output.write(`${separator}\n${jsonText(pairJson(matrix, from, to, ...pair))}`);
      separator = ',';
      if (behind) await behind;
    }
  }
  await output.write(`\n],${jsonText(scope).slice(1)}\n`);
  await output.flush();
}

function matrixData(analysis: Analysis, matrix: ConnectivityMatrix, keep: PairFilter) {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  return {
    pods: pods.map(podJson),
    pairs: pods.flatMap((from, i) =>
      pods.flatMap((to, j) => {
        return keep(matrix.connections(i, j)) ? [pairJson(matrix, from.id, to.id, i, j)] : [];
      }),
    ),
  };
}

/** How many UNKNOWN pairs text output lists: unread lists can make whole rows UNKNOWN. */
const LISTED_UNKNOWN = 50;

/** A pair's line in the lists below the table: both pods and the ports. */
function pairLine(from: Pod, to: Pod, ports: PortSet): string {
  return `  ${terminalText(from.id)} -> ${terminalText(to.id)}: ${portSetText(ports)}`;
}

/**
 * The text matrix, line by line: a row of cells per pod, then the pairs allowing some ports
 * only and the first UNKNOWN pairs, between the scope's notes. Made as they are written,
 * whatever the number of pods.
 */
function* matrixLines(
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  filtered: boolean,
  scope: AnswerScope,
): Generator<string> {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  const cell = (i: number, j: number) => {
    const set = matrix.connections(i, j);
    if (!keep(set)) return '.';
    if (matrix.undecided(i, j)) return '?';
    if (filtered || isFullPortSet(set)) return 'X';
    return '~';
  };
  const isPartial = (i: number, j: number) => {
    const set = matrix.connections(i, j);
    return !filtered && keep(set) && !isFullPortSet(set) && !matrix.undecided(i, j);
  };
  const isShownUnknown = (i: number, j: number) =>
    matrix.undecided(i, j) && keep(matrix.connections(i, j));
  let unknownCount = 0;
  const listedUnknown: string[] = [];
  for (const [i, from] of pods.entries()) {
    for (const [j, to] of pods.entries()) {
      if (!isShownUnknown(i, j)) continue;
      unknownCount++;
      if (listedUnknown.length < LISTED_UNKNOWN)
        listedUnknown.push(pairLine(from, to, matrix.connections(i, j)));
    }
  }
  yield* scope.before;
  yield* tableLines(
    ['#', 'FROM', 'TO'],
    pods.map((from, i) => [`${i + 1}`, terminalText(from.id)]),
    (i) => pods.map((_, j) => cell(i, j)).join(''),
  );
  const unknown = unknownCount > 0 ? '  ? UNKNOWN (not surely denied; see below)' : '';
  yield '';
  yield filtered
    ? `X allowed  . denied${unknown}   (row: from, column: to, in the order of the rows)`
    : `X all ports  ~ some ports (listed below)  . nothing${unknown}   (row: from, column: to, in the order of the rows)`;
  let partialSeen = false;
  for (const [i, from] of pods.entries()) {
    for (const [j, to] of pods.entries()) {
      if (!isPartial(i, j)) continue;
      if (!partialSeen) yield* ['', 'some ports only:'];
      partialSeen = true;
      yield pairLine(from, to, matrix.connections(i, j));
    }
  }
  if (unknownCount > 0) {
    yield* [
      '',
      'UNKNOWN, these ports not surely denied (check FROM TO says why):',
      ...listedUnknown,
    ];
    if (unknownCount > LISTED_UNKNOWN)
      yield `  and ${unknownCount - LISTED_UNKNOWN} more (-o json lists them all)`;
  }
  yield* scope.after;
}

/** Runs matrix: connectivity between every ordered pair of pods. */
export async function runMatrix(args: MatrixArgs, terminal: Terminal): Promise<number> {
  if (args.group && args.output !== 'json') throw new UserError('--group: only with -o json');
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
  const filtered = args.port !== undefined || args.protocol !== undefined;
  if (args.group) await writeGroupedMatrixJson(terminal, analysis, matrix, keep, scope.data);
  else if (args.output === 'json')
    await writeMatrixJson(terminal, analysis, matrix, keep, scope.data);
  else if (args.output === 'yaml')
    await printStructured(terminal, 'yaml', {
      ...matrixData(analysis, matrix, keep),
      ...scope.data,
    });
  else await printLines(terminal, matrixLines(analysis, matrix, keep, filtered, scope));
  return 0;
}
