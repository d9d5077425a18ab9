import type { CniDetection } from './detect.js';
import type { NetworkPlugin } from './network-plugin.js';

/**
 * How a network plugin's NetworkPolicy podSelector and namespaceSelector peers treat hostNetwork
 * pods. Kubernetes leaves it open between two readings
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods):
 * "NetworkPolicy behaviour for `hostNetwork` pods is undefined, but it should be limited to 2
 * possibilities: - The network plugin can distinguish `hostNetwork` pod traffic from all other
 * traffic (including being able to distinguish traffic from different `hostNetwork` pods on the
 * same node), and will apply NetworkPolicy to `hostNetwork` pods just like it does to
 * pod-network pods. - The network plugin cannot properly distinguish `hostNetwork` pod traffic,
 * and so it ignores `hostNetwork` pods when matching `podSelector` and `namespaceSelector`.
 * Traffic to/from `hostNetwork` pods is treated the same as all other traffic to/from the node
 * IP. (This is the most common implementation.)"
 *
 * `node-traffic`: the plugin is known to take the second reading; `plugin-dependent`: the plugin
 * is not known (or only assumed from policy objects), or which reading it takes is not known.
 * The same values say how a plugin treats a hostNetwork pod that a policy's own podSelector
 * selects (see hostNetworkSubjectsOf).
 */
export type HostNetworkPeers = 'node-traffic' | 'plugin-dependent';

/**
 * The plugins known to ignore hostNetwork pods in selectors, by detected name:
 * - Cilium: a hostNetwork pod has no endpoint of its own; its traffic carries the `host`
 *   identity on its node and `remote-node` elsewhere, which pod label selectors never match
 *   (https://docs.cilium.io/en/stable/gettingstarted/terminology/#special-identities).
 * - Calico: selectors match workload endpoints (pod interfaces) and host endpoints; a
 *   hostNetwork pod has no workload endpoint, its traffic is its host's
 *   (https://docs.tigera.io/calico/latest/reference/host-endpoints/overview).
 * - kube-router: its peer ipsets skip pods with spec.hostNetwork (isNetPolActionable,
 *   cloudnativelabs/kube-router pkg/controllers/netpol/utils.go@346abf7, used by
 *   buildNetworkPoliciesInfo in pkg/controllers/netpol/policy.go@03d5b6e).
 * Not listed, so plugin-dependent: OVN-Kubernetes, which matches hostNetwork traffic by node
 * addresses in some namespaceSelector peers (ovn-org/ovn-kubernetes#3669, OpenShift's "network
 * policy" chapter), and plugins whose behaviour was not established (Antrea, Kube-OVN, ...).
 */
const IGNORES_HOST_NETWORK_PODS = /Cilium|Calico|^kube-router$/;

/**
 * The plugins known never to isolate a hostNetwork pod by the NetworkPolicies whose podSelector
 * selects it, by detected name. Those above, as their facts hold for a policy's own pods too:
 * Cilium's policies select endpoints and "host policies" (nodeSelector, not endpointSelector)
 * alone govern the host (https://docs.cilium.io/en/stable/security/policy/host/); Calico's
 * Kubernetes policies apply to workload endpoints, the host's interfaces being host endpoints
 * (https://docs.tigera.io/calico/latest/reference/host-endpoints/overview); kube-router skips
 * such pods as policy targets (isNetPolActionable in buildNetworkPoliciesInfo's targetPods,
 * pkg/controllers/netpol/policy.go@v2.1.0, and in getLocalPods, pod.go@v2.1.0). And
 * OVN-Kubernetes, though it may match them as peers: "A network policy does not apply to the
 * host network namespace. Pods with host networking enabled are unaffected by network policy
 * rules" (OpenShift Container Platform docs, Network security, "Network policy", warning).
 */
const NEVER_ISOLATES_HOST_NETWORK_PODS = /Cilium|Calico|^kube-router$|^OVN-Kubernetes$/;

/** Whether a plugin, as the compiler takes it, is Cilium, Calico, or detected as `known`. */
function isKnown(plugin: NetworkPlugin | undefined, detection: CniDetection, known: RegExp) {
  return (
    plugin === 'cilium' ||
    plugin === 'calico' ||
    (plugin === 'other' && known.test(detection.plugin))
  );
}

/**
 * How NetworkPolicy selectors treat hostNetwork pods on a cluster: `plugin` is the plugin as
 * the compiler takes it (the caller's or the detected one), `detection` what the workloads show.
 */
export function hostNetworkPeersOf(
  plugin: NetworkPlugin | undefined,
  detection: CniDetection,
): HostNetworkPeers {
  return isKnown(plugin, detection, IGNORES_HOST_NETWORK_PODS)
    ? 'node-traffic'
    : 'plugin-dependent';
}

/**
 * Whether the NetworkPolicies selecting a hostNetwork pod surely leave it unisolated on a
 * cluster (`node-traffic`) or may isolate it (`plugin-dependent`); arguments as for
 * hostNetworkPeersOf. Kubernetes' two readings (above) decide both sides alike, but a plugin
 * need not: OVN-Kubernetes isolates no such pod and may match it as a peer.
 */
export function hostNetworkSubjectsOf(
  plugin: NetworkPlugin | undefined,
  detection: CniDetection,
): HostNetworkPeers {
  return isKnown(plugin, detection, NEVER_ISOLATES_HOST_NETWORK_PODS)
    ? 'node-traffic'
    : 'plugin-dependent';
}
