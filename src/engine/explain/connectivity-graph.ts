import type { Analysis } from '../compile/compile.js';
import {
  controllerByLabels,
  namespaceWorkloads,
  workloadTargetName,
} from '../compile/workloads.js';
import type { ConnectivityMatrix } from '../evaluate/matrix.js';
import { isSinglePod, type Pod } from '../model/types.js';
import {
  EMPTY_PORT_SET,
  isEmptyPortSet,
  type PortSet,
  subtractPortSets,
  unionPortSets,
} from '../primitives/port-set.js';

/** What one node of a graph stands for: the pods of a workload, a lone pod, or a namespace. */
export type GraphGrouping = 'workload' | 'namespace';

/** A node of a connectivity graph. */
export interface GraphNode {
  readonly namespace: string;
  /** `deploy/api`, a lone pod's name, or the namespace when nodes are namespaces. */
  readonly name: string;
  /** How many entries of the analysis (pods, or workload templates) it folds. */
  readonly members: number;
  /** The indices in the analysis of the entries it folds. */
  readonly podIdxs: readonly number[];
}

/** The ports allowed from one node to another, and those whose answer is UNKNOWN. */
export interface GraphEdge {
  /** Index into the graph's nodes. */
  readonly from: number;
  readonly to: number;
  /** Ports some pair of the two nodes surely allows. */
  readonly allowed: PortSet;
  /** Ports no pair surely allows and some pair may: UNKNOWN. */
  readonly unknown: PortSet;
}

/** A connectivity matrix folded into nodes and edges, for drawing. */
export interface ConnectivityGraph {
  readonly grouping: GraphGrouping;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** A pod's node when no workload read owns it: the controller its labels name, else itself. */
function podGroup(pod: Pod): string {
  if (pod.kind !== 'Pod') return workloadTargetName(pod.kind, pod.name);
  const controller = controllerByLabels(pod);
  return controller ? workloadTargetName(controller.kind, controller.name) : pod.name;
}

/** The node of each pod of the matrix, by position, and the nodes in order of first pod. */
function foldPods(
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  grouping: GraphGrouping,
): { nodeOf: number[]; nodes: GraphNode[] } {
  const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
  const workloadOf = new Map<number, string>();
  if (grouping === 'workload') {
    for (const namespace of new Set(pods.map((pod) => pod.namespace))) {
      for (const workload of namespaceWorkloads(analysis, namespace)) {
        const name = workloadTargetName(workload.kind, workload.name);
        for (const podIdx of workload.podIdxs) workloadOf.set(podIdx, name);
      }
    }
  }
  const keys = new Map<string, number>();
  const nodes: { namespace: string; name: string; members: number; podIdxs: number[] }[] = [];
  const nodeOf = matrix.podIdxs.map((podIdx, position) => {
    const pod = pods[position] as Pod;
    const name =
      grouping === 'namespace' ? pod.namespace : (workloadOf.get(podIdx) ?? podGroup(pod));
    const key = `${pod.namespace}/${name}`;
    let node = keys.get(key);
    if (node === undefined) {
      node = nodes.length;
      keys.set(key, node);
      nodes.push({ namespace: pod.namespace, name, members: 0, podIdxs: [] });
    }
    const folded = nodes[node] as { members: number; podIdxs: number[] };
    folded.members += 1;
    folded.podIdxs.push(podIdx);
    return node;
  });
  return { nodeOf, nodes };
}

/**
 * Folds the matrix's pods into nodes (by workload, a lone pod its own node; or by namespace)
 * and its pairs into edges: an edge's ports are the union over the pairs it folds, among the
 * pairs `keep` accepts. A pod's connections to itself are left out.
 */
export function connectivityGraph(
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  grouping: GraphGrouping,
  keep: (connections: PortSet) => boolean = (set) => !isEmptyPortSet(set),
): ConnectivityGraph {
  const { nodeOf, nodes } = foldPods(analysis, matrix, grouping);
  const single = matrix.podIdxs.map((idx) => isSinglePod(analysis.pods[idx] as Pod));
  // Per edge: the connection ids of its certain pairs, and the sets of its undecided ones.
  const sure = new Map<string, Set<number>>();
  const unsure = new Map<string, { allowed: PortSet[]; unknown: PortSet[] }>();
  const count = matrix.podIdxs.length;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      if (i === j && single[i]) continue;
      const connections = matrix.connections(i, j);
      if (!keep(connections)) continue;
      const key = `${nodeOf[i]}>${nodeOf[j]}`;
      if (!matrix.undecided(i, j)) {
        const ids = sure.get(key) ?? new Set<number>();
        ids.add(matrix.connectionId(i, j));
        sure.set(key, ids);
        continue;
      }
      const unknown = matrix.undecidedConnections(i, j);
      const sets = unsure.get(key) ?? { allowed: [], unknown: [] };
      sets.allowed.push(subtractPortSets(connections, unknown));
      sets.unknown.push(unknown);
      unsure.set(key, sets);
    }
  }
  const edges: GraphEdge[] = [];
  for (const key of new Set([...sure.keys(), ...unsure.keys()])) {
    const [from, to] = key.split('>').map(Number) as [number, number];
    const certain = [...(sure.get(key) ?? [])].map((id) => matrix.portSet(id));
    const sets = unsure.get(key);
    const allowed = unionPortSets([...certain, ...(sets?.allowed ?? [])]);
    const unknown = sets ? subtractPortSets(unionPortSets(sets.unknown), allowed) : EMPTY_PORT_SET;
    if (isEmptyPortSet(allowed) && isEmptyPortSet(unknown)) continue;
    edges.push({ from, to, allowed, unknown });
  }
  edges.sort((a, b) => a.from - b.from || a.to - b.to);
  return { grouping, nodes, edges };
}
