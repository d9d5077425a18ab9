import type { CiliumConfig } from '../model/cilium-policy.js';
import type { ClusterNetworkPolicy } from '../model/cluster-policy.js';
import type { CiliumVersion } from './cilium-version.js';
import type { NetworkPlugin } from './network-plugin.js';

/**
 * Which cluster policies the network plugin enforces. Facts from Cilium v1.20.2's source (Go
 * module proxy): ClusterNetworkPolicy support arrived in 1.20 ("Support for the Kubernetes
 * ClusterNetworkPolicy (KCNP) is available starting with Cilium 1.20", cilium/cilium#47227) and is
 * off unless cilium-config sets `enable-k8s-cluster-network-policy` (pkg/defaults/defaults.go:
 * `EnableK8sClusterNetworkPolicy = false`); it reads only policy.networking.k8s.io/v1alpha2
 * ClusterNetworkPolicy (pkg/k8s/cluster_network_policy.go), never the v1alpha1
 * AdminNetworkPolicy or BaselineAdminNetworkPolicy; and `enable-policy: never` computes no rule
 * for any endpoint (computePolicyEnforcementAndRules, pkg/policy/repository.go), KCNP included.
 * Other plugins are taken to enforce what they are given, as before.
 */

/** Why the network plugin leaves a cluster policy unenforced. */
export type ClusterPolicyIgnoredReason =
  /** Cilium implements no v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
  | { readonly kind: 'cilium-v1alpha1' }
  /** The Cilium agent is older than 1.20. */
  | { readonly kind: 'cilium-version'; readonly version: CiliumVersion }
  /** cilium-config does not turn on enable-k8s-cluster-network-policy. */
  | { readonly kind: 'cilium-option-off' }
  /** cilium-config says enable-policy: never. */
  | { readonly kind: 'cilium-never' };

/** A cluster policy the network plugin does not enforce, and why. */
export interface IgnoredClusterPolicy {
  readonly policy: ClusterNetworkPolicy;
  readonly reason: ClusterPolicyIgnoredReason;
}

/** The first Cilium release that enforces ClusterNetworkPolicy. */
export const CILIUM_CLUSTER_POLICY_SINCE = { major: 1, minor: 20 } as const;

/** What the compiler knows about the plugin when it sorts cluster policies. */
export interface ClusterPolicyPlugin {
  readonly networkPlugin: NetworkPlugin | undefined;
  /** The oldest Cilium agent version the snapshot shows, if any tag tells it. */
  readonly ciliumVersion: CiliumVersion | undefined;
  /** cilium-config as read; undefined when it was not (absent, or refused). */
  readonly ciliumConfig: CiliumConfig | undefined;
  /** Whether the cilium-config read was refused: then enforcement is weighed, not decided. */
  readonly ciliumConfigUnread: boolean;
}

const beforeSupport = (version: CiliumVersion) =>
  version.major - CILIUM_CLUSTER_POLICY_SINCE.major ||
  version.minor - CILIUM_CLUSTER_POLICY_SINCE.minor;

/** Why Cilium leaves a cluster policy unenforced; undefined when it enforces it (or may). */
function ciliumIgnores(
  policy: ClusterNetworkPolicy,
  plugin: ClusterPolicyPlugin,
): ClusterPolicyIgnoredReason | undefined {
  if (policy.kind !== 'ClusterNetworkPolicy') return { kind: 'cilium-v1alpha1' };
  const { ciliumVersion: version, ciliumConfig: config } = plugin;
  if (version && beforeSupport(version) < 0) return { kind: 'cilium-version', version };
  if (config?.enforcement === 'never') return { kind: 'cilium-never' };
  if (plugin.ciliumConfigUnread || config?.clusterNetworkPolicy) return undefined;
  return { kind: 'cilium-option-off' };
}

/** Splits an input's cluster policies into those the network plugin enforces and the rest. */
export function sortClusterPolicies(
  policies: readonly ClusterNetworkPolicy[],
  plugin: ClusterPolicyPlugin,
): { enforced: ClusterNetworkPolicy[]; ignored: IgnoredClusterPolicy[] } {
  const enforced: ClusterNetworkPolicy[] = [];
  const ignored: IgnoredClusterPolicy[] = [];
  for (const policy of policies) {
    const reason = plugin.networkPlugin === 'cilium' ? ciliumIgnores(policy, plugin) : undefined;
    if (reason) ignored.push({ policy, reason });
    else enforced.push(policy);
  }
  return { enforced, ignored };
}
