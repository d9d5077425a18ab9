import type { Analysis, CompiledPeer, Direction } from '../compile/compile.js';
import { podEndpoint } from '../compile/endpoint.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import { isSinglePod, type Pod } from '../model/types.js';
import {
  EMPTY_PORT_SET,
  intersectPortSets,
  isEmptyPortSet,
  type PortSet,
  portSetKey,
  subtractPortSets,
} from '../primitives/port-set.js';
import {
  type FamilyName,
  familyView,
  mayHaveDualStackPods,
  pairFamilies,
} from './address-families.js';
import { ChainAnswers, decides } from './chain-answers.js';
import { ConnectionEvaluator, endpointPeerTest } from './connections.js';
import type { PeerTest } from './kernel.js';
import { type ConnectivityMatrix, DECIDED_PAIR, type PairIds } from './matrix.js';
import { nodeUnknownLayer, sameNode } from './node-local.js';
import type { PeerIndex } from './peer-index.js';
import { peerMatchesPod } from './peer-match.js';
import { PortSetTable } from './port-set-table.js';
import { regionAnswers } from './region-answers.js';
import { dependsOnUndecidedPeers } from './undecided-peers.js';
import { ipDependentBlocks } from './unknown-ip.js';
import { walkedPods } from './walked-pods.js';

/** A pod on the other side of allowed traffic, with the connections both sides allow. */
export interface ReachablePod {
  readonly pod: string;
  readonly connections: PortSet;
  /** Some connections are UNKNOWN: the connections are those not surely denied. */
  readonly undecided?: true;
  /**
   * With `undecided`: the connections whose answer is UNKNOWN (all of them when a side is
   * undecided); the others are surely allowed.
   */
  readonly unknown?: PortSet;
  /**
   * When the address families the two pods can use admit different connections (a dual-stack
   * pod takes part): each family's. `connections` are then those every family admits, maybe
   * none: the pod is listed because some family admits some.
   */
  readonly families?: FamilyReaches;
}

/** What one address family admits between two pods. */
export interface FamilyReach {
  readonly connections: PortSet;
  /** The connections whose answer is UNKNOWN over the family; absent when none is. */
  readonly unknown?: PortSet;
}

/** What each address family admits between two pods. */
export type FamilyReaches = Readonly<Record<FamilyName, FamilyReach>>;

/**
 * The interned ports a side admits: for certain (every IP, every reading), and for some IP of a
 * pod whose IP is unknown or some reading (the same when neither decides it).
 */
interface SideAnswer {
  readonly sure: number;
  readonly possible: number;
}

const OPEN: SideAnswer = { sure: PortSetTable.FULL, possible: PortSetTable.FULL };

/**
 * A reachable pod, with the connections whose answer is UNKNOWN when there are any, and each
 * address family's when given (they differ).
 */
export function reachablePod(
  pod: string,
  connections: PortSet,
  unknown: PortSet,
  families?: FamilyReaches,
): ReachablePod {
  const reached: ReachablePod = isEmptyPortSet(unknown)
    ? { pod, connections }
    : { pod, connections, undecided: true, unknown };
  return families ? { ...reached, families } : reached;
}

/** What a family admits, with its UNKNOWN connections only when there are some. */
function familyReach(connections: PortSet, unknown: PortSet): FamilyReach {
  return isEmptyPortSet(unknown) ? { connections } : { connections, unknown };
}

/** What a pair of a matrix admits (over a family), from its ids. */
export function pairReach(matrix: ConnectivityMatrix, ids: PairIds): FamilyReach {
  const unknown =
    ids.undecidedId === DECIDED_PAIR ? EMPTY_PORT_SET : matrix.portSet(ids.undecidedId);
  return familyReach(matrix.portSet(ids.connectionId), unknown);
}

/** Whether two pods share a node, as a small number (0 yes, 1 no, 2 unknown) for memo keys. */
function sameNodeCode(a: Pod, b: Pod): number {
  const same = sameNode(a, b);
  return same === 'yes' ? 0 : same === 'no' ? 1 : 2;
}

/**
 * Which pods each peer matches, as membership arrays built on first use (from the peer index
 * when there is one).
 */
function peerMembership(analysis: Analysis, peerIndex: PeerIndex | undefined) {
  const members = new Map<CompiledPeer, Uint8Array>();
  return (peer: CompiledPeer, namespace: string, podIdx: number): boolean => {
    let set = members.get(peer);
    if (!set) {
      set = new Uint8Array(analysis.pods.length);
      const indexed = peerIndex?.podsOf[peerIndex.idOf.get(peer) ?? -1];
      if (indexed) for (const idx of indexed) set[idx] = 1;
      else {
        for (let idx = 0; idx < set.length; idx++)
          set[idx] = peerMatchesPod(analysis, peer, namespace, idx) ? 1 : 0;
      }
      members.set(peer, set);
    }
    return set[podIdx] === 1;
  };
}

/**
 * The pods that may reach a pod (ingress) or that it may reach (egress), with the connections
 * both sides allow. A pair an unknown IP decides lists what some IP gets, as undecided. Where a
 * dual-stack pod takes part, a pair's connections are those every family it can use admits
 * (as in the matrix), and a pod some family admits more to is listed with each family's (see
 * ReachablePod.families): each family is answered with the pods' addresses of that family.
 */
export function reachablePods(
  analysis: Analysis,
  podIdx: number,
  direction: Direction,
  peerIndex?: PeerIndex,
): ReachablePod[] {
  const everyAddress = reachableOver(analysis, podIdx, direction, peerIndex);
  const dualStack =
    mayHaveDualStackPods(analysis) &&
    analysis.pods.some((_, idx) => analysis.podAddresses.familiesOf(idx).length > 1);
  if (!dualStack) return everyAddress;
  const byPod = (list: readonly ReachablePod[]): ReachableList =>
    new Map(list.map((reachable) => [reachable.pod, reachable]));
  const overFamily = (family: AddressFamily) =>
    byPod(reachableOver(familyView(analysis, family), podIdx, direction));
  const anyFamily = byPod(everyAddress);
  const byFamily = { 4: overFamily(4), 6: overFamily(6) };
  const subjectFamilies = analysis.podAddresses.familiesOf(podIdx);
  return analysis.pods.flatMap((pod, other) => {
    const families = pairFamilies(subjectFamilies, analysis.podAddresses.familiesOf(other));
    const [only, ...both] = families ?? [];
    if (!only) return anyFamily.get(pod.id) ?? [];
    // Two families are both, IPv4 first.
    if (both.length === 0) return byFamily[only].get(pod.id) ?? [];
    return reachableOverBoth(pod.id, byFamily[4].get(pod.id), byFamily[6].get(pod.id)) ?? [];
  });
}

/** The pods of a reachable list, by id. */
type ReachableList = ReadonlyMap<string, ReachablePod>;

/** What a family's answer admits: nothing when the pod is not in its list. */
const reachOf = (answer: ReachablePod | undefined): FamilyReach =>
  answer ? familyReach(answer.connections, answer.unknown ?? EMPTY_PORT_SET) : NOTHING;

const NOTHING: FamilyReach = { connections: EMPTY_PORT_SET };

/** Whether two families' answers are the same. */
function sameReach(a: FamilyReach, b: FamilyReach): boolean {
  return (
    portSetKey(a.connections) === portSetKey(b.connections) &&
    portSetKey(a.unknown ?? EMPTY_PORT_SET) === portSetKey(b.unknown ?? EMPTY_PORT_SET)
  );
}

/**
 * A pod reached over both families (undefined: neither admits anything): the connections both
 * admit, UNKNOWN where not both surely do, with each family's when they differ.
 */
function reachableOverBoth(
  pod: string,
  overIpv4: ReachablePod | undefined,
  overIpv6: ReachablePod | undefined,
): ReachablePod | undefined {
  if (!overIpv4 && !overIpv6) return undefined;
  const families = { IPv4: reachOf(overIpv4), IPv6: reachOf(overIpv6) };
  if (sameReach(families.IPv4, families.IPv6)) return overIpv4;
  const sureOf = ({ connections, unknown }: FamilyReach) =>
    unknown ? subtractPortSets(connections, unknown) : connections;
  const connections = intersectPortSets(families.IPv4.connections, families.IPv6.connections);
  const sure = intersectPortSets(sureOf(families.IPv4), sureOf(families.IPv6));
  return reachablePod(pod, connections, subtractPortSets(connections, sure), families);
}

/**
 * reachablePods reading each pod's addresses as the analysis gives them. The subject's own
 * chain is matched once per pod through membership arrays; the far side's answer depends only
 * on its chain and where named ports resolve, so it is memoised on those.
 */
function reachableOver(
  analysis: Analysis,
  podIdx: number,
  direction: Direction,
  peerIndex?: PeerIndex,
): ReachablePod[] {
  const subject = podEndpoint(analysis, podIdx);
  const far: Direction = direction === 'ingress' ? 'egress' : 'ingress';
  const answers = new ChainAnswers(analysis.namedPorts);
  const evaluator = new ConnectionEvaluator(analysis, answers.table);
  const near = analysis.chains.of(direction, podIdx);
  const members = peerMembership(analysis, peerIndex);
  // A node-host peer is relative to the subject: matched pod by pod, not through membership.
  const matches = (peer: CompiledPeer, namespace: string, other: number) =>
    peer.kind === 'node-host'
      ? peerMatchesPod(analysis, peer, namespace, other, 'outside', subject.pod)
      : members(peer, namespace, other);
  // By the far chain's id, then the destination's named-port signature (-1 when not read).
  const farAnswers = new Map<number, Map<number, SideAnswer>>();
  const pods: ReachablePod[] = [];
  // A callback per pod, not a loop body: V8 optimises it after a few pods, where a loop in a
  // function called once waits for on-stack replacement (coredns's egress: 186 against 243 ms).
  walkedPods(analysis, answers, near, podIdx).forEach((other) => {
    const pod = analysis.pods[other] as Pod;
    // A workload of several replicas reaches (and is reached by) its other replicas.
    if (other === podIdx && isSinglePod(pod)) return;
    const destination = direction === 'ingress' ? podIdx : other;
    let nearIds = OPEN;
    if (decides(near)) {
      const node = answers.hitsOf(near, (peer, namespace) => matches(peer, namespace, other));
      const otherEndpoint = podEndpoint(analysis, other);
      const mayMatchMore =
        ipDependentBlocks(analysis, near, otherEndpoint).length > 0 ||
        dependsOnUndecidedPeers(analysis, near, other) !== false ||
        nodeUnknownLayer(near, subject.pod, otherEndpoint) !== undefined;
      const possible = mayMatchMore
        ? answers.answer(
            near,
            answers.hitsOf(near, (peer, namespace) =>
              peerMatchesPod(analysis, peer, namespace, other, 'inside', subject.pod),
            ),
            destination,
          )
        : answers.answer(near, node, destination);
      nearIds = regionAnswers(analysis, answers, near, other, destination, subject.pod) ?? {
        sure: answers.agreed(near, node, destination),
        possible,
      };
    }
    if (nearIds.possible === PortSetTable.EMPTY) return;
    const farChain = analysis.chains.of(far, other);
    let farIds = OPEN;
    if (decides(farChain)) {
      const signature = farChain.namedPorts
        ? (analysis.namedPorts.signatures[destination] ?? -1)
        : -1;
      let bySignature = farAnswers.get(farChain.id);
      if (!bySignature) {
        bySignature = new Map();
        farAnswers.set(farChain.id, bySignature);
      }
      // A host subject meets the far chain's node-local rule as the far pod's node says.
      const key =
        (signature + 1) * 3 + (subject.pod.hostNetwork ? sameNodeCode(subject.pod, pod) : 0);
      let known = bySignature.get(key);
      if (!known) {
        const otherEndpoint = podEndpoint(analysis, other);
        const destinationEndpoint = podEndpoint(analysis, destination);
        const subjectAsPeer = endpointPeerTest(analysis, subject, 'outside', otherEndpoint);
        const sideWith = (test: PeerTest) =>
          evaluator.side(far, otherEndpoint, test, destinationEndpoint);
        const sure = evaluator.sideAgreed(far, otherEndpoint, subjectAsPeer, destinationEndpoint);
        const possible =
          ipDependentBlocks(analysis, farChain, subject).length > 0 ||
          dependsOnUndecidedPeers(analysis, farChain, podIdx) !== false ||
          nodeUnknownLayer(farChain, pod, subject) !== undefined
            ? sideWith(endpointPeerTest(analysis, subject, 'inside', otherEndpoint))
            : sideWith(subjectAsPeer);
        known = regionAnswers(analysis, answers, farChain, podIdx, destination, pod) ?? {
          sure,
          possible,
        };
        bySignature.set(key, known);
      }
      farIds = known;
    }
    const id = answers.table.intersect(nearIds.possible, farIds.possible);
    if (id === PortSetTable.EMPTY) return;
    // An undecided side leaves every connection not surely denied UNKNOWN; else those some IP
    // or reading admits and not all do.
    const unknown =
      near.undecided.length > 0 || farChain.undecided.length > 0
        ? id
        : answers.table.subtract(id, answers.table.intersect(nearIds.sure, farIds.sure));
    pods.push(reachablePod(pod.id, answers.table.get(id), answers.table.get(unknown)));
  });
  return pods;
}
