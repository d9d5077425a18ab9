import type { Analysis, CompiledPeer, CompiledRule, Direction } from '../compile/compile.js';
import { podEndpoint } from '../compile/endpoint.js';
import type { ContainerPort, Pod, Protocol } from '../model/types.js';
import { EMPTY_PORT_SET, type PortSet, unionPortSets } from '../primitives/port-set.js';
import { restrictingPolicies } from './connections.js';
import { buildPeerIndex, type PeerIndex } from './peer-index.js';
import { resolveNamedPort, rulePortSet } from './port-match.js';
import { PortSetTable } from './port-set-table.js';
import { RuleSetTrie } from './rule-set-trie.js';

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
  /** The port set behind an id from connectionId. */
  portSet(id: number): PortSet;
  /** Counts of source and destination classes, for diagnostics and benchmarks. */
  readonly classCounts: { readonly sources: number; readonly destinations: number };
}

/** Numbers an open-ended set of keys densely, remembering each key's first member. */
class KeyIndex {
  private readonly ids = new Map<string, number>();
  readonly firsts: number[] = [];

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

/** Where named ports resolve for one class: a signature id and the ports themselves. */
type PortContext = readonly [signature: number, ports: readonly ContainerPort[]];

/**
 * The ports a list of rules admits for each class of the other side. A class hits the rules
 * whose peers match it (found through `classesOf`, an inverted index); classes hitting the
 * same rules with the same named-port resolution share one answer.
 */
function admittedByClass(
  rules: readonly CompiledRule[],
  classCount: number,
  classesOf: (peer: CompiledPeer) => readonly number[],
  portContext: (cls: number) => PortContext,
  table: PortSetTable,
): Int32Array {
  const trie = new RuleSetTrie();
  const hitRules = new Int32Array(classCount);
  const lastRule = new Int32Array(classCount).fill(-1);
  const open: number[] = [];
  rules.forEach((rule, k) => {
    if (rule.peers.length === 0) {
      open.push(k);
      return;
    }
    for (const peer of rule.peers) {
      for (const cls of classesOf(peer)) {
        if (lastRule[cls] === k) continue;
        lastRule[cls] = k;
        hitRules[cls] = trie.extend(hitRules[cls] as number, k);
      }
    }
  });
  const answers = new Map<number, number>();
  const result = new Int32Array(classCount);
  for (let cls = 0; cls < classCount; cls++) {
    const [signature, ports] = portContext(cls);
    const node = hitRules[cls] as number;
    const key = node * 0x100000 + signature;
    let id = answers.get(key);
    if (id === undefined) {
      const sets = [...open, ...trie.rules(node)].map((k) =>
        rulePortSet((rules[k] as CompiledRule).ports, ports),
      );
      id = table.intern(sets.length === 0 ? EMPTY_PORT_SET : unionPortSets(sets));
      answers.set(key, id);
    }
    result[cls] = id;
  }
  return result;
}

function rulesOf(analysis: Analysis, podIdx: number, direction: Direction): CompiledRule[] {
  return restrictingPolicies(analysis, podEndpoint(analysis, podIdx), direction).flatMap(
    (policy) => (direction === 'ingress' ? policy.ingress : policy.egress),
  );
}

/** Computes the connections between every ordered pair of the given pods (all pods by default). */
export function computeMatrix(
  analysis: Analysis,
  podIdxs: readonly number[] = analysis.pods.map((_, idx) => idx),
  peerIndex: PeerIndex = buildPeerIndex(analysis),
): ConnectivityMatrix {
  const table = new PortSetTable();
  const matchedPeers = { ingress: [] as number[][], egress: [] as number[][] };
  for (const podIdx of podIdxs) {
    matchedPeers.ingress[podIdx] = [];
    matchedPeers.egress[podIdx] = [];
  }
  peerIndex.podsOf.forEach((pods, peerId) => {
    const lists = matchedPeers[(peerIndex.peers[peerId] as { direction: Direction }).direction];
    for (const podIdx of pods) lists[podIdx]?.push(peerId);
  });

  const namedPorts = new Map<string, { name: string; protocol: Protocol }>();
  for (const policy of analysis.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const port of rule.ports) {
        if (typeof port.port === 'string') {
          namedPorts.set(`${port.port}/${port.protocol}`, {
            name: port.port,
            protocol: port.protocol,
          });
        }
      }
    }
  }
  const portSignatures = new KeyIndex();
  const signatureOf = (pod: Pod) =>
    portSignatures.idOf(
      [...namedPorts.values()]
        .map((np) => resolveNamedPort(np.name, np.protocol, pod.ports) ?? '')
        .join(','),
      0,
    );
  const isolation = (podIdx: number, direction: Direction) =>
    restrictingPolicies(analysis, podEndpoint(analysis, podIdx), direction)
      .map((policy) => policy.id)
      .join(',');

  // A source behaves by its egress policies and by the ingress peers that match it; a
  // destination by its ingress policies, the egress peers that match it and its named ports.
  const egressProfiles = new KeyIndex();
  const ingressGroups = new KeyIndex();
  const sources = new KeyIndex();
  const destinations = new KeyIndex();
  const sourceClass = new Int32Array(podIdxs.length);
  const destinationClass = new Int32Array(podIdxs.length);
  const egressProfileOf: number[] = [];
  const ingressGroupOf: number[] = [];
  const signatureOfClass: number[] = [];
  podIdxs.forEach((podIdx, position) => {
    const pod = analysis.pods[podIdx] as Pod;
    const signature = signatureOf(pod);
    const egressProfile = egressProfiles.idOf(isolation(podIdx, 'egress'), podIdx);
    const ingressGroup = ingressGroups.idOf(`${isolation(podIdx, 'ingress')}|${signature}`, podIdx);
    const sc = sources.idOf(`${egressProfile}|${matchedPeers.ingress[podIdx]?.join(',')}`, podIdx);
    const dc = destinations.idOf(
      `${ingressGroup}|${matchedPeers.egress[podIdx]?.join(',')}`,
      podIdx,
    );
    sourceClass[position] = sc;
    destinationClass[position] = dc;
    egressProfileOf[sc] = egressProfile;
    ingressGroupOf[dc] = ingressGroup;
    signatureOfClass[dc] = signature;
  });
  const S = sources.size;
  const D = destinations.size;

  // Inverted indexes: which classes each peer matches.
  const classesOfPeer = (firsts: readonly number[], direction: Direction) => {
    const lists: number[][] = peerIndex.peers.map(() => []);
    firsts.forEach((podIdx, cls) => {
      for (const peerId of matchedPeers[direction][podIdx] ?? []) lists[peerId]?.push(cls);
    });
    return (peer: CompiledPeer) => lists[peerIndex.idOf.get(peer) as number] ?? [];
  };
  const sourceClassesOf = classesOfPeer(sources.firsts, 'ingress');
  const destinationClassesOf = classesOfPeer(destinations.firsts, 'egress');
  const destinationPorts = (dc: number): PortContext => [
    signatureOfClass[dc] as number,
    (analysis.pods[destinations.firsts[dc] as number] as Pod).ports,
  ];

  // What each egress profile admits towards each destination class (undefined: unrestricted).
  const egressAnswers = egressProfiles.firsts.map((podIdx) => {
    const rules = rulesOf(analysis, podIdx, 'egress');
    const isolated =
      restrictingPolicies(analysis, podEndpoint(analysis, podIdx), 'egress').length > 0;
    return isolated
      ? admittedByClass(rules, D, destinationClassesOf, destinationPorts, table)
      : undefined;
  });
  const dcsByGroup: number[][] = ingressGroups.firsts.map(() => []);
  for (let dc = 0; dc < D; dc++) dcsByGroup[ingressGroupOf[dc] as number]?.push(dc);

  const classTable = new Int32Array(S * D);
  ingressGroups.firsts.forEach((podIdx, group) => {
    const isolated =
      restrictingPolicies(analysis, podEndpoint(analysis, podIdx), 'ingress').length > 0;
    const context: PortContext = [0, (analysis.pods[podIdx] as Pod).ports];
    const ingress = isolated
      ? admittedByClass(
          rulesOf(analysis, podIdx, 'ingress'),
          S,
          sourceClassesOf,
          () => context,
          table,
        )
      : undefined;
    for (const dc of dcsByGroup[group] ?? []) {
      const row = dc * S;
      for (let sc = 0; sc < S; sc++) {
        const egress = egressAnswers[egressProfileOf[sc] as number]?.[dc] ?? PortSetTable.FULL;
        classTable[row + sc] =
          egress === PortSetTable.EMPTY
            ? egress
            : table.intersect(egress, ingress?.[sc] ?? PortSetTable.FULL);
      }
    }
  });

  const connectionId = (from: number, to: number) =>
    from === to
      ? PortSetTable.FULL
      : (classTable[
          (destinationClass[to] as number) * S + (sourceClass[from] as number)
        ] as number);
  return {
    podIdxs,
    connectionId,
    connections: (from, to) => table.get(connectionId(from, to)),
    portSet: (id) => table.get(id),
    classCounts: { sources: S, destinations: D },
  };
}
