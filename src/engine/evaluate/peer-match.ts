import {
  type CalicoAddressView,
  calicoEndpointsMiss,
  knownAddresses,
} from '../compile/calico-endpoints.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import { type ScaledToZeroWorkload, scaledToZeroSelected } from '../compile/scaled-to-zero.js';
import type { Pod } from '../model/types.js';
import { type IpAddress, ipBlockVerdict } from '../primitives/ip-block.js';
import { selectorMatches, selectorMismatch } from '../primitives/selector.js';
import { ciliumCidrNodeMiss } from './cilium-cidr-node.js';
import { ciliumCandidatePods, ciliumPeerMatchesPod, ciliumPeerMiss } from './cilium-peer-match.js';
import { peerMaySelectHostPod } from './host-pod-peers.js';
import {
  MAIN_NAME_ADDRESS,
  type NameAddress,
  nameAddressView,
  nameBlockMiss,
} from './hostname-addresses.js';
import { peerDependsOnNamespaceLabels } from './namespace-not-given.js';
import { hostPods, nodeHostMiss } from './node-local.js';
import type { PeerMiss } from './peer-miss.js';
import {
  hasUnknownIp,
  type IpAssumption,
  unknownIpAddressView,
  unknownIpCoverage,
} from './unknown-ip.js';

type IpBlockPeer = Extract<CompiledPeer, { kind: 'ip-block' }>;
type CalicoPeer = Extract<CompiledPeer, { kind: 'calico-endpoints' }>;

/** Where a pod's address lies for Calico's nets: known, or unknown under the assumption. */
function podAddressView(
  analysis: Analysis,
  podIdx: number,
  assumption: IpAssumption,
): CalicoAddressView {
  return hasUnknownIp(analysis, podIdx)
    ? unknownIpAddressView(analysis, podIdx, assumption)
    : knownAddresses(analysis.podAddresses.of(podIdx));
}

/**
 * Why a Calico rule side does not match an endpoint: a pod by index, or an address outside the
 * pods (known, or a host name's in one way it may fall in the chain's CIDRs).
 */
function calicoMiss(
  analysis: Analysis,
  peer: CalicoPeer,
  other: { podIdx: number; assumption: IpAssumption } | { address: CalicoAddressView },
): PeerMiss | undefined {
  const pod = 'podIdx' in other ? analysis.pods[other.podIdx] : undefined;
  const address =
    'podIdx' in other ? podAddressView(analysis, other.podIdx, other.assumption) : other.address;
  const miss = calicoEndpointsMiss(peer.endpoints, {
    ...(pod && !pod.hostNetwork
      ? { pod, namespaceLabels: analysis.namespaces.get(pod.namespace)?.labels ?? {} }
      : {}),
    address,
  });
  return miss && { kind: 'calico-condition', peerIndex: peer.index, ...miss };
}

/** Why an ipBlock does not match a pod whose IP is unknown, under an assumption. */
function unknownIpMiss(
  analysis: Analysis,
  peer: IpBlockPeer,
  podIdx: number,
  assumption: IpAssumption,
): PeerMiss | undefined {
  if (typeof assumption === 'object') return ipBlockMiss(peer, [assumption]);
  const cidr = peer.ipBlock.block.cidr;
  switch (unknownIpCoverage(analysis, peer.ipBlock, podIdx)) {
    case 'all':
      return undefined;
    case 'none':
      return { kind: 'outside-pod-range', peerIndex: peer.index, cidr };
    case 'part':
      return assumption === 'inside'
        ? undefined
        : { kind: 'ip-unknown', peerIndex: peer.index, cidr };
  }
}

function ipBlockMiss(peer: IpBlockPeer, addresses: readonly IpAddress[]): PeerMiss | undefined {
  let miss: PeerMiss | undefined;
  for (const address of addresses) {
    const verdict = ipBlockVerdict(peer.ipBlock, address);
    if (verdict.kind === 'inside') return undefined;
    if (verdict.kind === 'excepted' || !miss) {
      miss =
        verdict.kind === 'excepted'
          ? {
              kind: 'excepted',
              peerIndex: peer.index,
              cidr: peer.ipBlock.block.cidr,
              except: verdict.except,
            }
          : { kind: 'outside-cidr', peerIndex: peer.index, cidr: peer.ipBlock.block.cidr };
    }
  }
  return miss;
}

/**
 * Why a peer does not match an endpoint, or undefined when it matches; an ipBlock that admits
 * part of where a pod's unknown IP may lie matches as the assumption says, and one that may hold
 * a host name's address as `nameAddress` says, and a Cilium CIDR peer holding a node's address
 * where whether it matches nodes is unknown as the assumption says. `subject` is the pod whose
 * chain holds the peer, which a node-host peer is relative to (absent: its node is unknown).
 */
export function peerMiss(
  analysis: Analysis,
  peer: CompiledPeer,
  policyNamespace: string,
  endpoint: Endpoint,
  assumption: IpAssumption = 'outside',
  nameAddress: NameAddress = MAIN_NAME_ADDRESS,
  subject?: Pod,
): PeerMiss | undefined {
  if (peer.kind === 'cilium-endpoints' || peer.kind === 'cilium-entity')
    return ciliumPeerMiss(analysis, peer, endpoint);
  if (peer.kind === 'ip-block') {
    if (endpoint.kind === 'external') {
      return (
        ipBlockMiss(peer, [endpoint.address]) ??
        ciliumCidrNodeMiss(analysis, peer, endpoint.address, assumption)
      );
    }
    if (endpoint.kind === 'hostname') return nameBlockMiss(peer, endpoint.hostname, nameAddress);
    const miss = hasUnknownIp(analysis, endpoint.podIdx)
      ? unknownIpMiss(analysis, peer, endpoint.podIdx, assumption)
      : ipBlockMiss(peer, analysis.podAddresses.of(endpoint.podIdx));
    // A pod the block holds is still no match where the plugin matches only outside addresses.
    if (miss || !peer.outsideCluster) return miss;
    return { kind: 'cilium-cidr-pod', peerIndex: peer.index, cidr: peer.ipBlock.block.cidr };
  }
  if (peer.kind === 'calico-endpoints') {
    if (endpoint.kind === 'pod')
      return calicoMiss(analysis, peer, { podIdx: endpoint.podIdx, assumption });
    const address =
      endpoint.kind === 'external'
        ? knownAddresses([endpoint.address])
        : nameAddressView(nameAddress);
    return calicoMiss(analysis, peer, { address });
  }
  if (peer.kind === 'node-host') return nodeHostMiss(analysis, peer, subject, endpoint, assumption);
  if (endpoint.kind !== 'pod') return { kind: 'not-a-pod', peerIndex: peer.index };
  const pod = endpoint.pod;
  if (pod.hostNetwork) {
    // The plugin may apply the selectors to it: the assumption that an uncertain peer matches decides.
    const mayMatch =
      assumption === 'inside' &&
      peerMaySelectHostPod(analysis, peer, policyNamespace, endpoint.podIdx);
    return mayMatch ? undefined : { kind: 'host-network', peerIndex: peer.index };
  }
  if (peer.kind === 'pods-in-policy-namespace') {
    if (pod.namespace !== policyNamespace) {
      return {
        kind: 'other-namespace',
        peerIndex: peer.index,
        policyNamespace,
        namespace: pod.namespace,
      };
    }
  } else if (peerDependsOnNamespaceLabels(analysis, peer, endpoint.podIdx)) {
    // Its labels are unknown: the assumption that an uncertain peer matches decides.
    return assumption === 'inside'
      ? undefined
      : { kind: 'namespace-not-given', peerIndex: peer.index, namespace: pod.namespace };
  } else {
    const labels = analysis.namespaces.get(pod.namespace)?.labels ?? {};
    const mismatch = selectorMismatch(peer.namespaceSelector, labels);
    if (mismatch) {
      return {
        kind: 'namespace-labels',
        peerIndex: peer.index,
        namespace: pod.namespace,
        mismatch,
      };
    }
  }
  const mismatch = peer.podSelector ? selectorMismatch(peer.podSelector, pod.labels) : undefined;
  return mismatch
    ? { kind: 'pod-labels', peerIndex: peer.index, pod: pod.id, mismatch }
    : undefined;
}

/** Whether a peer matches a pod; the fast form of peerMiss for pods (`subject` as there). */
export function peerMatchesPod(
  analysis: Analysis,
  peer: CompiledPeer,
  policyNamespace: string,
  podIdx: number,
  assumption: IpAssumption = 'outside',
  subject?: Pod,
): boolean {
  const pod = analysis.pods[podIdx];
  if (!pod) return false;
  if (peer.kind === 'cilium-endpoints' || peer.kind === 'cilium-entity')
    return ciliumPeerMatchesPod(analysis, peer, podIdx);
  if (peer.kind === 'ip-block') {
    if (peer.outsideCluster) return false;
    const addresses = analysis.podAddresses.of(podIdx);
    if (addresses.length === 0) {
      if (typeof assumption === 'object') {
        return ipBlockVerdict(peer.ipBlock, assumption).kind === 'inside';
      }
      const coverage = unknownIpCoverage(analysis, peer.ipBlock, podIdx);
      return coverage === 'all' || (coverage === 'part' && assumption === 'inside');
    }
    return addresses.some((address) => ipBlockVerdict(peer.ipBlock, address).kind === 'inside');
  }
  if (peer.kind === 'calico-endpoints') return !calicoMiss(analysis, peer, { podIdx, assumption });
  if (peer.kind === 'node-host')
    return !nodeHostMiss(analysis, peer, subject, { kind: 'pod', podIdx, pod }, assumption);
  if (pod.hostNetwork)
    return assumption === 'inside' && peerMaySelectHostPod(analysis, peer, policyNamespace, podIdx);
  if (peer.kind === 'pods-in-policy-namespace') {
    return pod.namespace === policyNamespace && selectorMatches(peer.podSelector, pod.labels);
  }
  if (peerDependsOnNamespaceLabels(analysis, peer, podIdx)) return assumption === 'inside';
  const namespaceLabels = analysis.namespaces.get(pod.namespace)?.labels ?? {};
  return (
    selectorMatches(peer.namespaceSelector, namespaceLabels) &&
    (!peer.podSelector || selectorMatches(peer.podSelector, pod.labels))
  );
}

/**
 * The workloads scaled to zero whose pods a podSelector peer would match once they run: in the
 * policy's namespace, or in the namespaces its namespaceSelector selects.
 */
export function peerScaledToZero(
  analysis: Analysis,
  peer: Extract<CompiledPeer, { kind: 'pods-in-policy-namespace' | 'pods-in-selected-namespaces' }>,
  policyNamespace: string,
): ScaledToZeroWorkload[] {
  if (!peer.podSelector) return [];
  const namespaces =
    peer.kind === 'pods-in-policy-namespace'
      ? [policyNamespace]
      : [...analysis.namespaces.values()]
          .filter((ns) => selectorMatches(peer.namespaceSelector, ns.labels))
          .map((ns) => ns.name);
  return scaledToZeroSelected(analysis.cluster, namespaces, peer.podSelector);
}

/** The pods a peer could match at all: those of the namespaces it can see (all, for ipBlocks). */
export function candidatePods(
  analysis: Analysis,
  peer: CompiledPeer,
  policyNamespace: string,
): readonly number[] {
  if (peer.kind === 'pods-in-policy-namespace')
    return analysis.podsByNamespace.get(policyNamespace) ?? [];
  if (peer.kind === 'ip-block') return analysis.pods.map((_, idx) => idx);
  if (peer.kind === 'node-host') return hostPods(analysis);
  if (peer.kind === 'cilium-endpoints' || peer.kind === 'cilium-entity')
    return ciliumCandidatePods(analysis, peer);
  if (peer.kind === 'calico-endpoints') {
    const scope = peer.endpoints.namespace;
    return scope === undefined
      ? analysis.pods.map((_, idx) => idx)
      : (analysis.podsByNamespace.get(scope) ?? []);
  }
  return (candidateNamespaces(analysis, peer, policyNamespace) ?? [])
    .flatMap((namespace) => analysis.podsByNamespace.get(namespace) ?? [])
    .sort((a, b) => a - b);
}

/**
 * The namespaces of the pods a NetworkPolicy peer may match (as candidatePods lists them), or
 * undefined for a peer of another kind, whose candidates are not told by namespace.
 */
export function candidateNamespaces(
  analysis: Analysis,
  peer: CompiledPeer,
  policyNamespace: string,
): readonly string[] | undefined {
  if (peer.kind === 'pods-in-policy-namespace') return [policyNamespace];
  if (peer.kind !== 'pods-in-selected-namespaces') return undefined;
  return [...analysis.namespaces.values()].flatMap((ns) =>
    selectorMatches(peer.namespaceSelector, ns.labels) ? [ns.name] : [],
  );
}
