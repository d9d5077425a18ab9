import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer, Direction } from '../compile/compile.js';
import { isSinglePod, type Pod } from '../model/types.js';
import type { PortSet } from '../primitives/port-set.js';
import { ChainAnswers, decides } from './chain-answers.js';
import { IdRows } from './id-rows.js';
import { buildPeerIndex, type PeerIndex } from './peer-index.js';
import { PortSetTable } from './port-set-table.js';
import { regionAnswers } from './region-answers.js';

/**
 * The connections between every ordered pair of a set of pods. Pods that behave alike are
 * grouped into classes (by the policies isolating them, the peers that match them and how
 * their named ports resolve), so the work grows with the number of classes, not of pods.
 * For an undecided pair (a side whose policies could not all be seen or evaluated, or that
 * depends on a pod's unknown IP), the connections are those not surely denied: the undecided
 * side counts as open, an ipBlock that may hold the IP as matching.
 */
export interface ConnectivityMatrix {
  /** Indexes into analysis.pods of the pods covered, in output order. */
  readonly podIdxs: readonly number[];
  /** Interned id of the connections from podIdxs[from] to podIdxs[to] (positions, not pod indexes). */
  connectionId(from: number, to: number): number;
  /** The connections from podIdxs[from] to podIdxs[to]. */
  connections(from: number, to: number): PortSet;
  /**
   * Whether a side of the pair is undecided, or an unknown IP or the readings of cluster
   * policies decide some of its connections: they are then only possible.
   */
  undecided(from: number, to: number): boolean;
  /**
   * The connections of the pair whose answer is UNKNOWN: all of them when a side is undecided,
   * else those that some IP or reading admits and not all do; the rest are surely allowed.
   */
  undecidedConnections(from: number, to: number): PortSet;
  /** The port set behind an id from connectionId. */
  portSet(id: number): PortSet;
  /** Counts of source and destination classes, for diagnostics and benchmarks. */
  readonly classCounts: { readonly sources: number; readonly destinations: number };
  /**
   * Each position's source class and destination class: the pods of a source class have the
   * same connections to each pod (but themselves), those of a destination class from each pod.
   */
  readonly classOf: { readonly sources: Int32Array; readonly destinations: Int32Array };
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

/** Marks classes, a fresh mark per rule, with no clearing between rules or chains. */
class ClassMarks {
  private readonly marks: Int32Array;
  private mark = 0;

  constructor(classCount: number) {
    this.marks = new Int32Array(classCount);
  }

  /** Starts a new mark, which no class has yet. */
  next(): void {
    this.mark++;
  }

  /** Gives a class the current mark; false if it had it already. */
  add(cls: number): boolean {
    if (this.marks[cls] === this.mark) return false;
    this.marks[cls] = this.mark;
    return true;
  }
}

/**
 * The hit set of each class of the other side: the chain's rules with a peer that `classesOf`
 * (an inverted index) says matches it, numbered in ascending rule order. `marks` (as many as
 * classes) is scratch space, shared between calls.
 */
function hitSets(
  answers: ChainAnswers,
  chain: RuleChain,
  classCount: number,
  classesOf: (peer: CompiledPeer) => readonly number[],
  marks: ClassMarks,
): Int32Array {
  const hits = new Int32Array(classCount);
  chain.rules.forEach((rule, k) => {
    marks.next();
    for (const peer of rule.peers) {
      for (const cls of classesOf(peer)) {
        if (marks.add(cls)) hits[cls] = answers.extend(hits[cls] as number, k);
      }
    }
  });
  return hits;
}

/**
 * The interned ports a chain admits towards each class of the other side: `sure` with the
 * peers that surely match and what every reading admits, `possible` adding the peers an
 * unknown IP may match (`partlyOf`) and what any reading admits; the same array when neither
 * IPs nor readings can change the answer. The kernel's answers are memoised on hit sets.
 */
function answersByClass(
  analysis: Analysis,
  answers: ChainAnswers,
  chain: RuleChain,
  classCount: number,
  classesOf: (peer: CompiledPeer) => readonly number[],
  partlyOf: (peer: CompiledPeer) => readonly number[],
  destinationOf: (cls: number) => number,
  otherPodOf: (cls: number) => number,
  marks: ClassMarks,
): ClassAnswers {
  /** Each class's answer; `agreed`: what every reading admits, else what any one does. */
  const answerAll = (hits: Int32Array, agreed: boolean) => {
    const result = new Int32Array(classCount);
    // Runs of classes share a hit set and destination (towards one destination, most classes
    // hit no rule): the memo is asked once a run.
    let lastNode = -1;
    let lastDestination = -1;
    let lastId = PortSetTable.EMPTY;
    for (let cls = 0; cls < classCount; cls++) {
      const node = hits[cls] as number;
      const destination = destinationOf(cls);
      if (node !== lastNode || destination !== lastDestination) {
        lastId = agreed
          ? answers.agreed(chain, node, destination)
          : answers.answer(chain, node, destination);
        lastNode = node;
        lastDestination = destination;
      }
      result[cls] = lastId;
    }
    return result;
  };
  const sureHits = hitSets(answers, chain, classCount, classesOf, marks);
  const dependsOnIp = chain.rules.some((rule) => rule.peers.some((p) => partlyOf(p).length > 0));
  if (!dependsOnIp && chain.readings.length === 0) {
    const sure = answerAll(sureHits, false);
    return { sure, possible: sure };
  }
  const possibly = (peer: CompiledPeer) => [...classesOf(peer), ...partlyOf(peer)];
  const possibleHits = dependsOnIp
    ? hitSets(answers, chain, classCount, possibly, marks)
    : sureHits;
  const sure = answerAll(sureHits, true);
  const possible = answerAll(possibleHits, false);
  // Rules that do not accept make the answer no longer grow with the peers matched: each
  // class whose IP is unknown is then answered for every region where the IP may lie.
  if (dependsOnIp) {
    const regionClasses = new Set(chain.rules.flatMap((rule) => rule.peers.flatMap(partlyOf)));
    for (const cls of regionClasses) {
      const regional = regionAnswers(analysis, answers, chain, otherPodOf(cls), destinationOf(cls));
      if (!regional) continue;
      sure[cls] = regional.sure;
      possible[cls] = regional.possible;
    }
  }
  return { sure, possible };
}

/**
 * A chain's answers per class: admitted for sure (every IP, every reading), and admitted for
 * some unknown IP or some reading.
 */
interface ClassAnswers {
  readonly sure: Int32Array;
  readonly possible: Int32Array;
}

/** Whether a pod's ingress or egress chain has readings besides the first. */
function hasReadings(chains: Analysis['chains'], podIdx: number): boolean {
  return (
    (chains.ingress[podIdx]?.readings.length ?? 0) > 0 ||
    (chains.egress[podIdx]?.readings.length ?? 0) > 0
  );
}

/**
 * The ids of the peers listed for each pod, per direction of the peer's rule. Of peers with the
 * same pods (the same list: see PeerIndex) only the first, their `canonical` peer, is listed:
 * the others add nothing to tell pods apart.
 */
interface PeerLists extends Record<Direction, number[][]> {
  /** Each peer's canonical peer, by peer id. */
  readonly canonical: Int32Array;
}

/** Lists the peers matching each pod (one of those with the same pods), from `podsOf`. */
function peersMatching(
  podsOf: readonly (readonly number[])[],
  podIdxs: readonly number[],
  peerIndex: PeerIndex,
): PeerLists {
  const lists: PeerLists = { ingress: [], egress: [], canonical: new Int32Array(podsOf.length) };
  for (const podIdx of podIdxs) {
    lists.ingress[podIdx] = [];
    lists.egress[podIdx] = [];
  }
  const firstOf: Record<Direction, Map<readonly number[], number>> = {
    ingress: new Map(),
    egress: new Map(),
  };
  podsOf.forEach((pods, peerId) => {
    const direction = (peerIndex.peers[peerId] as { direction: Direction }).direction;
    const first = firstOf[direction].get(pods);
    lists.canonical[peerId] = first ?? peerId;
    if (first !== undefined) return;
    firstOf[direction].set(pods, peerId);
    for (const podIdx of pods) lists[direction][podIdx]?.push(peerId);
  });
  return lists;
}

/** The members of each of `count` groups, given each member's group. */
function membersOf(groupOf: readonly number[], count: number): Int32Array[] {
  const sizes = new Int32Array(count);
  for (const group of groupOf) sizes[group] = (sizes[group] as number) + 1;
  const members = Array.from(sizes, (size) => new Int32Array(size));
  sizes.fill(0);
  groupOf.forEach((group, member) => {
    const size = sizes[group] as number;
    (members[group] as Int32Array)[size] = member;
    sizes[group] = size + 1;
  });
  return members;
}

/**
 * One destination class's row: for each source class, what its egress profile admits towards
 * the destination (`egressOf`, per profile) intersected with what the destination's ingress
 * admits from it (`ingress`, per source class; undefined: all).
 */
function fillRow(
  table: PortSetTable,
  row: Int32Array,
  egressOf: Int32Array,
  ingress: Int32Array | undefined,
  sourcesByProfile: readonly Int32Array[],
): void {
  sourcesByProfile.forEach((scs, profile) => {
    const egress = egressOf[profile] as number;
    if (egress === PortSetTable.EMPTY || !ingress) {
      for (const sc of scs) row[sc] = egress;
    } else if (egress === PortSetTable.FULL) {
      for (const sc of scs) row[sc] = ingress[sc] as number;
    } else {
      for (const sc of scs) row[sc] = table.intersect(egress, ingress[sc] as number);
    }
  });
}

/**
 * Computes the connections between every ordered pair of the given pods (all pods by default).
 * Matrices sharing a `sharedTable` have comparable connection ids.
 */
export function computeMatrix(
  analysis: Analysis,
  podIdxs: readonly number[] = analysis.pods.map((_, idx) => idx),
  peerIndex: PeerIndex = buildPeerIndex(analysis),
  sharedTable?: PortSetTable,
): ConnectivityMatrix {
  const answers = new ChainAnswers(analysis.namedPorts, sharedTable);
  const { table } = answers;
  const matchedPeers = peersMatching(peerIndex.podsOf, podIdxs, peerIndex);
  // Pods with known IPs pay nothing for those whose IP is unknown.
  const dependsOnIp = peerIndex.partlyOf.some((pods) => pods.length > 0);
  const partlyPeers = dependsOnIp
    ? peersMatching(peerIndex.partlyOf, podIdxs, peerIndex)
    : { ingress: [], egress: [], canonical: new Int32Array(0) };

  const { chains } = analysis;
  const signatureOf = (podIdx: number) => analysis.namedPorts.signatures[podIdx] as number;

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
  podIdxs.forEach((podIdx, position) => {
    const signature = signatureOf(podIdx);
    const egressProfile = egressProfiles.idOf(`${chains.egress[podIdx]?.id}`, podIdx);
    const ingressGroup = ingressGroups.idOf(`${chains.ingress[podIdx]?.id}|${signature}`, podIdx);
    const peersKey = (direction: Direction) => {
      const partly = partlyPeers[direction][podIdx] ?? [];
      const matched = matchedPeers[direction][podIdx]?.join(',');
      return partly.length === 0 ? matched : `${matched}~${partly.join(',')}`;
    };
    const sc = sources.idOf(`${egressProfile}|${peersKey('ingress')}`, podIdx);
    const dc = destinations.idOf(`${ingressGroup}|${peersKey('egress')}`, podIdx);
    sourceClass[position] = sc;
    destinationClass[position] = dc;
    egressProfileOf[sc] = egressProfile;
    ingressGroupOf[dc] = ingressGroup;
  });
  const S = sources.size;
  const D = destinations.size;

  // Inverted indexes: which classes each peer matches, or may match.
  const classesOfPeer = (peers: PeerLists, firsts: readonly number[], direction: Direction) => {
    const lists: number[][] = peerIndex.peers.map(() => []);
    firsts.forEach((podIdx, cls) => {
      for (const peerId of peers[direction][podIdx] ?? []) lists[peerId]?.push(cls);
    });
    return (peer: CompiledPeer) =>
      lists[peers.canonical[peerIndex.idOf.get(peer) as number] as number] ?? [];
  };
  const sourceClassesOf = classesOfPeer(matchedPeers, sources.firsts, 'ingress');
  const destinationClassesOf = classesOfPeer(matchedPeers, destinations.firsts, 'egress');
  const none = () => [];
  const sourcePartlyOf = dependsOnIp ? classesOfPeer(partlyPeers, sources.firsts, 'ingress') : none;
  const destinationPartlyOf = dependsOnIp
    ? classesOfPeer(partlyPeers, destinations.firsts, 'egress')
    : none;
  const destinationOf = (dc: number) => destinations.firsts[dc] as number;
  const marks = new ClassMarks(Math.max(S, D));

  // What each egress profile admits towards each destination class (undefined: unrestricted).
  const egressAnswers = egressProfiles.firsts.map((podIdx) => {
    const chain = chains.egress[podIdx] as RuleChain;
    return decides(chain)
      ? answersByClass(
          analysis,
          answers,
          chain,
          D,
          destinationClassesOf,
          destinationPartlyOf,
          destinationOf,
          destinationOf,
          marks,
        )
      : undefined;
  });
  const dcsByGroup: number[][] = ingressGroups.firsts.map(() => []);
  for (let dc = 0; dc < D; dc++) dcsByGroup[ingressGroupOf[dc] as number]?.push(dc);

  // Connections admitted for some IPs of the pods whose IP is unknown or some reading of the
  // cluster policies, and for all of them.
  const uncertain = dependsOnIp || podIdxs.some((podIdx) => hasReadings(chains, podIdx));
  const possibleTable = new IdRows(S * D);
  const sureTable = uncertain ? new IdRows(S * D) : possibleTable;
  const row = new Int32Array(S);
  const sourcesByProfile = membersOf(egressProfileOf, egressProfiles.size);
  const possibleEgress = new Int32Array(egressProfiles.size);
  const sureEgress = new Int32Array(egressProfiles.size);
  ingressGroups.firsts.forEach((podIdx, group) => {
    const chain = chains.ingress[podIdx] as RuleChain;
    const ingress = decides(chain)
      ? answersByClass(
          analysis,
          answers,
          chain,
          S,
          sourceClassesOf,
          sourcePartlyOf,
          () => podIdx,
          (sc) => sources.firsts[sc] as number,
          marks,
        )
      : undefined;
    for (const dc of dcsByGroup[group] ?? []) {
      egressAnswers.forEach((egress, profile) => {
        possibleEgress[profile] = egress?.possible[dc] ?? PortSetTable.FULL;
        sureEgress[profile] = egress?.sure[dc] ?? PortSetTable.FULL;
      });
      fillRow(table, row, possibleEgress, ingress?.possible, sourcesByProfile);
      possibleTable.setRow(dc * S, row);
      if (uncertain) {
        fillRow(table, row, sureEgress, ingress?.sure, sourcesByProfile);
        sureTable.setRow(dc * S, row);
      }
    }
  });

  const undecidedSide = (direction: Direction, position: number) =>
    (chains[direction][podIdxs[position] as number] as RuleChain).undecided.length > 0;
  const possibleIds = possibleTable.ids;
  const sureIds = sureTable.ids;
  const single = podIdxs.map((podIdx) => isSinglePod(analysis.pods[podIdx] as Pod));
  const cell = (from: number, to: number) =>
    (destinationClass[to] as number) * S + (sourceClass[from] as number);
  const connectionId = (from: number, to: number) =>
    from === to && single[from] ? PortSetTable.FULL : (possibleIds[cell(from, to)] as number);
  // An undecided side leaves every connection not surely denied UNKNOWN; else those some IP or
  // reading admits and not all do.
  const undecidedId = (from: number, to: number) => {
    if (from === to && single[from]) return PortSetTable.EMPTY;
    if (undecidedSide('egress', from) || undecidedSide('ingress', to)) {
      return connectionId(from, to);
    }
    return uncertain
      ? table.subtract(possibleIds[cell(from, to)] as number, sureIds[cell(from, to)] as number)
      : PortSetTable.EMPTY;
  };
  return {
    podIdxs,
    connectionId,
    connections: (from, to) => table.get(connectionId(from, to)),
    undecided: (from, to) =>
      !(from === to && single[from]) &&
      (undecidedSide('egress', from) ||
        undecidedSide('ingress', to) ||
        undecidedId(from, to) !== PortSetTable.EMPTY),
    undecidedConnections: (from, to) => table.get(undecidedId(from, to)),
    portSet: (id) => table.get(id),
    classCounts: { sources: S, destinations: D },
    classOf: { sources: sourceClass, destinations: destinationClass },
  };
}
