import {
  type CiliumPolicy,
  type CiliumPolicyKind,
  type CiliumRule,
  ciliumPolicyName,
} from '../model/cilium-policy.js';
import type { SourceLocation } from '../model/findings.js';
import {
  type Cluster,
  type NetworkPolicy,
  networkPolicyName,
  type UnreadList,
} from '../model/types.js';
import { CILIUM_SCTP_SINCE, type CiliumVersion, ciliumReleaseSide } from './cilium-version.js';
import type { CniDetection } from './detect.js';

/**
 * Policies the Cilium agent refuses whole: it logs the error and enforces none of their rules, so
 * they isolate no pod either. Facts from Cilium's source (Go module proxy, github.com/cilium/cilium):
 *
 * - SCTP before 1.13. `parsePorts` (pkg/k8s/network_policy.go, v1.12.0) keeps a NetworkPolicy
 *   port's protocol as written, and `rule.Sanitize()` then fails on it: `L4Proto.Validate`
 *   (pkg/policy/api/utils.go, v1.12.0) takes only TCP, UDP and ANY ("invalid protocol \"SCTP\",
 *   must be { tcp | udp | any }"), so `addK8sNetworkPolicyV1` (pkg/k8s/watchers/network_policy.go)
 *   adds no rule of the policy. v1.13.0 adds SCTP to that list. A CiliumNetworkPolicy's
 *   `CiliumNetworkPolicy.Parse` (pkg/k8s/apis/cilium.io/v2/cnp_types.go) sanitises every rule the
 *   same way, and the v1.12 CRD's enum (TCP, UDP, ANY) already has the API server refuse it.
 * - ICMP rules without `enable-icmp-rules`. `IngressRule.sanitize` and `EgressRule.sanitize`
 *   (pkg/policy/api/rule_validation.go, v1.11.0 to v1.20.2) fail with "ICMP rules can only be
 *   applied when the \"enable-icmp-rules\" flag is set", and `Parse` refuses the whole policy.
 *   The option came with `icmps` in 1.11, off by default (daemon/cmd/daemon_main.go, v1.11.0);
 *   on by default from 1.12 (`EnableICMPRules = true`, pkg/defaults/defaults.go, v1.12.0 to
 *   v1.20.2). The Helm chart does not write it to cilium-config. `Rule.Sanitize` checks deny
 *   rules (ingressDeny, egressDeny) only from 1.17 (`IngressDenyRule.sanitize`, v1.17.0; v1.16.0
 *   sanitises Ingress and Egress alone): before, icmps there never refuse the policy.
 */

/** The first Cilium release whose agent takes `enable-icmp-rules` as on when it is not set. */
export const CILIUM_ICMP_RULES_ON_BY_DEFAULT_SINCE = { major: 1, minor: 12 } as const;

/** The first Cilium release that checks deny rules, their icmps included, when taking a policy. */
export const CILIUM_DENY_RULES_CHECKED_SINCE = { major: 1, minor: 17 } as const;

/** Why the Cilium agent refuses a policy. */
export type CiliumRefusalReason =
  /** A port names SCTP and the agents (the oldest named) predate 1.13. */
  | { readonly kind: 'sctp-port'; readonly version: CiliumVersion }
  /**
   * The policy has `icmps` rules and `enable-icmp-rules` is off: as cilium-config writes it, or
   * (`version`) as Cilium 1.11 defaults it when cilium-config does not.
   */
  | { readonly kind: 'icmp-rules-off'; readonly version?: CiliumVersion };

/** A policy of the input the Cilium agent refuses, left out of the analysis. */
export interface CiliumRefusedPolicy {
  readonly kind: 'NetworkPolicy' | CiliumPolicyKind;
  /** undefined for a clusterwide policy. */
  readonly namespace?: string;
  readonly name: string;
  readonly location?: SourceLocation;
  readonly reason: CiliumRefusalReason;
}

/**
 * Why the agent may refuse a policy, which the input cannot tell: policies of one doubt are all
 * refused or all kept together.
 */
export type CiliumRefusalDoubt =
  /** A port names SCTP, and the agents' version is not known or lies on both sides of 1.13. */
  | { readonly kind: 'sctp-port' }
  /**
   * The policy has `icmps` rules, and whether `enable-icmp-rules` is on is not known:
   * cilium-config could not be read (`unread`), or it does not set the option and the agents'
   * version, which decides the default, is not known.
   */
  | { readonly kind: 'icmp-rules'; readonly unread?: UnreadList }
  /**
   * The policy has icmps in deny rules only, `enable-icmp-rules` is off, and whether the agents
   * check deny rules (from 1.17) is not known: their version is not known.
   */
  | { readonly kind: 'icmp-deny-rules' };

/** kubectl's name of a policy the agent refuses: `networkpolicy/NS/NAME`, `ciliumnetworkpolicy/NS/NAME`... */
export function refusedPolicyName(
  policy: Pick<CiliumRefusedPolicy, 'kind' | 'namespace' | 'name'>,
): string {
  return policy.kind === 'NetworkPolicy'
    ? networkPolicyName({ namespace: policy.namespace ?? '', name: policy.name })
    : ciliumPolicyName({ ...policy, kind: policy.kind });
}

/** The policies the Cilium agent refuses, and those it may (by kubectl name). */
export interface CiliumRefusals {
  readonly refused: readonly CiliumRefusedPolicy[];
  readonly doubtful: ReadonlyMap<string, readonly CiliumRefusalDoubt[]>;
}

/** What the agents do with a kind of policy they may refuse: nothing, refuse it, or unknown. */
type Stance =
  | { readonly kind: 'accepts' }
  | { readonly kind: 'refuses'; readonly reason: CiliumRefusalReason }
  | { readonly kind: 'unknown'; readonly doubt: CiliumRefusalDoubt };

const ACCEPTS: Stance = { kind: 'accepts' };

/** What the agents do with policies naming SCTP in a port. */
function sctpStance(detection: CniDetection): Stance {
  const side = ciliumReleaseSide(detection, CILIUM_SCTP_SINCE);
  if (side.kind === 'since') return ACCEPTS;
  return side.kind === 'before'
    ? { kind: 'refuses', reason: { kind: 'sctp-port', version: side.version } }
    : { kind: 'unknown', doubt: { kind: 'sctp-port' } };
}

/** What the agents do with policies with `icmps` rules, given cilium-config (or its failed read). */
function icmpStance(
  detection: CniDetection,
  cluster: Cluster,
  unread: UnreadList | undefined,
): Stance {
  if (unread) return { kind: 'unknown', doubt: { kind: 'icmp-rules', unread } };
  const written = cluster.ciliumConfig?.icmpRules;
  if (written !== undefined)
    return written ? ACCEPTS : { kind: 'refuses', reason: { kind: 'icmp-rules-off' } };
  // Not written (or no cilium-config in the input): the agents' default.
  const side = ciliumReleaseSide(detection, CILIUM_ICMP_RULES_ON_BY_DEFAULT_SINCE);
  if (side.kind === 'since') return ACCEPTS;
  return side.kind === 'before'
    ? { kind: 'refuses', reason: { kind: 'icmp-rules-off', version: side.version } }
    : { kind: 'unknown', doubt: { kind: 'icmp-rules' } };
}

/**
 * What agents refusing icmps rules (`icmp`) do with a policy holding them in deny rules only:
 * the same from 1.17, which checks deny rules; before, they take it.
 */
function denyRulesStance(detection: CniDetection, icmp: Stance): Stance {
  if (icmp.kind === 'accepts') return icmp;
  const side = ciliumReleaseSide(detection, CILIUM_DENY_RULES_CHECKED_SINCE);
  if (side.kind === 'since') return icmp;
  if (side.kind === 'before') return ACCEPTS;
  return icmp.kind === 'refuses' ? { kind: 'unknown', doubt: { kind: 'icmp-deny-rules' } } : icmp;
}

/** Whether a NetworkPolicy names SCTP in a port. */
const networkPolicyNamesSctp = (policy: NetworkPolicy) =>
  [...policy.ingress, ...policy.egress].some((rule) =>
    rule.ports.some((port) => port.protocol === 'SCTP'),
  );

/** The allow rules of a Cilium policy, in either direction. */
const allowRules = (policy: CiliumPolicy) =>
  policy.specs.flatMap((spec) => [...(spec.ingress ?? []), ...(spec.egress ?? [])]);

/** The deny rules of a Cilium policy, in either direction. */
const denyRules = (policy: CiliumPolicy) =>
  policy.specs.flatMap((spec) => [...(spec.ingressDeny ?? []), ...(spec.egressDeny ?? [])]);

/**
 * The policies of a cluster the Cilium agents of a detection refuse, or may: those naming SCTP
 * in a port, and Cilium policies with `icmps` rules. `unread`: the failed read of cilium-config.
 */
export function ciliumRefusals(
  cluster: Cluster,
  detection: CniDetection,
  unread: UnreadList | undefined,
): CiliumRefusals {
  const sctp = sctpStance(detection);
  const icmp = icmpStance(detection, cluster, unread);
  const icmpInDenyRules = denyRulesStance(detection, icmp);
  const refused: CiliumRefusedPolicy[] = [];
  const doubtful = new Map<string, CiliumRefusalDoubt[]>();
  const weigh = (stances: readonly Stance[], about: Omit<CiliumRefusedPolicy, 'reason'>): void => {
    const refusal = stances.find((stance) => stance.kind === 'refuses');
    if (refusal) refused.push({ ...about, reason: refusal.reason });
    const doubts = stances.flatMap((stance) => (stance.kind === 'unknown' ? [stance.doubt] : []));
    if (!refusal && doubts.length > 0) doubtful.set(refusedPolicyName(about), doubts);
  };
  for (const policy of cluster.policies) {
    if (networkPolicyNamesSctp(policy))
      weigh([sctp], { kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name });
  }
  for (const policy of cluster.ciliumPolicies ?? []) {
    const allows = allowRules(policy);
    const denies = denyRules(policy);
    const icmpIn = (rules: readonly CiliumRule[]) => rules.some((rule) => rule.icmpOnly);
    weigh(
      [
        ...([...allows, ...denies].some((rule) => rule.namesSctp) ? [sctp] : []),
        ...(icmpIn(allows) ? [icmp] : icmpIn(denies) ? [icmpInDenyRules] : []),
      ],
      {
        kind: policy.kind,
        name: policy.name,
        ...(policy.namespace !== undefined ? { namespace: policy.namespace } : {}),
        ...(policy.location ? { location: policy.location } : {}),
      },
    );
  }
  return { refused, doubtful };
}

/** A cluster without the policies the Cilium agent refuses. */
export function withoutRefused(cluster: Cluster, refused: readonly CiliumRefusedPolicy[]): Cluster {
  if (refused.length === 0) return cluster;
  const names = new Set(refused.map(refusedPolicyName));
  return {
    ...cluster,
    policies: cluster.policies.filter((policy) => !names.has(networkPolicyName(policy))),
    ...(cluster.ciliumPolicies
      ? {
          ciliumPolicies: cluster.ciliumPolicies.filter(
            (policy) => !names.has(ciliumPolicyName(policy)),
          ),
        }
      : {}),
  };
}
