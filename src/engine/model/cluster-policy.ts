import type { LabelSelector, Labels, Protocol } from './basics.js';

/**
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2), and the v1alpha1 AdminNetworkPolicy
 * and BaselineAdminNetworkPolicy it replaced, as the engine evaluates them. Cluster-scoped:
 * an Admin tier evaluated before NetworkPolicies, a Baseline tier after them.
 */

/** The tier of a cluster policy: Admin before NetworkPolicies, Baseline after them. */
export type ClusterPolicyTier = 'Admin' | 'Baseline';

/**
 * What a rule does with the traffic it matches. Accept and Deny end evaluation; Pass skips the
 * rest of the tier (in Admin, on to NetworkPolicies; in Baseline, on to the default allow).
 */
export type ClusterRuleAction = 'Accept' | 'Deny' | 'Pass';

/** The kinds a cluster policy can be read from; the v1alpha1 ones are deprecated. */
export type ClusterPolicyKind =
  | 'ClusterNetworkPolicy'
  | 'AdminNetworkPolicy'
  | 'BaselineAdminNetworkPolicy';

/**
 * Pods a subject or peer selects. `namespaces` alone selects every pod of the namespaces it
 * selects; with `pods`, the pods of those namespaces that the pod selector selects. Neither
 * selects hostNetwork pods.
 */
export interface NamespacedPods {
  readonly namespaceSelector: LabelSelector;
  /** undefined: every pod of the selected namespaces. */
  readonly podSelector?: LabelSelector;
}

/**
 * A peer of a rule; ingress rules only have `pods`. `nodes` match the addresses of the nodes
 * whose labels the selector selects; `networks` match addresses in any of the CIDRs;
 * `domain-names` match the addresses DNS gives for the names, which objects cannot tell.
 */
export type ClusterPolicyPeer =
  | ({ readonly kind: 'pods' } & NamespacedPods)
  | { readonly kind: 'nodes'; readonly nodeSelector: LabelSelector }
  | { readonly kind: 'networks'; readonly cidrs: readonly string[] }
  | { readonly kind: 'domain-names'; readonly domainNames: readonly string[] };

/**
 * A destination port entry: a number or an inclusive range of one protocol, or a container
 * port's name, of any protocol.
 */
export type ClusterPolicyPort =
  | { readonly kind: 'number'; readonly protocol: Protocol; readonly port: number }
  | {
      readonly kind: 'range';
      readonly protocol: Protocol;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'named'; readonly name: string };

/** One ingress or egress rule; rules of a policy are evaluated in order. */
export interface ClusterPolicyRule {
  /** The rule's optional name, for explanations. */
  readonly name?: string;
  readonly action: ClusterRuleAction;
  /** At least one; the rule matches when any matches. */
  readonly peers: readonly ClusterPolicyPeer[];
  /** Empty: every port of every protocol. */
  readonly ports: readonly ClusterPolicyPort[];
}

/** A cluster policy with the API server's defaults applied. */
export interface ClusterNetworkPolicy {
  readonly name: string;
  /** The kind it was read as (AdminNetworkPolicy and BaselineAdminNetworkPolicy are deprecated). */
  readonly kind: ClusterPolicyKind;
  readonly tier: ClusterPolicyTier;
  /** 0-1000, lower first within the tier; equal priorities that both match are undefined. */
  readonly priority: number;
  /** The pods the policy governs (never hostNetwork pods). */
  readonly subject: NamespacedPods;
  readonly ingress: readonly ClusterPolicyRule[];
  readonly egress: readonly ClusterPolicyRule[];
}

/** A Node, for `nodes` peers: its labels and the addresses in status.addresses. */
export interface ClusterNode {
  readonly name: string;
  readonly labels: Labels;
  /** InternalIP and ExternalIP addresses (host names are left out). */
  readonly addresses: readonly string[];
}

/** The short names kubectl knows each kind by. */
const SHORT_NAMES: Readonly<Record<ClusterPolicyKind, string>> = {
  ClusterNetworkPolicy: 'cnp',
  AdminNetworkPolicy: 'anp',
  BaselineAdminNetworkPolicy: 'banp',
};

/** How a cluster policy is named in explanations: `cnp/NAME`, `anp/NAME` or `banp/NAME`. */
export function clusterPolicyName(policy: Pick<ClusterNetworkPolicy, 'kind' | 'name'>): string {
  return `${SHORT_NAMES[policy.kind]}/${policy.name}`;
}
