import type { Analysis } from '../compile/compile.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import { isSinglePod, type Pod } from '../model/types.js';
import { FAMILY_NAMES, type FamilyName, familyView, pairFamilies } from './address-families.js';
import { bitsByClass, type ExceptionPairs } from './exception-pairs.js';
import {
  type ConnectivityMatrix,
  DECIDED_PAIR,
  type FamilyIds,
  matrixOfAddresses,
  type PairIds,
} from './matrix.js';
import { buildPeerIndex, type PeerIndex } from './peer-index.js';
import { PortSetTable } from './port-set-table.js';
import { peerIpBlocks } from './unknown-ip.js';

/**
 * Whether some answer among the pods may differ by address family: a dual-stack pod is among
 * them and some rule matches addresses (an ipBlock, a CIDR peer, Calico nets).
 */
function familiesMayDiffer(
  analysis: Analysis,
  podIdxs: readonly number[],
  peerIndex: PeerIndex,
): boolean {
  return (
    podIdxs.some((podIdx) => analysis.podAddresses.familiesOf(podIdx).length > 1) &&
    peerIndex.peers.some(
      ({ peer }) =>
        peerIpBlocks(peer).length > 0 && !(peer.kind === 'ip-block' && peer.outsideCluster),
    )
  );
}

/** A pair's ids, and each family's when they differ. */
interface PairAnswer {
  readonly ids: PairIds;
  readonly families?: FamilyIds;
}

/** Numbers each position by the tuple of its classes, so equal tuples share a number. */
function combinedClasses(classes: readonly ArrayLike<number | string>[]) {
  const ids = new Map<string, number>();
  const count = classes[0]?.length ?? 0;
  const combined = new Int32Array(count);
  for (let position = 0; position < count; position++) {
    const key = classes.map((of) => of[position]).join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    combined[position] = id;
  }
  return { of: combined, count: ids.size };
}

/** Classes numbered by combinedClasses, per side. */
type CombinedClasses = Record<ClassSide, ReturnType<typeof combinedClasses>>;
type ClassSide = 'sources' | 'destinations';

/**
 * The exceptions of any of `matrices` (of the same positions), by the classes combining theirs;
 * undefined when none has any.
 */
function exceptionsOfAny(
  matrices: readonly ConnectivityMatrix[],
  combined: CombinedClasses,
): ExceptionPairs | undefined {
  const withExceptions = matrices.filter((matrix) => matrix.exceptions);
  const each = withExceptions.map((matrix) => matrix.exceptions as ExceptionPairs);
  if (each.length === 0) return undefined;
  const count = combined.sources.of.length;
  // A combined class holds one class of each matrix: its bits are theirs, together.
  const bitsOf = (side: ClassSide) => {
    const bits = new Uint8Array(count);
    for (const matrix of withExceptions) {
      const theirs = (matrix.exceptions as ExceptionPairs).classBits[side];
      matrix.classOf[side].forEach((cls, position) => {
        bits[position] = (bits[position] as number) | (theirs[cls] as number);
      });
    }
    return bitsByClass(bits, combined[side].of, combined[side].count);
  };
  return {
    has: (from, to) => each.some((exceptions) => exceptions.has(from, to)),
    *pairs() {
      const keys = new Set<number>();
      for (const exceptions of each)
        for (const [from, to] of exceptions.pairs()) keys.add(from * count + to);
      for (const key of [...keys].sort((a, b) => a - b))
        yield [Math.floor(key / count), key % count] as const;
    },
    classBits: { sources: bitsOf('sources'), destinations: bitsOf('destinations') },
  };
}

/**
 * The matrix of pods some of which are dual-stack, from the matrix reading every address at once
 * (`everyAddress`) and one per family (pods by their address of it), all of one port-set table:
 * a pair of pods sharing one family is answered over it; sharing both, over both. When the
 * families answer alike, that is the answer; otherwise the pair's connections are those no
 * family surely denies, surely allowed where every family surely allows (the stricter answer,
 * as check gives it), and `familyIds` holds each family's.
 */
function matrixByFamily(
  analysis: Analysis,
  everyAddress: ConnectivityMatrix,
  byFamily: Readonly<Record<AddressFamily, ConnectivityMatrix>>,
  table: PortSetTable,
): ConnectivityMatrix {
  const { podIdxs } = everyAddress;
  const familiesOf = podIdxs.map((podIdx) => analysis.podAddresses.familiesOf(podIdx));
  const single = podIdxs.map((podIdx) => isSinglePod(analysis.pods[podIdx] as Pod));
  const idsOf = (matrix: ConnectivityMatrix, from: number, to: number): PairIds => ({
    connectionId: matrix.connectionId(from, to),
    undecidedId: matrix.undecidedId(from, to),
  });
  const sureId = ({ connectionId, undecidedId }: PairIds) =>
    undecidedId === DECIDED_PAIR ? connectionId : table.subtract(connectionId, undecidedId);
  /** The pair's ids, and each family's when they differ. */
  const decide = (from: number, to: number): PairAnswer => {
    const families =
      from === to && single[from]
        ? undefined
        : pairFamilies(familiesOf[from] ?? [], familiesOf[to] ?? []);
    const [first, second] = families ?? [];
    if (!first) return { ids: idsOf(everyAddress, from, to) };
    const firstIds = idsOf(byFamily[first], from, to);
    if (!second) return { ids: firstIds };
    const secondIds = idsOf(byFamily[second], from, to);
    if (
      firstIds.connectionId === secondIds.connectionId &&
      firstIds.undecidedId === secondIds.undecidedId
    )
      return { ids: firstIds };
    const connectionId = table.intersect(firstIds.connectionId, secondIds.connectionId);
    const sure = table.intersect(sureId(firstIds), sureId(secondIds));
    const unknown = table.subtract(connectionId, sure);
    return {
      ids: {
        connectionId,
        undecidedId: unknown === PortSetTable.EMPTY ? DECIDED_PAIR : unknown,
      },
      families: {
        [FAMILY_NAMES[first]]: firstIds,
        [FAMILY_NAMES[second]]: secondIds,
      } as Record<FamilyName, PairIds>,
    };
  };
  const classOf = (side: ClassSide) =>
    combinedClasses([
      everyAddress.classOf[side],
      byFamily[4].classOf[side],
      byFamily[6].classOf[side],
      familiesOf.map((families) => families.join('')),
    ]);
  const sources = classOf('sources');
  const destinations = classOf('destinations');
  const exceptions = exceptionsOfAny([everyAddress, byFamily[4], byFamily[6]], {
    sources,
    destinations,
  });
  // A pair's answer depends only on its classes, but for a pod with itself and the exceptions.
  const answers = new Map<number, PairAnswer>();
  const classAnswer = (from: number, to: number): PairAnswer => {
    const key = (sources.of[from] as number) * destinations.count + (destinations.of[to] as number);
    let known = answers.get(key);
    if (!known) {
      known = decide(from, to);
      answers.set(key, known);
    }
    return known;
  };
  const answer = (from: number, to: number): PairAnswer =>
    from === to || exceptions?.has(from, to) ? decide(from, to) : classAnswer(from, to);
  return {
    podIdxs,
    connectionId: (from, to) => answer(from, to).ids.connectionId,
    // A pod with itself and an exception are answered apart: their answer is not their classes'.
    plainConnectionIds: (froms, to, into) =>
      froms.forEach((from, i) => {
        into[i] = answer(from, to).ids.connectionId;
      }),
    connections: (from, to) => table.get(answer(from, to).ids.connectionId),
    undecided: (from, to) => answer(from, to).ids.undecidedId !== DECIDED_PAIR,
    undecidedConnections: (from, to) => {
      const id = answer(from, to).ids.undecidedId;
      return table.get(id === DECIDED_PAIR ? PortSetTable.EMPTY : id);
    },
    undecidedId: (from, to) => answer(from, to).ids.undecidedId,
    familyIds: (from, to) => answer(from, to).families,
    portSet: (id) => table.get(id),
    classCounts: { sources: sources.count, destinations: destinations.count },
    classOf: { sources: sources.of, destinations: destinations.of },
    ...(exceptions && { exceptions }),
  };
}

/**
 * Computes the connections between every ordered pair of the given pods (all pods by default).
 * Where a dual-stack pod takes part and a rule matches addresses, pairs are answered over each
 * family their connections can use (see matrixByFamily). Matrices sharing a `sharedTable` have
 * comparable connection ids.
 */
export function computeMatrix(
  analysis: Analysis,
  podIdxs: readonly number[] = analysis.pods.map((_, idx) => idx),
  peerIndex: PeerIndex = buildPeerIndex(analysis),
  sharedTable: PortSetTable = new PortSetTable(),
): ConnectivityMatrix {
  const everyAddress = matrixOfAddresses(analysis, podIdxs, peerIndex, sharedTable);
  if (!familiesMayDiffer(analysis, podIdxs, peerIndex)) return everyAddress;
  const overFamily = (family: AddressFamily) => {
    const view = familyView(analysis, family);
    return matrixOfAddresses(view, podIdxs, buildPeerIndex(view), sharedTable);
  };
  return matrixByFamily(
    analysis,
    everyAddress,
    { 4: overFamily(4), 6: overFamily(6) },
    sharedTable,
  );
}
