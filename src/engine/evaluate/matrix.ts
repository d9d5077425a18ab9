import type { Analysis, CompiledPeer, Direction } from '../compile/compile.js';
import { isSinglePod, type Pod } from '../model/types.js';
import type { PortSet } from '../primitives/port-set.js';
import type { FamilyName } from './address-families.js';
import { ChainAnswers, decides } from './chain-answers.js';
import { classAnswerRows, splitClasses } from './class-answer-rows.js';
import {
  answersByClass,
  type ClassLookups,
  ClassMarks,
  ClassScratch,
  type SparseClassAnswers,
  sparseAnswersByClass,
  sparseAnswersSplit,
} from './class-answers.js';
import type { ExceptionPairs } from './exception-pairs.js';
import { IdRows } from './id-rows.js';
import { NodeLocalPairs } from './node-local-pairs.js';
import { buildPeerIndex, type PeerIndex } from './peer-index.js';
import { PortSetTable } from './port-set-table.js';

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
  /**
   * Writes into `into[i]` the connections id of `froms[i]` to `to` as their classes answer,
   * unchecked: the true connectionId of each pair that is two pods and not an exception (see
   * ClassRepresentatives.firstPairStands). A loop over the pairs of classes reads a row at once.
   */
  plainConnectionIds(froms: Int32Array, to: number, into: Int32Array): void;
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
  /**
   * Interned id of undecidedConnections(from, to) when the pair is undecided, else
   * DECIDED_PAIR: with connectionId, all that a pair's answer depends on.
   */
  undecidedId(from: number, to: number): number;
  /** The port set behind an id from connectionId. */
  portSet(id: number): PortSet;
  /** Counts of source and destination classes, for diagnostics and benchmarks. */
  readonly classCounts: { readonly sources: number; readonly destinations: number };
  /**
   * Each position's source class and destination class: the pods of a source class have the
   * same connections to each pod (but themselves, and but the pairs in `exceptions`), those of
   * a destination class from each pod. Classes do not depend on nodes.
   */
  readonly classOf: { readonly sources: Int32Array; readonly destinations: Int32Array };
  /**
   * The pairs whose answer may differ from that of other pairs of their classes (node-local
   * traffic decides them); undefined when there are none.
   */
  readonly exceptions?: ExceptionPairs;
  /**
   * For a pair whose answer differs by address family (a dual-stack pod takes part), each
   * family's ids; undefined for every other pair, and on matrices no dual-stack pod can split.
   */
  familyIds?(from: number, to: number): FamilyIds | undefined;
}

/** A pair's answer in a matrix, as its ids: see ConnectivityMatrix. */
export interface PairIds {
  readonly connectionId: number;
  readonly undecidedId: number;
}

/** The answer of a pair over each address family, when they differ. */
export type FamilyIds = Readonly<Record<FamilyName, PairIds>>;

/** ConnectivityMatrix.undecidedId of a pair that is not undecided. */
export const DECIDED_PAIR = -1;

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
export function membersOf(groupOf: ArrayLike<number>, count: number): Int32Array[] {
  const sizes = new Int32Array(count);
  for (let member = 0; member < groupOf.length; member++) {
    const group = groupOf[member] as number;
    sizes[group] = (sizes[group] as number) + 1;
  }
  const members = Array.from(sizes, (size) => new Int32Array(size));
  sizes.fill(0);
  for (let member = 0; member < groupOf.length; member++) {
    const group = groupOf[member] as number;
    const size = sizes[group] as number;
    (members[group] as Int32Array)[size] = member;
    sizes[group] = size + 1;
  }
  return members;
}

/**
 * Computes the connections between every ordered pair of the given pods (all pods by default),
 * reading each pod's addresses as the analysis gives them (see computeMatrix for dual-stack
 * pods). Matrices sharing a `sharedTable` have comparable connection ids.
 */
export function matrixOfAddresses(
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
    const egressProfile = egressProfiles.idOf(`${chains.of('egress', podIdx).id}`, podIdx);
    const ingressGroup = ingressGroups.idOf(
      `${chains.of('ingress', podIdx).id}|${signature}`,
      podIdx,
    );
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
  const marks = new ClassMarks(Math.max(S, D));
  const egressScratch = new ClassScratch(D, marks);
  const ingressScratch = new ClassScratch(S, marks);
  const destinationOf = (dc: number) => destinations.firsts[dc] as number;
  const egressLookups: ClassLookups = {
    classesOf: destinationClassesOf,
    partlyOf: destinationPartlyOf,
    destinationOf,
    otherPodOf: destinationOf,
  };

  const dcsByGroup: number[][] = ingressGroups.firsts.map(() => []);
  for (let dc = 0; dc < D; dc++) dcsByGroup[ingressGroupOf[dc] as number]?.push(dc);

  // A row's cells are its source classes profile by profile, the unrestricted profiles first:
  // the classes of an egress profile that no ingress rule of the destination reaches all get
  // one answer, written in one go.
  const egressChainOf = (profile: number) =>
    chains.of('egress', egressProfiles.firsts[profile] as number);
  const restricted = egressProfiles.firsts.map((_, profile) => decides(egressChainOf(profile)));
  const sourcesByProfile = membersOf(egressProfileOf, egressProfiles.size);
  const slotOrder = [...sourcesByProfile.keys()].sort(
    (a, b) => Number(restricted[a]) - Number(restricted[b]),
  );
  const slotOf = new Int32Array(S);
  const profileStart = new Int32Array(egressProfiles.size);
  let slot = 0;
  for (const profile of slotOrder) {
    profileStart[profile] = slot;
    for (const sc of sourcesByProfile[profile] ?? []) slotOf[sc] = slot++;
  }
  // What each restricted egress profile admits towards each destination class, a row per
  // destination class, the profiles in slot order (and so in ascending order: the sort is stable).
  const restrictedProfiles = slotOrder.filter((profile) => restricted[profile]);
  const columnOf = new Int32Array(egressProfiles.size).fill(-1);
  restrictedProfiles.forEach((profile, column) => {
    columnOf[profile] = column;
  });
  const columnStart = Int32Array.from(
    restrictedProfiles,
    (profile) => profileStart[profile] as number,
  );
  const columns = restrictedProfiles.length;
  const egressRows = classAnswerRows(D, columns, (column) =>
    answersByClass(
      analysis,
      answers,
      egressChainOf(restrictedProfiles[column] as number),
      egressLookups,
      egressScratch,
    ),
  );

  // Connections admitted for all IPs of the pods whose IP is unknown and all readings of the
  // cluster policies (sure) differ from those admitted for some (possible) only in the rows of
  // destination classes whose egress or ingress answers split: only those get a sure row.
  const egressSplit = splitClasses(egressRows);
  const possibleTable = new IdRows(S * D);
  const sureRows = new Map<number, IdRows>();
  /** Writes one destination class's row from `offset`: egress answers met by its ingress. */
  const writeRow = (
    cells: IdRows,
    offset: number,
    dc: number,
    ingress: SparseClassAnswers | undefined,
    side: 'sure' | 'possible',
  ) => {
    const egress = egressRows[side];
    const rowStart = dc * columns;
    const rest = ingress ? ingress.rest[side] : PortSetTable.FULL;
    // The unrestricted profiles' classes open the row with the destination's ingress answer;
    // neighbouring profiles with one answer are then filled together.
    let runStart = 0;
    let runId = rest;
    for (let column = 0; column < columns; column++) {
      const id = table.intersect(egress[rowStart + column] as number, rest);
      if (id === runId) continue;
      const start = columnStart[column] as number;
      // Cells start EMPTY: runs of it need no writing.
      if (runId > PortSetTable.EMPTY) cells.fill(runId, offset + runStart, offset + start);
      runStart = start;
      runId = id;
    }
    if (runId > PortSetTable.EMPTY) cells.fill(runId, offset + runStart, offset + S);
    for (const sc of ingress?.reached ?? []) {
      const column = columnOf[egressProfileOf[sc] as number] as number;
      const ports = column < 0 ? PortSetTable.FULL : (egress[rowStart + column] as number);
      const id = table.intersect(ports, ingress?.[side][sc] as number);
      cells.set(offset + (slotOf[sc] as number), id);
    }
  };
  ingressGroups.firsts.forEach((podIdx, group) => {
    const chain = chains.of('ingress', podIdx);
    const ingressLookups: ClassLookups = {
      classesOf: sourceClassesOf,
      partlyOf: sourcePartlyOf,
      destinationOf: () => podIdx,
      otherPodOf: (sc) => sources.firsts[sc] as number,
    };
    const ingress = decides(chain)
      ? sparseAnswersByClass(analysis, answers, chain, ingressLookups, ingressScratch, podIdx)
      : undefined;
    const ingressSplits = ingress !== undefined && sparseAnswersSplit(ingress);
    for (const dc of dcsByGroup[group] ?? []) {
      writeRow(possibleTable, dc * S, dc, ingress, 'possible');
      if (!ingressSplits && egressSplit[dc] === 0) continue;
      const sure = new IdRows(S);
      writeRow(sure, 0, dc, ingress, 'sure');
      sureRows.set(dc, sure);
    }
  });

  /** 1 where the chain of a position's pod in `direction` is undecided. */
  const undecidedSides = (direction: Direction) =>
    Uint8Array.from(podIdxs, (podIdx) =>
      chains.of(direction, podIdx).undecided.length > 0 ? 1 : 0,
    );
  const undecidedSource = undecidedSides('egress');
  const undecidedDestination = undecidedSides('ingress');
  const possibleIds = possibleTable.ids;
  const sureIds = Array.from({ length: D }, (_, dc) => sureRows.get(dc)?.ids);
  const single = podIdxs.map((podIdx) => isSinglePod(analysis.pods[podIdx] as Pod));
  const sourceSlot = sourceClass.map((sc) => slotOf[sc] as number);
  const cell = (from: number, to: number) =>
    (destinationClass[to] as number) * S + (sourceSlot[from] as number);
  // Pairs of a host and a pod it is node-local to are answered by their pods (nodes included).
  const classOf = { sources: sourceClass, destinations: destinationClass };
  const classCounts = { sources: S, destinations: D };
  const nodeLocal = NodeLocalPairs.of(analysis, answers, podIdxs, classOf, classCounts);
  const sourceFlags = nodeLocal?.sourceFlags;
  const destinationFlags = nodeLocal?.destinationFlags as Uint8Array;
  const nodeLocalAnswer = (from: number, to: number) =>
    sourceFlags && ((sourceFlags[from] as number) & (destinationFlags[to] as number)) !== 0
      ? nodeLocal?.answer(from, to, sourceClass[from] as number, destinationClass[to] as number, D)
      : undefined;
  const connectionId = (from: number, to: number) => {
    if (from === to && single[from]) return PortSetTable.FULL;
    return nodeLocalAnswer(from, to)?.connections ?? (possibleIds[cell(from, to)] as number);
  };
  const plainConnectionIds = (froms: Int32Array, to: number, into: Int32Array) => {
    const rowStart = (destinationClass[to] as number) * S;
    for (let i = 0; i < froms.length; i++) {
      into[i] = possibleIds[rowStart + (sourceSlot[froms[i] as number] as number)] as number;
    }
  };
  // An undecided side leaves every connection not surely denied UNKNOWN; else those some IP or
  // reading admits and not all do.
  const undecidedId = (from: number, to: number) => {
    if (from === to && single[from]) return DECIDED_PAIR;
    const local = nodeLocalAnswer(from, to);
    if (local) return local.unknown === PortSetTable.EMPTY ? DECIDED_PAIR : local.unknown;
    if (undecidedSource[from] === 1 || undecidedDestination[to] === 1) {
      return connectionId(from, to);
    }
    const sure = sureIds[destinationClass[to] as number];
    if (!sure) return DECIDED_PAIR;
    const id = table.subtract(
      possibleIds[cell(from, to)] as number,
      sure[sourceSlot[from] as number] as number,
    );
    return id === PortSetTable.EMPTY ? DECIDED_PAIR : id;
  };
  return {
    podIdxs,
    connectionId,
    plainConnectionIds,
    connections: (from, to) => table.get(connectionId(from, to)),
    undecided: (from, to) => undecidedId(from, to) !== DECIDED_PAIR,
    undecidedConnections: (from, to) => {
      const id = undecidedId(from, to);
      return table.get(id === DECIDED_PAIR ? PortSetTable.EMPTY : id);
    },
    undecidedId,
    portSet: (id) => table.get(id),
    classCounts,
    classOf,
    ...(nodeLocal && { exceptions: nodeLocal }),
  };
}
