import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { CiliumEntity } from '../model/cilium-policy.js';
import type { Pod } from '../model/types.js';
import { ciliumEndpointLabels } from '../primitives/cilium-labels.js';
import type { IpAddress } from '../primitives/ip-block.js';
import { selectorMismatch } from '../primitives/selector.js';
import { nodeHoldsAddress } from './node-local.js';
import type { PeerMiss } from './peer-miss.js';

type EndpointsPeer = Extract<CompiledPeer, { kind: 'cilium-endpoints' }>;
type EntityPeer = Extract<CompiledPeer, { kind: 'cilium-entity' }>;

/** Whether an address is one of the Nodes' (the host or a remote node, to Cilium). */
export function isNodeAddress(analysis: Analysis, address: IpAddress): boolean {
  return (analysis.cluster.nodes ?? []).some((node) => nodeHoldsAddress(node, address));
}

/**
 * Whether an endpoint belongs to an entity: `yes`, `no`, or `maybe` where the objects cannot
 * tell (which node a hostNetwork pod runs on, which addresses are the API server's, the
 * health and init endpoints, endpoints Cilium does not manage).
 */
export function entityMembership(
  analysis: Analysis,
  entity: CiliumEntity,
  endpoint: Endpoint,
): 'yes' | 'no' | 'maybe' {
  if (entity === 'all') return 'yes';
  const node =
    endpoint.kind === 'pod'
      ? endpoint.pod.hostNetwork
      : endpoint.kind === 'external' && isNodeAddress(analysis, endpoint.address);
  const inCluster = endpoint.kind === 'pod' || node;
  switch (entity) {
    case 'world':
      return inCluster ? 'no' : 'yes';
    case 'cluster':
      return inCluster ? 'yes' : 'no';
    case 'host':
    case 'remote-node':
      return node ? 'maybe' : 'no';
    case 'kube-apiserver':
      // The API server runs on nodes (hostNetwork) or outside the cluster; never in a pod.
      return endpoint.kind === 'pod' && !node ? 'no' : 'maybe';
    case 'unmanaged':
    case 'health':
    case 'init':
    case 'ingress':
      // Endpoints Cilium creates or does not manage: never a known pod or a node.
      return endpoint.kind === 'external' && !node ? 'maybe' : 'no';
  }
}

function endpointsMiss(analysis: Analysis, peer: EndpointsPeer, pod: Pod): PeerMiss | undefined {
  if (pod.hostNetwork) return { kind: 'host-network', peerIndex: peer.index };
  if (peer.namespace !== undefined && pod.namespace !== peer.namespace) {
    return {
      kind: 'other-namespace',
      peerIndex: peer.index,
      policyNamespace: peer.namespace,
      namespace: pod.namespace,
    };
  }
  const namespaceLabels = analysis.namespaces.get(pod.namespace)?.labels ?? {};
  const mismatch = selectorMismatch(peer.selector, ciliumEndpointLabels(pod, namespaceLabels));
  return mismatch
    ? { kind: 'pod-labels', peerIndex: peer.index, pod: pod.id, mismatch }
    : undefined;
}

function entityMiss(
  analysis: Analysis,
  peer: EntityPeer,
  endpoint: Endpoint,
): PeerMiss | undefined {
  return entityMembership(analysis, peer.entity, endpoint) === 'no'
    ? { kind: 'cilium-entity', peerIndex: peer.index, entity: peer.entity }
    : undefined;
}

/**
 * Why a Cilium endpoint or entity peer does not match an endpoint, or undefined when it does.
 * An entity that only may hold the endpoint matches: such peers sit in speculative rules only.
 */
export function ciliumPeerMiss(
  analysis: Analysis,
  peer: EndpointsPeer | EntityPeer,
  endpoint: Endpoint,
): PeerMiss | undefined {
  if (peer.kind === 'cilium-entity') return entityMiss(analysis, peer, endpoint);
  return endpoint.kind === 'pod'
    ? endpointsMiss(analysis, peer, endpoint.pod)
    : { kind: 'not-a-pod', peerIndex: peer.index };
}

/** Whether a Cilium endpoint or entity peer matches a pod: the fast form for pods. */
export function ciliumPeerMatchesPod(
  analysis: Analysis,
  peer: EndpointsPeer | EntityPeer,
  podIdx: number,
): boolean {
  const pod = analysis.pods[podIdx];
  if (!pod) return false;
  return ciliumPeerMiss(analysis, peer, { kind: 'pod', podIdx, pod }) === undefined;
}

/** The namespace table's pods a Cilium peer could match. */
export function ciliumCandidatePods(
  analysis: Analysis,
  peer: EndpointsPeer | EntityPeer,
): readonly number[] {
  if (peer.kind === 'cilium-endpoints' && peer.namespace !== undefined)
    return analysis.podsByNamespace.get(peer.namespace) ?? [];
  return analysis.pods.map((_, idx) => idx);
}
