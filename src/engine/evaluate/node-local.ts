import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import type { Pod } from '../model/types.js';
import type { IpAddress } from '../primitives/ip-block.js';
import type { PeerMiss } from './peer-miss.js';
import type { IpAssumption } from './unknown-ip.js';

type NodeHostPeer = Extract<CompiledPeer, { kind: 'node-host' }>;

/**
 * Whether a pod is on the node a node-host peer stands for: `yes`, `no`, or `unknown` when
 * either side's spec.nodeName is not known.
 */
function onNode(peer: NodeHostPeer, pod: Pod): 'yes' | 'no' | 'unknown' {
  if (peer.node === undefined || pod.nodeName === undefined) return 'unknown';
  return peer.node === pod.nodeName ? 'yes' : 'no';
}

/**
 * Whether an address is one of the peer's node: the address of a hostNetwork pod on that node
 * (such pods carry their node's addresses).
 */
function isNodeAddress(analysis: Analysis, peer: NodeHostPeer, address: IpAddress): boolean {
  return analysis.pods.some(
    (pod, podIdx) =>
      pod.hostNetwork &&
      onNode(peer, pod) === 'yes' &&
      analysis.podAddresses
        .of(podIdx)
        .some((a) => a.family === address.family && a.value === address.value),
  );
}

/**
 * Why a node-host peer does not match the other side: only a hostNetwork pod on the same node,
 * or an address of a hostNetwork pod there, is that node's host; where a pod's node is
 * unknown, the assumption decides, as for unknown IPs.
 */
export function nodeHostMiss(
  analysis: Analysis,
  peer: NodeHostPeer,
  endpoint: Endpoint,
  assumption: IpAssumption,
): PeerMiss | undefined {
  if (endpoint.kind === 'external' && isNodeAddress(analysis, peer, endpoint.address))
    return undefined;
  if (endpoint.kind !== 'pod') return { kind: 'not-a-pod', peerIndex: peer.index };
  if (!endpoint.pod.hostNetwork)
    return { kind: 'node-host', peerIndex: peer.index, reason: 'not-host-network' };
  const on = onNode(peer, endpoint.pod);
  if (on === 'yes' || (on === 'unknown' && assumption === 'inside')) return undefined;
  return {
    kind: 'node-host',
    peerIndex: peer.index,
    reason: on === 'no' ? 'other-node' : 'node-unknown',
  };
}

/** The pods a node-host peer surely matches (`sure`) and may match (`maybe`), ascending. */
export function nodeHostPods(
  analysis: Analysis,
  peer: NodeHostPeer,
): { sure: number[]; maybe: number[] } {
  const sure: number[] = [];
  const maybe: number[] = [];
  analysis.pods.forEach((pod, podIdx) => {
    if (!pod.hostNetwork) return;
    const on = onNode(peer, pod);
    if (on === 'yes') sure.push(podIdx);
    else if (on === 'unknown') maybe.push(podIdx);
  });
  return { sure, maybe };
}

/**
 * Why a side's node-local rule cannot tell whether the other side is its node's host: the other
 * side is a hostNetwork pod and either pod's node is not known.
 */
export function nodeUnknownLayer(chain: RuleChain, other: Endpoint): UndecidedLayer | undefined {
  if (other.kind !== 'pod' || !other.pod.hostNetwork) return undefined;
  const peer = chain.rules
    .flatMap((rule) => rule.peers)
    .find(
      (candidate): candidate is NodeHostPeer =>
        candidate.kind === 'node-host' && onNode(candidate, other.pod) === 'unknown',
    );
  if (!peer) return undefined;
  return {
    kind: 'node-unknown',
    hostPod: other.pod.id,
    ...(peer.node === undefined ? {} : { node: peer.node }),
    ...(other.pod.nodeName === undefined ? {} : { hostNode: other.pod.nodeName }),
  };
}
