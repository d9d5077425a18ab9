import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import { selectorMatches } from '../primitives/selector.js';
import { selectsUnlabelledNamespace } from './namespace-not-given.js';

/**
 * Whether a peer may or may not match a hostNetwork pod: the plugin may apply selectors to such
 * pods like to any pod or ignore them (see HostNetworkPeers), and the peer's selectors would
 * select the pod (or may: its namespace is not in the input). `policyNamespace` is where a
 * bare podSelector looks.
 */
export function peerMaySelectHostPod(
  analysis: Analysis,
  peer: CompiledPeer,
  policyNamespace: string,
  podIdx: number,
): boolean {
  const pod = analysis.pods[podIdx];
  if (!pod?.hostNetwork) return false;
  if (peer.kind === 'pods-in-policy-namespace') {
    return (
      peer.hostPodsUndecided === true &&
      pod.namespace === policyNamespace &&
      selectorMatches(peer.podSelector, pod.labels)
    );
  }
  if (peer.kind !== 'pods-in-selected-namespaces' || !peer.hostPodsUndecided) return false;
  const namespaceSelected = analysis.namespacesNotGiven.has(pod.namespace)
    ? selectsUnlabelledNamespace(peer.namespaceSelector, pod.namespace) !== 'no'
    : selectorMatches(peer.namespaceSelector, analysis.namespaces.get(pod.namespace)?.labels ?? {});
  return namespaceSelected && (!peer.podSelector || selectorMatches(peer.podSelector, pod.labels));
}

/**
 * Why a side is UNKNOWN when its rules' selectors would select the other side, a hostNetwork
 * pod, and the plugin may or may not apply them to such pods; undefined when none would.
 */
export function hostPodPeerLayer(
  analysis: Analysis,
  chain: RuleChain,
  other: Endpoint,
): UndecidedLayer | undefined {
  if (other.kind !== 'pod' || !other.pod.hostNetwork) return undefined;
  const selected = chain.rules.some((rule) =>
    rule.peers.some((peer) => peerMaySelectHostPod(analysis, peer, rule.namespace, other.podIdx)),
  );
  return selected
    ? { kind: 'host-network-selectors', hostPod: other.pod.id, plugin: analysis.cni.plugin }
    : undefined;
}
