import type { Analysis } from '../compile/compile.js';
import {
  controllerByLabels,
  namespaceWorkloads,
  workloadTargetName,
} from '../compile/workloads.js';
import type { FamilyName } from '../evaluate/address-families.js';
import { type ConnectivityMatrix, DECIDED_PAIR } from '../evaluate/matrix.js';
import { isSinglePod, type Pod } from '../model/types.js';
import {
  EMPTY_PORT_SET,
  isEmptyPortSet,
  type PortSet,
  portSetKey,
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

/** Ports allowed between two nodes, and those whose answer is UNKNOWN. */
export interface EdgePorts {
  /** Ports some pair of the two nodes surely allows. */
  readonly allowed: PortSet;
  /** Ports no pair surely allows and some pair may: UNKNOWN. */
  readonly unknown: PortSet;
}

/** The ports allowed from one node to another, and those whose answer is UNKNOWN. */
export interface GraphEdge extends EdgePorts {
  /** Index into the graph's nodes. */
  readonly from: number;
  readonly to: number;
  /**
   * When a pair it folds is answered per address family (a dual-stack pod takes part) and the
   * families' ports differ from `allowed` and `unknown` (the pairs' ports over every family
   * they can use): each family's, its pairs' answers over it folded alike. Absent otherwise.
   */
  readonly families?: Readonly<Record<FamilyName, EdgePorts>>;
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

/** The answers of the pairs of an edge, folded: the ids of its certain ones, the sets of the others. */
class EdgeFold {
  private readonly sure = new Set<number>();
  private readonly allowed: PortSet[] = [];
  private readonly unknown: PortSet[] = [];

  /** A fold holding what another does. */
  static copyOf(fold: EdgeFold): EdgeFold {
    const copy = new EdgeFold();
    for (const id of fold.sure) copy.sure.add(id);
    copy.allowed.push(...fold.allowed);
    copy.unknown.push(...fold.unknown);
    return copy;
  }

  /** Adds a pair's answer, by its ids (see ConnectivityMatrix.undecidedId). */
  add(matrix: ConnectivityMatrix, connectionId: number, undecidedId: number): void {
    if (undecidedId === DECIDED_PAIR) {
      this.sure.add(connectionId);
      return;
    }
    const unknown = matrix.portSet(undecidedId);
    this.allowed.push(subtractPortSets(matrix.portSet(connectionId), unknown));
    this.unknown.push(unknown);
  }

  /** The union of the pairs' ports: UNKNOWN only where no pair surely allows. */
  ports(matrix: ConnectivityMatrix): EdgePorts {
    const certain = [...this.sure].map((id) => matrix.portSet(id));
    const allowed = unionPortSets([...certain, ...this.allowed]);
    const unknown =
      this.unknown.length > 0
        ? subtractPortSets(unionPortSets(this.unknown), allowed)
        : EMPTY_PORT_SET;
    return { allowed, unknown };
  }
}

/** An edge's folds: over every family, and over each when a pair of it is answered per family. */
interface EdgeFolds {
  readonly common: EdgeFold;
  families?: Record<FamilyName, EdgeFold>;
}

const portsKey = ({ allowed, unknown }: EdgePorts) =>
  `${portSetKey(allowed)}|${portSetKey(unknown)}`;

/** An edge of folded ports; undefined when it allows nothing over any family. */
function graphEdge(
  matrix: ConnectivityMatrix,
  from: number,
  to: number,
  folds: EdgeFolds,
): GraphEdge | undefined {
  const ports = folds.common.ports(matrix);
  const families = folds.families && {
    IPv4: folds.families.IPv4.ports(matrix),
    IPv6: folds.families.IPv6.ports(matrix),
  };
  const differ =
    families && [families.IPv4, families.IPv6].some((each) => portsKey(each) !== portsKey(ports));
  if (differ) return { from, to, ...ports, families };
  if (isEmptyPortSet(ports.allowed) && isEmptyPortSet(ports.unknown)) return undefined;
  return { from, to, ...ports };
}

/**
 * Folds the matrix's pods into nodes (by workload, a lone pod its own node; or by namespace)
 * and its pairs into edges: an edge's ports are the union over the pairs it folds, among the
 * pairs `keep` accepts (over some family, for a pair answered per family). A pod's connections
 * to itself are left out.
 */
export function connectivityGraph(
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  grouping: GraphGrouping,
  keep: (connections: PortSet) => boolean = (set) => !isEmptyPortSet(set),
): ConnectivityGraph {
  const { nodeOf, nodes } = foldPods(analysis, matrix, grouping);
  const single = matrix.podIdxs.map((idx) => isSinglePod(analysis.pods[idx] as Pod));
  const folds = new Map<string, EdgeFolds>();
  const foldsOf = (key: string) => {
    let known = folds.get(key);
    if (!known) {
      known = { common: new EdgeFold() };
      folds.set(key, known);
    }
    return known;
  };
  const count = matrix.podIdxs.length;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      if (i === j && single[i]) continue;
      const connectionId = matrix.connectionId(i, j);
      const byFamily = matrix.familyIds?.(i, j);
      const kept =
        keep(matrix.portSet(connectionId)) ||
        (byFamily !== undefined &&
          (keep(matrix.portSet(byFamily.IPv4.connectionId)) ||
            keep(matrix.portSet(byFamily.IPv6.connectionId))));
      if (!kept) continue;
      const undecidedId = matrix.undecidedId(i, j);
      const edge = foldsOf(`${nodeOf[i]}>${nodeOf[j]}`);
      // The pairs folded before the first answered per family are answered alike over each.
      if (byFamily && !edge.families)
        edge.families = { IPv4: EdgeFold.copyOf(edge.common), IPv6: EdgeFold.copyOf(edge.common) };
      edge.common.add(matrix, connectionId, undecidedId);
      if (!edge.families) continue;
      for (const family of ['IPv4', 'IPv6'] as const) {
        const ids = byFamily?.[family];
        edge.families[family].add(
          matrix,
          ids?.connectionId ?? connectionId,
          ids?.undecidedId ?? undecidedId,
        );
      }
    }
  }
  const edges: GraphEdge[] = [];
  for (const [key, edgeFolds] of folds) {
    const [from, to] = key.split('>').map(Number) as [number, number];
    const edge = graphEdge(matrix, from, to, edgeFolds);
    if (edge) edges.push(edge);
  }
  edges.sort((a, b) => a.from - b.from || a.to - b.to);
  return { grouping, nodes, edges };
}
