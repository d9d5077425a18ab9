import type { Analysis, CompiledPeer, CompiledPolicy, Direction } from './compile.js';
import { ConnectionEvaluator, type PeerPredicate, restrictingPolicies } from './connections.js';
import { type PodEndpoint, podEndpoint } from './endpoint.js';
import { peerMatchesPod } from './peer-match.js';
import { resolveNamedPort } from './port-match.js';
import type { PortSet } from './port-set.js';
import { PortSetTable } from './port-set-table.js';
import { selectorMatches } from './selector.js';
import type { Pod, Protocol } from './types.js';

/**
 * The connections between every ordered pair of a set of pods. Pods that behave alike are
 * grouped into classes (by the policies isolating them, the peers that match them and how
 * their named ports resolve), so the work grows with the number of classes, not of pods.
 */
export interface ConnectivityMatrix {
  /** Indexes into analysis.pods of the pods covered, in output order. */
  readonly podIdxs: readonly number[];
  /** Interned id of the connections from podIdxs[from] to podIdxs[to] (positions, not pod indexes). */
  connectionId(from: number, to: number): number;
  /** The connections from podIdxs[from] to podIdxs[to]. */
  connections(from: number, to: number): PortSet;
  /** Counts of source and destination classes, for diagnostics and benchmarks. */
  readonly classCounts: { readonly sources: number; readonly destinations: number };
}

interface PeerRegistry {
  readonly ids: Map<CompiledPeer, number>;
  readonly entries: { peer: CompiledPeer; policy: CompiledPolicy; direction: Direction }[];
}

function registerPeers(analysis: Analysis): PeerRegistry {
  const registry: PeerRegistry = { ids: new Map(), entries: [] };
  for (const policy of analysis.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers) {
        registry.ids.set(peer, registry.entries.length);
        registry.entries.push({ peer, policy, direction: rule.direction });
      }
    }
  }
  return registry;
}

function labelGroupKey(pod: Pod): string {
  const labels = Object.keys(pod.labels)
    .sort()
    .map((key) => `${key}=${pod.labels[key]}`)
    .join(',');
  return `${pod.namespace}\u0000${pod.hostNetwork}\u0000${labels}`;
}

/** For each pod, the ids of the peers matching it, split by the direction of their rules. */
function matchPeers(analysis: Analysis, registry: PeerRegistry) {
  const pods = analysis.pods;
  const ingress: number[][] = pods.map(() => []);
  const egress: number[][] = pods.map(() => []);
  // Selector peers only see labels and namespaces, so match them once per group of alike pods.
  const groups = new Map<string, number[]>();
  const groupsByNamespace = new Map<string, number[][]>();
  pods.forEach((pod, podIdx) => {
    const key = labelGroupKey(pod);
    let group = groups.get(key);
    if (!group) {
      group = [];
      groups.set(key, group);
      const list = groupsByNamespace.get(pod.namespace) ?? [];
      list.push(group);
      groupsByNamespace.set(pod.namespace, list);
    }
    group.push(podIdx);
  });
  const namespacesCache = new Map<string, string[]>();
  const selectedNamespaces = (
    peer: Extract<CompiledPeer, { kind: 'pods-in-selected-namespaces' }>,
  ) => {
    const key = JSON.stringify(peer.namespaceSelector);
    let names = namespacesCache.get(key);
    if (!names) {
      names = [...analysis.namespaces.values()]
        .filter((ns) => selectorMatches(peer.namespaceSelector, ns.labels))
        .map((ns) => ns.name);
      namespacesCache.set(key, names);
    }
    return names;
  };
  registry.entries.forEach(({ peer, policy, direction }, id) => {
    const target = direction === 'ingress' ? ingress : egress;
    const add = (podIdx: number) => {
      if (peerMatchesPod(analysis, peer, policy.ref.namespace, podIdx)) target[podIdx]?.push(id);
    };
    if (peer.kind === 'ip-block') {
      pods.forEach((_, podIdx) => {
        add(podIdx);
      });
      return;
    }
    const namespaces =
      peer.kind === 'pods-in-policy-namespace' ? [policy.ref.namespace] : selectedNamespaces(peer);
    for (const namespace of namespaces) {
      for (const group of groupsByNamespace.get(namespace) ?? []) {
        const first = group[0] as number;
        if (!peerMatchesPod(analysis, peer, policy.ref.namespace, first)) continue;
        for (const podIdx of group) target[podIdx]?.push(id);
      }
    }
  });
  return { ingress, egress };
}

/** The named ports any policy refers to, as name/protocol pairs. */
function referencedNamedPorts(analysis: Analysis): { name: string; protocol: Protocol }[] {
  const seen = new Map<string, { name: string; protocol: Protocol }>();
  for (const policy of analysis.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const port of rule.ports) {
        if (typeof port.port === 'string') {
          seen.set(`${port.port}/${port.protocol}`, { name: port.port, protocol: port.protocol });
        }
      }
    }
  }
  return [...seen.values()];
}

/** Numbers an open-ended set of keys densely. */
class KeyIndex {
  private readonly ids = new Map<string, number>();
  readonly firsts: number[] = [];
  /** The dense id of a key; `member` is remembered as the key's first member. */
  idOf(key: string, member: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.firsts.length;
      this.ids.set(key, id);
      this.firsts.push(member);
    }
    return id;
  }
  get size(): number {
    return this.firsts.length;
  }
}

/** Computes the connections between every ordered pair of the given pods (all pods by default). */
export function computeMatrix(
  analysis: Analysis,
  podIdxs: readonly number[] = analysis.pods.map((_, idx) => idx),
): ConnectivityMatrix {
  const registry = registerPeers(analysis);
  const matched = matchPeers(analysis, registry);
  const namedPorts = referencedNamedPorts(analysis);
  const table = new PortSetTable();

  const isolation = (podIdx: number, direction: Direction) =>
    restrictingPolicies(analysis, podEndpoint(analysis, podIdx), direction)
      .map((policy) => policy.id)
      .join(',');
  const portSignature = (pod: Pod) =>
    namedPorts.map((np) => resolveNamedPort(np.name, np.protocol, pod.ports) ?? '').join(',');

  // A source behaves by its egress policies and by the ingress peers that match it; a
  // destination by its ingress policies, the egress peers that match it and its named ports.
  const sources = new KeyIndex();
  const destinations = new KeyIndex();
  const sourceClass = new Int32Array(podIdxs.length);
  const destinationClass = new Int32Array(podIdxs.length);
  podIdxs.forEach((podIdx, position) => {
    const pod = analysis.pods[podIdx] as Pod;
    const egressPolicies = isolation(podIdx, 'egress');
    const ingressPolicies = isolation(podIdx, 'ingress');
    sourceClass[position] = sources.idOf(
      `${egressPolicies}|${(matched.ingress[podIdx] ?? []).join(',')}`,
      podIdx,
    );
    destinationClass[position] = destinations.idOf(
      `${ingressPolicies}|${(matched.egress[podIdx] ?? []).join(',')}|${portSignature(pod)}`,
      podIdx,
    );
  });

  const evaluator = new ConnectionEvaluator(analysis, table);
  const matchedBy = (peerIdx: number, direction: Direction): PeerPredicate => {
    const peerIds = new Set((direction === 'ingress' ? matched.ingress : matched.egress)[peerIdx]);
    return (_, peer) => peerIds.has(registry.ids.get(peer) as number);
  };
  const classTable = new Int32Array(sources.size * destinations.size);
  const destinationEndpoints = destinations.firsts.map((idx) => podEndpoint(analysis, idx));
  const destinationsAsPeers = destinations.firsts.map((idx) => matchedBy(idx, 'egress'));
  for (let sc = 0; sc < sources.size; sc++) {
    const source = podEndpoint(analysis, sources.firsts[sc] as number);
    const sourceAsPeer = matchedBy(source.podIdx, 'ingress');
    for (let dc = 0; dc < destinations.size; dc++) {
      const destination = destinationEndpoints[dc] as PodEndpoint;
      const ports = destination.pod.ports;
      const egress = evaluator.side(
        'egress',
        source,
        destinationsAsPeers[dc] as PeerPredicate,
        ports,
      );
      const ingress =
        egress === PortSetTable.EMPTY
          ? egress
          : evaluator.side('ingress', destination, sourceAsPeer, ports);
      classTable[sc * destinations.size + dc] = table.intersect(egress, ingress);
    }
  }

  const connectionId = (from: number, to: number) =>
    from === to
      ? PortSetTable.FULL
      : (classTable[
          (sourceClass[from] as number) * destinations.size + (destinationClass[to] as number)
        ] as number);
  return {
    podIdxs,
    connectionId,
    connections: (from, to) => table.get(connectionId(from, to)),
    classCounts: { sources: sources.size, destinations: destinations.size },
  };
}
