import type { CalicoSelector } from './calico-selector.js';

/** What a Calico rule does with the traffic it matches; Log records it and goes on. */
export type CalicoAction = 'Allow' | 'Deny' | 'Log' | 'Pass';

/** A port entry of a Calico rule side: a number, a range `from:to`, or a named port. */
export type CalicoPort =
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'named'; readonly name: string };

/**
 * A protocol as a Calico rule names it: TCP, UDP, SCTP, or another (ICMP, UDPLite, a number),
 * which no connection the engine evaluates uses.
 */
export type CalicoProtocol = 'TCP' | 'UDP' | 'SCTP' | { readonly other: string };

/** One side (source or destination) of a Calico rule: every condition set must hold. */
export interface CalicoEntityRule {
  readonly selector?: CalicoSelector;
  readonly notSelector?: CalicoSelector;
  readonly namespaceSelector?: CalicoSelector;
  /** CIDRs the address must lie in (any of them); empty: no condition. */
  readonly nets: readonly string[];
  readonly notNets: readonly string[];
  readonly ports: readonly CalicoPort[];
  readonly notPorts: readonly CalicoPort[];
  /** Service accounts of the endpoint: by name (any of them) and by their labels. */
  readonly serviceAccounts?: {
    readonly names: readonly string[];
    readonly selector?: CalicoSelector;
  };
  /** A `services` match (a Service's endpoints), which the engine does not evaluate. */
  readonly services?: { readonly name: string; readonly namespace?: string };
}

/** One rule of a Calico policy. */
export interface CalicoRule {
  readonly index: number;
  readonly action: CalicoAction;
  readonly protocol?: CalicoProtocol;
  readonly notProtocol?: CalicoProtocol;
  /** The only IP version whose traffic the rule matches; undefined: both. */
  readonly ipVersion?: 4 | 6;
  readonly source: CalicoEntityRule;
  readonly destination: CalicoEntityRule;
  /** Conditions the engine does not evaluate (ICMP types, HTTP matches), by field name. */
  readonly unevaluated: readonly string[];
}

/** The Calico policy kinds, staged forms included. */
export type CalicoPolicyKind =
  | 'NetworkPolicy'
  | 'GlobalNetworkPolicy'
  | 'StagedNetworkPolicy'
  | 'StagedGlobalNetworkPolicy';

/** A Calico NetworkPolicy or GlobalNetworkPolicy (or a staged one), with Calico's defaults applied. */
export interface CalicoPolicy {
  readonly kind: CalicoPolicyKind;
  /** The apiVersion read (projectcalico.org/v3 or crd.projectcalico.org/v1). */
  readonly apiVersion: string;
  /** undefined: global. */
  readonly namespace?: string;
  readonly name: string;
  readonly tier: string;
  /** undefined: after every ordered policy of the tier ("infinite"). */
  readonly order?: number;
  /** The endpoints it applies to; all() when unset. */
  readonly selector: CalicoSelector;
  /** For a global policy: the namespaces whose endpoints it applies to. */
  readonly namespaceSelector?: CalicoSelector;
  readonly serviceAccountSelector?: CalicoSelector;
  readonly types: readonly ('Ingress' | 'Egress')[];
  readonly ingress: readonly CalicoRule[];
  readonly egress: readonly CalicoRule[];
  /** Never enforced: shown as a preview. */
  readonly staged: boolean;
  /** For a staged policy: `Delete` previews removing the enforced policy of the same name. */
  readonly stagedAction?: 'Set' | 'Delete';
  /**
   * Settings that take the policy out of the pod-to-pod path the engine evaluates (doNotTrack,
   * preDNAT, applyOnForward on host endpoints): such a policy is not evaluated and is named.
   */
  readonly outOfScope: readonly string[];
}

/** A Calico Tier: its place among tiers and what happens at its end. */
export interface CalicoTier {
  readonly name: string;
  /** undefined: after every ordered tier. */
  readonly order?: number;
  readonly defaultAction: 'Deny' | 'Pass';
}

/** Calico's tier for policies that name none, and for Kubernetes NetworkPolicies. */
export const CALICO_DEFAULT_TIER = 'default';

/** The order Calico gives the default tier when no Tier object says otherwise. */
export const CALICO_DEFAULT_TIER_ORDER = 1_000_000;

/** The orders of the tiers Calico keeps for ClusterNetworkPolicy's Admin and Baseline tiers. */
export const CALICO_ADMIN_TIER_ORDER = 1_000;
export const CALICO_BASELINE_TIER_ORDER = 10_000_000;

/** The order Calico gives Kubernetes NetworkPolicies within the default tier. */
export const CALICO_KUBERNETES_POLICY_ORDER = 1_000;

/** How a Calico policy is named in kubectl's resource names: `globalnetworkpolicy/NAME`, ... */
export function calicoPolicyName(
  policy: Pick<CalicoPolicy, 'kind' | 'namespace' | 'name'>,
): string {
  const resource =
    policy.kind === 'NetworkPolicy' ? 'networkpolicy.projectcalico.org' : policy.kind.toLowerCase();
  return `${resource}/${policy.namespace ? `${policy.namespace}/` : ''}${policy.name}`;
}

/** A Kubernetes NetworkPolicy as Calico's tier steps name it: `networkpolicy/NS/NAME`. */
export function calicoKubernetesPolicyName(ref: {
  readonly namespace: string;
  readonly name: string;
}): string {
  return `networkpolicy/${ref.namespace}/${ref.name}`;
}

/** kubectl's name of a staged Kubernetes policy: `stagedkubernetesnetworkpolicy/NS/NAME`. */
export function stagedKubernetesPolicyName(staged: {
  readonly policy: { readonly namespace: string; readonly name: string };
}): string {
  return `stagedkubernetesnetworkpolicy/${staged.policy.namespace}/${staged.policy.name}`;
}
