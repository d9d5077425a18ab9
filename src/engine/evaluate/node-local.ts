import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import type { ClusterNode } from '../model/cluster-policy.js';
import type { Pod } from '../model/types.js';
import { type IpAddress, parseIpAddress } from '../primitives/ip-block.js';
import type { PeerMiss } from './peer-miss.js';
import type { IpAssumption } from './unknown-ip.js';

type NodeHostPeer = Extract<CompiledPeer, { kind: 'node-host' }>;

/**
 * Whether two pods run on one node: `yes`, `no`, or `unknown` when either spec.nodeName is not
 * known (a workload's template, an unscheduled pod; `subject` absent: no pod at all).
 */
export function sameNode(subject: Pod | undefined, pod: Pod): 'yes' | 'no' | 'unknown' {
  if (subject?.nodeName === undefined || pod.nodeName === undefined) return 'unknown';
  return subject.nodeName === pod.nodeName ? 'yes' : 'no';
}

/**
 * Whether an address is one of the subject's node: in its Node's status.addresses, or the
 * address of a hostNetwork pod on that node (such pods carry their node's addresses).
 */
function isNodeAddress(analysis: Analysis, subject: Pod | undefined, address: IpAddress): boolean {
  const node = analysis.cluster.nodes?.find((n) => n.name === subject?.nodeName);
  if (node && nodeHoldsAddress(node, address)) return true;
  return analysis.pods.some(
    (pod, podIdx) =>
      pod.hostNetwork &&
      sameNode(subject, pod) === 'yes' &&
      analysis.podAddresses.of(podIdx).some((other) => sameAddress(other, address)),
  );
}

/** Whether two addresses are one. */
function sameAddress(a: IpAddress | undefined, b: IpAddress): boolean {
  return a?.family === b.family && a.value === b.value;
}

/** Whether a Node's status.addresses hold an address. */
export function nodeHoldsAddress(node: ClusterNode, address: IpAddress): boolean {
  return node.addresses.some((text) => sameAddress(parseIpAddress(text), address));
}

/**
 * Why a node-host peer does not match the other side of a connection of `subject`, the pod
 * whose chain holds the peer: only a hostNetwork pod on the subject's node, or an address of
 * that node (its Node's, or a hostNetwork pod's there), is that node's host; where a node is
 * unknown, the assumption decides, as for unknown IPs.
 */
export function nodeHostMiss(
  analysis: Analysis,
  peer: NodeHostPeer,
  subject: Pod | undefined,
  endpoint: Endpoint,
  assumption: IpAssumption,
): PeerMiss | undefined {
  if (endpoint.kind === 'external' && isNodeAddress(analysis, subject, endpoint.address))
    return undefined;
  if (endpoint.kind !== 'pod') return { kind: 'not-a-pod', peerIndex: peer.index };
  if (!endpoint.pod.hostNetwork)
    return { kind: 'node-host', peerIndex: peer.index, reason: 'not-host-network' };
  const on = sameNode(subject, endpoint.pod);
  if (on === 'yes' || (on === 'unknown' && assumption === 'inside')) return undefined;
  return {
    kind: 'node-host',
    peerIndex: peer.index,
    reason: on === 'no' ? 'other-node' : 'node-unknown',
  };
}

/**
 * Whether a node-host peer may match an endpoint: not when it is a pod outside the host
 * network (see nodeHostMiss).
 */
export function mayBeNodeHost(endpoint: Endpoint): boolean {
  return endpoint.kind !== 'pod' || endpoint.pod.hostNetwork;
}

const hostPodsOf = new WeakMap<Analysis, readonly number[]>();

/** The pods that are the host of some node, the only ones a node-host peer can match, ascending. */
export function hostPods(analysis: Analysis): readonly number[] {
  let pods = hostPodsOf.get(analysis);
  if (!pods) {
    pods = analysis.pods.flatMap((pod, podIdx) => (pod.hostNetwork ? [podIdx] : []));
    hostPodsOf.set(analysis, pods);
  }
  return pods;
}

/** Whether a chain holds a node-local rule (its pod is isolated, and some pod is a host). */
export function hasNodeLocalRule(chain: RuleChain): boolean {
  return chain.rules.some((rule) => rule.origin.kind === 'node-local');
}

/**
 * Why a side's node-local rule cannot tell whether the other side is the host of the
 * subject's node: the other side is a hostNetwork pod and either pod's node is not known.
 */
export function nodeUnknownLayer(
  chain: RuleChain,
  subject: Pod | undefined,
  other: Endpoint,
): UndecidedLayer | undefined {
  if (other.kind !== 'pod' || !other.pod.hostNetwork) return undefined;
  if (!hasNodeLocalRule(chain) || sameNode(subject, other.pod) !== 'unknown') return undefined;
  return {
    kind: 'node-unknown',
    hostPod: other.pod.id,
    ...(subject?.nodeName === undefined ? {} : { node: subject.nodeName }),
    ...(other.pod.nodeName === undefined ? {} : { hostNode: other.pod.nodeName }),
  };
}

/** The pod an endpoint is, the anchor of node-host peers; undefined for an address or a name. */
export function podOf(endpoint: Endpoint): Pod | undefined {
  return endpoint.kind === 'pod' ? endpoint.pod : undefined;
}
