import type { Analysis, ConnectivityMatrix, Pod, PortSet } from '../engine/index.js';
import { subtractPortSets } from '../engine/index.js';
import type { Terminal } from '../io/terminal.js';
import type { AnswerScope } from '../render/answer-scope.js';
import { portSetJson } from '../render/ports.js';
import { jsonText } from '../render/structured.js';
import { BatchedOutput } from './output.js';

/** Which pairs a matrix shows, by their connections (--port, --protocol). */
export type PairFilter = (set: PortSet) => boolean;

/** A pod in the matrix contract. */
export function podJson(pod: Pod) {
  return { id: pod.id, namespace: pod.namespace, name: pod.name, kind: pod.kind };
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

/** The pods of the matrix, in its order. */
export function matrixPods(analysis: Analysis, matrix: ConnectivityMatrix): Pod[] {
  return matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
}

/** The pairs of the matrix contract that pass the filter, in the order of -o json. */
export function* pairsJson(pods: readonly Pod[], matrix: ConnectivityMatrix, keep: PairFilter) {
  for (const [i, from] of pods.entries()) {
    for (const [j, to] of pods.entries()) {
      if (keep(matrix.connections(i, j))) yield pairJson(matrix, from.id, to.id, i, j);
    }
  }
}

/**
 * Writes the matrix JSON contract piece by piece, batched and at the reader's pace, so large
 * clusters neither build one huge string nor pile output up in memory.
 */
export async function writeMatrixJson(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  scope: AnswerScope['data'],
): Promise<void> {
  const output = new BatchedOutput(terminal);
  const pods = matrixPods(analysis, matrix);
  await output.write(`{"pods":[${pods.map((pod) => jsonText(podJson(pod))).join(',')}],"pairs":[`);
  let separator = '';
  for (const pair of pairsJson(pods, matrix, keep)) {
    const behind = output.write(`${separator}\n${jsonText(pair)}`);
    separator = ',';
    if (behind) await behind;
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
export async function writeGroupedMatrixJson(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  scope: AnswerScope['data'],
): Promise<void> {
  const output = new BatchedOutput(terminal);
  const pods = matrixPods(analysis, matrix);
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

/** The matrix contract as one value, for -o jsonpath (json and yaml stream it instead). */
export function matrixData(analysis: Analysis, matrix: ConnectivityMatrix, keep: PairFilter) {
  const pods = matrixPods(analysis, matrix);
  return { pods: pods.map(podJson), pairs: [...pairsJson(pods, matrix, keep)] };
}
