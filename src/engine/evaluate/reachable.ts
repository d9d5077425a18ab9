import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer, Direction } from '../compile/compile.js';
import { podEndpoint } from '../compile/endpoint.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import { isSinglePod, type Pod } from '../model/types.js';
import {
  intersectPortSets,
  isEmptyPortSet,
  type PortSet,
  subtractPortSets,
} from '../primitives/port-set.js';
import { familyView, pairFamilies } from './address-families.js';
import { ChainAnswers, decides } from './chain-answers.js';
import { ConnectionEvaluator, endpointPeerTest } from './connections.js';
import type { PeerTest } from './kernel.js';
import { nodeUnknownLayer, sameNode } from './node-local.js';
import type { PeerIndex } from './peer-index.js';
import { peerMatchesPod } from './peer-match.js';
import { PortSetTable } from './port-set-table.js';
import { regionAnswers } from './region-answers.js';
import { dependsOnUndecidedPeers } from './undecided-peers.js';
import { ipDependentBlocks } from './unknown-ip.js';

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
}

/**
 * The interned ports a side admits: for certain (every IP, every reading), and for some IP of a
 * pod whose IP is unknown or some reading (the same when neither decides it).
 */
interface SideAnswer {
  readonly sure: number;
  readonly possible: number;
}

const OPEN: SideAnswer = { sure: PortSetTable.FULL, possible: PortSetTable.FULL };

/** A reachable pod, with the connections whose answer is UNKNOWN when there are any. */
export function reachablePod(pod: string, connections: PortSet, unknown: PortSet): ReachablePod {
  return isEmptyPortSet(unknown)
    ? { pod, connections }
    : { pod, connections, undecided: true, unknown };
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
 * (as in the matrix): each family is answered with the pods' addresses of that family.
 */
export function reachablePods(
  analysis: Analysis,
  podIdx: number,
  direction: Direction,
  peerIndex?: PeerIndex,
): ReachablePod[] {
  const everyAddress = reachableOver(analysis, podIdx, direction, peerIndex);
  const dualStack = analysis.pods.some(
    (_, idx) => analysis.podAddresses.familiesOf(idx).length > 1,
  );
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
    const answers = (families ?? []).map((family) => byFamily[family].get(pod.id));
    if (answers.length === 0) return anyFamily.get(pod.id) ?? [];
    return commonReachable(pod.id, answers) ?? [];
  });
}

/** The pods of a reachable list, by id. */
type ReachableList = ReadonlyMap<string, ReachablePod>;

/** What every family's answer admits (undefined: one admits nothing), UNKNOWN where not all surely do. */
function commonReachable(
  pod: string,
  answers: readonly (ReachablePod | undefined)[],
): ReachablePod | undefined {
  if (answers.some((answer) => !answer)) return undefined;
  const present = answers as ReachablePod[];
  const connections = intersectAll(present.map((answer) => answer.connections));
  if (isEmptyPortSet(connections)) return undefined;
  const sure = intersectAll(
    present.map((answer) =>
      answer.unknown ? subtractPortSets(answer.connections, answer.unknown) : answer.connections,
    ),
  );
  return reachablePod(pod, connections, subtractPortSets(connections, sure));
}

/** The ports every set holds. */
function intersectAll(sets: readonly PortSet[]): PortSet {
  return sets.reduce((common, set) => intersectPortSets(common, set));
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
  const near = analysis.chains[direction][podIdx] as RuleChain;
  const members = peerMembership(analysis, peerIndex);
  // A node-host peer is relative to the subject: matched pod by pod, not through membership.
  const matches = (peer: CompiledPeer, namespace: string, other: number) =>
    peer.kind === 'node-host'
      ? peerMatchesPod(analysis, peer, namespace, other, 'outside', subject.pod)
      : members(peer, namespace, other);
  // By the far chain's id, then the destination's named-port signature (-1 when not read).
  const farAnswers = new Map<number, Map<number, SideAnswer>>();
  const pods: ReachablePod[] = [];
  analysis.pods.forEach((pod, other) => {
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
    const farChain = analysis.chains[far][other] as RuleChain;
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
