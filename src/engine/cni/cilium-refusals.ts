import {
  type CiliumPolicy,
  type CiliumPolicyKind,
  type CiliumRule,
  type CiliumRuleShape,
  ciliumPolicyName,
} from '../model/cilium-policy.js';
import type { SourceLocation } from '../model/findings.js';
import {
  type Cluster,
  type NetworkPolicy,
  networkPolicyName,
  type UnreadList,
} from '../model/types.js';
import {
  CILIUM_SCTP_SINCE,
  type CiliumRelease,
  type CiliumVersion,
  ciliumReleaseSide,
  ciliumReleaseText,
  ciliumVersion,
} from './cilium-version.js';
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
 *   rules (ingressDeny, egressDeny) only from 1.16.7 (see CILIUM_DENY_RULES_CHECKED_SINCE):
 *   before, icmps there never refuse the policy.
 * - Rule shapes (CiliumRuleShape) some releases refuse: two kinds of peer, or icmps beside
 *   toPorts, in a deny rule from 1.16.7; toServices beside toPorts from 1.14 to 1.16.
 */

/** The first Cilium release whose agent takes `enable-icmp-rules` as on when it is not set. */
export const CILIUM_ICMP_RULES_ON_BY_DEFAULT_SINCE = { major: 1, minor: 12 } as const;

/**
 * The first Cilium release that checks deny rules as it checks allow rules, their icmps included:
 * `IngressDenyRule.sanitize` and `EgressDenyRule.sanitize` (pkg/policy/api/rule_validation.go)
 * came with cilium/cilium#36598 in 1.17.0 and were backported to 1.16.7 (CHANGELOG.md, v1.16.8:
 * "Add IngressDeny and EgressDeny rules validation", backport PR cilium/cilium#37124). v1.16.6
 * and v1.15.19 sanitise Ingress and Egress alone; v1.16.8, v1.16.19 and v1.17.0 all four.
 */
export const CILIUM_DENY_RULES_CHECKED_SINCE = { major: 1, minor: 16, patch: 7 } as const;

/**
 * The releases that refuse toServices beside toPorts in an egress rule ("Combining ToServices and
 * ToPorts is not supported yet"): `l3DependentL4Support` says `"ToServices": false` from v1.14.0
 * to v1.16.19 ("see https://github.com/cilium/cilium/issues/20067"), `true` in v1.13.18 and
 * from v1.17.0 (pkg/policy/api/rule_validation.go).
 */
export const CILIUM_SERVICES_WITH_PORTS_REFUSED: CiliumReleaseWindow = {
  since: { major: 1, minor: 14 },
  until: { major: 1, minor: 17 },
};

/** The releases from `since` up to, not including, `until` (every later one without it). */
export interface CiliumReleaseWindow {
  readonly since: CiliumRelease;
  readonly until?: CiliumRelease;
}

/** The four rule lists of a Cilium policy spec. */
export type CiliumRuleList = 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';

const RULE_LISTS: readonly CiliumRuleList[] = ['ingress', 'egress', 'ingressDeny', 'egressDeny'];

/** Why the Cilium agent refuses a policy. */
export type CiliumRefusalReason =
  /** A port names SCTP and the agents (the oldest named) predate 1.13. */
  | { readonly kind: 'sctp-port'; readonly version: CiliumVersion }
  /**
   * The policy has `icmps` rules and `enable-icmp-rules` is off: as cilium-config writes it, or
   * (`version`) as Cilium 1.11 defaults it when cilium-config does not.
   */
  | { readonly kind: 'icmp-rules-off'; readonly version?: CiliumVersion }
  /** A rule has a shape (`list` rule `ruleIndex`, from 0) the agents' release (the oldest) refuses. */
  | {
      readonly kind: 'rule-shape';
      readonly shape: CiliumRuleShape;
      readonly list: CiliumRuleList;
      readonly ruleIndex: number;
      readonly refusedIn: CiliumReleaseWindow;
      readonly version: CiliumVersion;
    };

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
  | { readonly kind: 'icmp-deny-rules' }
  /**
   * A rule has a shape the releases of `refusedIn` refuse, and whether the agents run one is not
   * known (a tag telling no version, or agents on both sides of its bounds).
   */
  | {
      readonly kind: 'rule-shape';
      readonly shape: CiliumRuleShape;
      readonly deny: boolean;
      readonly refusedIn: CiliumReleaseWindow;
    };

/** The releases of a window in words: `from 1.16.7`, `from 1.14 until 1.17`. */
export const releaseWindowText = ({ since, until }: CiliumReleaseWindow): string =>
  `from ${ciliumReleaseText(since)}${until ? ` until ${ciliumReleaseText(until)}` : ''}`;

/** Which doubts are one: policies of a key are all refused or all kept together. */
export const refusalDoubtKey = (doubt: CiliumRefusalDoubt): string =>
  doubt.kind === 'rule-shape'
    ? `${doubt.kind} ${doubt.shape.kind} ${releaseWindowText(doubt.refusedIn)}`
    : doubt.kind;

/** What a rule with a shape does, in words: `combines toEndpoints and toCIDR`. */
export function ruleShapeText(shape: CiliumRuleShape): string {
  switch (shape.kind) {
    case 'peer-kinds':
      return `combines ${shape.first} and ${shape.second}`;
    case 'icmps-with-ports':
      return 'has icmps beside toPorts';
    case 'services-with-ports':
      return 'has toServices beside toPorts';
  }
}

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

/** The releases that refuse a rule shape in an allow or deny rule. */
function refusingReleases(shape: CiliumRuleShape, deny: boolean): CiliumReleaseWindow {
  if (shape.kind !== 'services-with-ports') return { since: CILIUM_DENY_RULES_CHECKED_SINCE };
  return deny
    ? { ...CILIUM_SERVICES_WITH_PORTS_REFUSED, since: CILIUM_DENY_RULES_CHECKED_SINCE }
    : CILIUM_SERVICES_WITH_PORTS_REFUSED;
}

/** What the agents do with a rule shape the releases of `window` refuse. */
function shapeStance(
  detection: CniDetection,
  window: CiliumReleaseWindow,
  refusal: Omit<
    Extract<CiliumRefusalReason, { kind: 'rule-shape' }>,
    'kind' | 'version' | 'refusedIn'
  >,
): Stance {
  const from = ciliumReleaseSide(detection, window.since);
  const to = window.until ? ciliumReleaseSide(detection, window.until) : undefined;
  if (from.kind === 'before' || to?.kind === 'since') return ACCEPTS;
  const version = ciliumVersion(detection);
  if (from.kind === 'since' && to?.kind !== 'unknown' && version) {
    const reason = { kind: 'rule-shape', ...refusal, refusedIn: window, version } as const;
    return { kind: 'refuses', reason };
  }
  const deny = refusal.list.endsWith('Deny');
  return {
    kind: 'unknown',
    doubt: { kind: 'rule-shape', shape: refusal.shape, deny, refusedIn: window },
  };
}

/** What the agents do with the rule shapes of a Cilium policy some releases refuse. */
const shapeStances = (detection: CniDetection, policy: CiliumPolicy): Stance[] =>
  policy.specs.flatMap((spec) =>
    RULE_LISTS.flatMap((list) =>
      (spec[list] ?? []).flatMap((rule) =>
        rule.shapes.map((shape) =>
          shapeStance(detection, refusingReleases(shape, list.endsWith('Deny')), {
            shape,
            list,
            ruleIndex: rule.index,
          }),
        ),
      ),
    ),
  );

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
    const icmpIn = (rules: readonly CiliumRule[]) => rules.some((rule) => rule.icmps);
    weigh(
      [
        ...([...allows, ...denies].some((rule) => rule.namesSctp) ? [sctp] : []),
        ...(icmpIn(allows) ? [icmp] : icmpIn(denies) ? [icmpInDenyRules] : []),
        ...shapeStances(detection, policy),
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
