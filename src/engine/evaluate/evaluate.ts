import {
  type ChainRule,
  type CiliumIsolation,
  type CiliumSctpDrop,
  chainForHostname,
  type RuleChain,
  readingLayers,
} from '../compile/chains.js';
import type { Analysis, Direction, PolicyRef } from '../compile/compile.js';
import {
  type Endpoint,
  endpointChain,
  endpointPorts,
  isTrafficToItself,
  type PodEndpoint,
} from '../compile/endpoint.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import type { CiliumL7Rules } from '../model/cilium-policy.js';
import {
  type ClusterPolicyKind,
  type ClusterPolicyTier,
  type ClusterRuleAction,
  clusterPolicyName,
} from '../model/cluster-policy.js';
import type { Pod, Protocol } from '../model/types.js';
import { FAMILY_NAMES, type FamilyName, familyView, flowFamilies } from './address-families.js';
import { type CalicoTierStep, calicoTierSteps, isCalicoTier } from './calico-verdict.js';
import { ciliumCidrNodeLayer } from './cilium-cidr-node.js';
import { hostPodPeerLayer } from './host-pod-peers.js';
import {
  MAIN_NAME_ADDRESS,
  type NameAddress,
  nameAddresses,
  nameAddressLayer,
} from './hostname-addresses.js';
import {
  type ConnectionProbe,
  decideConnection,
  decisionsAllow,
  type TierDecision,
} from './kernel.js';
import { namespaceNotGivenLayer } from './namespace-not-given.js';
import { nodeUnknownLayer, podOf } from './node-local.js';
import { peerMiss } from './peer-match.js';
import { portMiss } from './port-match.js';
import type { RuleMiss } from './rule-miss.js';
import { peerMatchUndecided } from './undecided-peers.js';
import {
  type IpAssumption,
  ipDependentBlocks,
  peerIpBlocks,
  podIpLayer,
  unknownIpRegions,
} from './unknown-ip.js';

/** Why a direction places no restriction on a connection. */
export type UnrestrictedReason =
  /** No policy selects the pod for this direction. */
  | 'no-policy'
  /**
   * The pod uses the host network: policies do not apply to it (where the plugin may apply
   * those selecting it, the side is UNKNOWN if that reading answers otherwise).
   */
  | 'host-network'
  /** The endpoint is not a pod of the cluster; its own side is not governed by policies. */
  | 'outside-cluster'
  /** A pod can always reach itself. */
  | 'self';

/** One (policy, rule, peer, port) combination that allows a connection; null index: "all". */
export interface RuleMatch {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  readonly ruleIndex: number;
  readonly peerIndex: number | null;
  readonly portIndex: number | null;
}

/** A policy that isolates the pod in a direction and has no rules at all for it. */
export interface RulelessPolicy {
  readonly policy: PolicyRef;
  readonly direction: Direction;
}

/** A cluster policy rule that decided or passed one side of a connection. */
export interface ClusterRuleMatch {
  /** `cnp/NAME` (or `anp/`, `banp/` for the deprecated kinds). */
  readonly policy: string;
  readonly kind: ClusterPolicyKind;
  readonly tier: ClusterPolicyTier;
  readonly priority: number;
  readonly direction: Direction;
  readonly ruleIndex: number;
  readonly ruleName?: string;
  readonly action: ClusterRuleAction;
  readonly peerIndex: number | null;
  readonly portIndex: number | null;
}

/**
 * A Cilium rule that decided one side: a deny rule, or an allow rule (which, with L7 rules,
 * admits only the requests they list).
 */
export interface CiliumRuleMatch {
  /** `ciliumnetworkpolicy/NS/NAME` or `ciliumclusterwidenetworkpolicy/NAME`. */
  readonly policy: string;
  readonly direction: Direction;
  readonly action: 'allow' | 'deny';
  /** The rule's index in its list (ingress, egress, ingressDeny or egressDeny). */
  readonly ruleIndex: number;
  /** Which spec of the policy (0: `spec`, then `specs`), when it has more than one. */
  readonly specIndex: number;
  readonly peerIndex: number | null;
  readonly l7?: CiliumL7Rules;
}

/** What one tier of cluster policies did with a side: the rule that decided or passed it, or none. */
export interface ClusterTierStep {
  readonly tier: ClusterPolicyTier;
  /** undefined: no rule of the tier matched. */
  readonly match?: ClusterRuleMatch;
}

/**
 * The outcome of one direction (the source's egress or the destination's ingress), as its
 * policies decide it; `undecided` names what could change it, making it UNKNOWN. `clusterTiers`
 * lists what each tier of cluster policies did, when any governs the side.
 */
export type DirectionVerdict = PolicyVerdict & {
  readonly undecided?: readonly UndecidedLayer[];
  readonly clusterTiers?: readonly ClusterTierStep[];
  /** What each Calico tier did, when Calico's policies govern the side. */
  readonly calicoTiers?: readonly CalicoTierStep[];
};

/** What the policies of one direction decide. */
type PolicyVerdict =
  | {
      readonly kind: 'unrestricted';
      readonly reason: UnrestrictedReason;
      /**
       * For a hostNetwork pod on a plugin that may apply NetworkPolicies to such pods: those
       * selecting it, which isolate it in that reading only (absent: none, or known not to).
       */
      readonly selectedBy?: readonly PolicyRef[];
    }
  /** Cilium's datapath drops the connection (SCTP) before any policy sees it. */
  | { readonly kind: 'cilium-datapath'; readonly sctp: CiliumSctpDrop }
  /** A cluster policy rule accepted or denied the connection, before or after NetworkPolicies. */
  | { readonly kind: 'cluster-policy'; readonly match: ClusterRuleMatch }
  /** Cilium rules decided it: a deny rule, or allow rules when no NetworkPolicy rule allows it. */
  | {
      readonly kind: 'cilium-policy';
      readonly matches: readonly CiliumRuleMatch[];
      readonly ciliumIsolation?: CiliumIsolation;
      readonly isolatedBy: readonly PolicyRef[];
    }
  /** A Calico policy rule, or the end of a Calico tier, allowed or denied the connection. */
  | { readonly kind: 'calico'; readonly match: CalicoTierStep }
  /**
   * The other side is the host of the pod's node (a hostNetwork pod there): Kubernetes always
   * allows that traffic, whatever the NetworkPolicies isolating the pod say.
   */
  | {
      readonly kind: 'node-local';
      /** The node both run on; absent when only assumed (either spec.nodeName unknown). */
      readonly node?: string;
      readonly isolatedBy: readonly PolicyRef[];
    }
  | {
      readonly kind: 'allowed';
      readonly isolatedBy: readonly PolicyRef[];
      readonly matches: readonly RuleMatch[];
      /** Cilium allow rules admitting it too. */
      readonly ciliumMatches?: readonly CiliumRuleMatch[];
      readonly ciliumIsolation?: CiliumIsolation;
    }
  | {
      readonly kind: 'denied';
      readonly isolatedBy: readonly PolicyRef[];
      /** What puts the pod in Cilium's default-deny, when something does. */
      readonly ciliumIsolation?: CiliumIsolation;
      readonly misses: readonly RuleMiss[];
      readonly rulelessPolicies: readonly RulelessPolicy[];
    };

/** The answer for a connection: UNKNOWN when what decides it could not be seen or evaluated. */
export type Outcome = 'ALLOWED' | 'DENIED' | 'UNKNOWN';

/** The answer for a connection over one address family, with the reasons of both sides. */
export interface FamilyVerdict {
  readonly verdict: Outcome;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

/** The verdict on one connection, with the reasons of both sides. */
export interface FlowVerdict {
  readonly verdict: Outcome;
  /** True only when the verdict is ALLOWED. */
  readonly allowed: boolean;
  readonly protocol: Protocol;
  readonly port: number;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
  /**
   * Set when a dual-stack pod takes part and the answer differs by address family: each
   * family's. `verdict` and the sides are then the stricter family's (DENIED, else UNKNOWN), so
   * that "can A reach B" is ALLOWED only when it is over every family the pods can use.
   */
  readonly families?: Readonly<Record<FamilyName, FamilyVerdict>>;
}

/** The cluster policy rule a tier decision stands for; undefined for NetworkPolicy tiers. */
function clusterRuleMatch(decision: TierDecision): ClusterRuleMatch | undefined {
  const [first] = decision.matches;
  if (first?.rule.origin.kind !== 'cluster-policy-rule') return undefined;
  const { policy, rule } = first.rule.origin;
  const source = (rule.direction === 'ingress' ? policy.policy.ingress : policy.policy.egress)[
    rule.index
  ];
  return {
    policy: clusterPolicyName(policy.policy),
    kind: policy.policy.kind,
    tier: policy.policy.tier,
    priority: policy.policy.priority,
    direction: rule.direction,
    ruleIndex: rule.index,
    ...(source?.name ? { ruleName: source.name } : {}),
    action: rule.action,
    peerIndex: first.peerIndex,
    portIndex: first.portIndex === null ? null : (rule.portOrigins[first.portIndex] ?? null),
  };
}

/** The Cilium rules among a tier decision's matches. */
function ciliumRuleMatches(decision: TierDecision): CiliumRuleMatch[] {
  return decision.matches.flatMap(({ rule, peerIndex }): CiliumRuleMatch[] => {
    if (rule.origin.kind !== 'cilium-rule') return [];
    const source = rule.origin.rule;
    return [
      {
        policy: source.name,
        direction: source.direction,
        action: source.deny ? 'deny' : 'allow',
        ruleIndex: source.index,
        specIndex: source.specIndex,
        peerIndex,
        ...(source.l7 ? { l7: source.l7 } : {}),
      },
    ];
  });
}

/** What each tier of cluster policies did, in order. */
function clusterTierSteps(decisions: readonly TierDecision[]): ClusterTierStep[] {
  return decisions.flatMap((decision): ClusterTierStep[] => {
    if (decision.tier !== 'admin' && decision.tier !== 'baseline') return [];
    const tier = decision.tier === 'admin' ? 'Admin' : 'Baseline';
    const match = clusterRuleMatch(decision);
    return [match ? { tier, match } : { tier }];
  });
}

/**
 * Whether a Calico tier's decision reads as NetworkPolicies decide: a NetworkPolicy rule
 * allowed, or the tier ended with only NetworkPolicies applying (their isolation).
 */
function decidedByNetworkPolicies(decision: TierDecision): boolean {
  const origin = decision.matches[0]?.rule.origin;
  if (origin?.kind === 'networkpolicy-rule') return true;
  return (
    origin?.kind === 'calico-tier-end' &&
    origin.policies.every((name) => name.startsWith('networkpolicy/'))
  );
}

/** The view of one side's tier decisions, as explanations present it. */
function policyVerdict(
  chain: RuleChain,
  decisions: readonly TierDecision[],
  direction: Direction,
  subject: Pod,
): PolicyVerdict {
  const last = decisions.at(-1);
  const dropped = last?.tier === 'cilium-datapath' ? last.matches[0]?.rule.origin : undefined;
  if (dropped?.kind === 'cilium-sctp-dropped')
    return { kind: 'cilium-datapath', sctp: dropped.sctp };
  const decided = last && last.tier !== 'networkpolicy' ? clusterRuleMatch(last) : undefined;
  if (decided && decided.action !== 'Pass') return { kind: 'cluster-policy', match: decided };
  const isolatedBy = chain.isolatedBy.map((policy) => policy.ref);
  if (last?.tier === 'node-local' && last.action === 'accept') {
    const node = subject.nodeName;
    return { kind: 'node-local', ...(node === undefined ? {} : { node }), isolatedBy };
  }
  const { ciliumIsolation } = chain;
  const isolation = ciliumIsolation ? { ciliumIsolation } : {};
  if (last?.tier === 'cilium-deny' && last.action === 'deny')
    return { kind: 'cilium-policy', matches: ciliumRuleMatches(last), isolatedBy, ...isolation };
  const calico =
    last && isCalicoTier(last.tier) ? calicoTierSteps([last], direction)[0] : undefined;
  if (calico && calico.action !== 'Pass' && calico.action !== 'none') {
    if (!last || !decidedByNetworkPolicies(last)) return { kind: 'calico', match: calico };
  }
  // On a Calico cluster NetworkPolicies are rules of its default tier.
  const decision = decisions.find((d) => d.tier === 'networkpolicy' || decidedByNetworkPolicies(d));
  if (!decision || decision.action === 'none' || decision.action === 'pass') {
    return { kind: 'unrestricted', reason: 'no-policy' };
  }
  // The policy rule a chain rule stands for; none for the isolation rule.
  const ruleRef = ({ origin }: ChainRule) =>
    origin.kind === 'networkpolicy-rule'
      ? [{ policy: origin.policy.ref, direction, ruleIndex: origin.rule.index }]
      : [];
  if (decision.action === 'accept') {
    const matches = decision.matches.flatMap(({ rule, peerIndex, portIndex }) =>
      ruleRef(rule).map((ref) => ({ ...ref, peerIndex, portIndex })),
    );
    const ciliumMatches = ciliumRuleMatches(decision);
    if (matches.length === 0 && ciliumMatches.length > 0)
      return { kind: 'cilium-policy', matches: ciliumMatches, isolatedBy, ...isolation };
    return {
      kind: 'allowed',
      isolatedBy,
      matches,
      ...(ciliumMatches.length > 0 ? { ciliumMatches } : {}),
      ...isolation,
    };
  }
  const misses = decision.misses.flatMap(({ rule, peerMisses, portMisses }) =>
    ruleRef(rule).map((ref) => ({ ...ref, peerMisses, portMisses })),
  );
  const rulelessPolicies = chain.isolatedBy
    .filter((policy) => (direction === 'ingress' ? policy.ingress : policy.egress).length === 0)
    .map((policy) => ({ policy: policy.ref, direction }));
  return { kind: 'denied', isolatedBy, misses, rulelessPolicies, ...isolation };
}

/** How a connection looks to a side's rules, given where an address only DNS knows lies. */
type ProbeFactory = (assumption: IpAssumption, nameAddress?: NameAddress) => ConnectionProbe;

/** What a side's chain decided, under which probe, and what could change that. */
interface SideDecision {
  /** The chain as it applies to the other side (a host name narrows domainNames rules). */
  readonly chain: RuleChain;
  readonly decisions: TierDecision[];
  readonly probe: ConnectionProbe;
  readonly undecided: readonly UndecidedLayer[];
}

/**
 * What a chain decides on a connection, the probe it decided (the IP assumption taken), and
 * what could change that. When the other side's IP is unknown and an ipBlock admits part of
 * where it may lie, the chain is decided for one address of every region the chain's CIDRs cut
 * the pod ranges into; if they disagree, the side is UNKNOWN. Without such regions, it is
 * decided with the IP inside and outside every partial ipBlock, and is UNKNOWN when those
 * disagree or a rule that does not accept may hold the IP. A namespaceSelector that may or may
 * not select the other side's namespace (not in the input) is taken the same way, inside or out.
 */
function decideSide(
  analysis: Analysis,
  chain: RuleChain,
  subject: Pod,
  other: Endpoint,
  probe: ProbeFactory,
): SideDecision {
  if (other.kind === 'hostname') return decideNameSide(chain, other.hostname, probe);
  if (other.kind === 'external') return decideAddressSide(analysis, chain, other, probe);
  const outsideProbe = probe('outside');
  const outside = decideConnection(chain, outsideProbe);
  const blocks = ipDependentBlocks(analysis, chain, other);
  const namespaceLayer = namespaceNotGivenLayer(analysis, chain, other);
  const nodeLayer = nodeUnknownLayer(chain, subject, other);
  const hostLayer = hostPodPeerLayer(analysis, chain, other);
  const undecided = chain.undecided;
  const selectorLayers = [namespaceLayer, nodeLayer, hostLayer].filter(
    (layer): layer is UndecidedLayer => layer !== undefined,
  );
  if ((blocks.length === 0 && selectorLayers.length === 0) || other.kind !== 'pod')
    return { chain, decisions: outside, probe: outsideProbe, undecided };
  // Explained as an IP (or namespace labels) that the side allows.
  const unknownSide = (decided: ConnectionProbe, decisions: TierDecision[]): SideDecision => ({
    chain,
    decisions,
    probe: decided,
    undecided: [
      ...undecided,
      ...(blocks.length > 0 ? [podIpLayer(analysis, other.pod, blocks)] : []),
      ...selectorLayers,
    ],
  });
  // Regions try addresses only: with namespace labels, nodes or the plugin's reading of
  // hostNetwork pods unknown too, inside and outside decide.
  const regions =
    selectorLayers.length > 0 ? undefined : unknownIpRegions(analysis, chain, other.podIdx);
  if (regions) {
    const decided = regions.map((address) => {
      const regionProbe = probe(address);
      return { regionProbe, decisions: decideConnection(chain, regionProbe) };
    });
    const allowing = decided.find(({ decisions }) => decisionsAllow(decisions));
    if (allowing && decided.some(({ decisions }) => !decisionsAllow(decisions)))
      return unknownSide(allowing.regionProbe, allowing.decisions);
    // Explained as the IP outside the partial ipBlocks when that reads the same.
    const [first] = decided;
    if (!first || decisionsAllow(first.decisions) === decisionsAllow(outside))
      return { chain, decisions: outside, probe: outsideProbe, undecided };
    return { chain, decisions: first.decisions, probe: first.regionProbe, undecided };
  }
  const insideProbe = probe('inside');
  const inside = decideConnection(chain, insideProbe);
  const onlyAccepts = chain.rules.every(
    (rule) =>
      rule.action === 'accept' ||
      !rule.peers.some(
        (peer) =>
          peerIpBlocks(peer).length > 0 ||
          peerMatchUndecided(analysis, peer, rule.namespace, other.podIdx),
      ),
  );
  if (onlyAccepts && decisionsAllow(outside))
    return { chain, decisions: outside, probe: outsideProbe, undecided };
  if (onlyAccepts && !decisionsAllow(inside))
    return { chain, decisions: inside, probe: insideProbe, undecided };
  return unknownSide(insideProbe, inside);
}

/**
 * What a chain decides on a connection with an address outside the pods. Where it is a node's address that Cilium CIDR peers hold
 * and whether those match nodes is unknown, it is decided with them matching too, and the side
 * is UNKNOWN when the two disagree (explained as matching).
 */
function decideAddressSide(
  analysis: Analysis,
  chain: RuleChain,
  other: Extract<Endpoint, { kind: 'external' }>,
  probe: ProbeFactory,
): SideDecision {
  const outsideProbe = probe('outside');
  const outside = decideConnection(chain, outsideProbe);
  const layer = ciliumCidrNodeLayer(analysis, chain, other);
  if (layer) {
    const insideProbe = probe('inside');
    const inside = decideConnection(chain, insideProbe);
    if (decisionsAllow(inside) !== decisionsAllow(outside))
      return {
        chain,
        decisions: inside,
        probe: insideProbe,
        undecided: [...chain.undecided, layer],
      };
  }
  return { chain, decisions: outside, probe: outsideProbe, undecided: chain.undecided };
}

/**
 * What a chain decides on a connection to a host known by name: its domainNames rules match
 * by the name; its ipBlocks are tried under every way the name's address may fall in them, and
 * the side is UNKNOWN when those answer differently (explained as the main way).
 */
function decideNameSide(chain: RuleChain, hostname: string, probe: ProbeFactory): SideDecision {
  const named = chainForHostname(chain, hostname);
  const ways = nameAddresses(named);
  const [main = MAIN_NAME_ADDRESS, ...others] = ways.addresses;
  const mainProbe = probe('outside', main);
  const decisions = decideConnection(named, mainProbe);
  const allows = decisionsAllow(decisions);
  const differing = others.filter(
    (address) => decisionsAllow(decideConnection(named, probe('outside', address))) !== allows,
  );
  const blocks = ways.deciding(differing);
  const split = differing.length > 0 || (!ways.exhaustive && blocks.length > 0);
  const undecided = split
    ? [...named.undecided, nameAddressLayer(hostname, blocks)]
    : named.undecided;
  return { chain: named, decisions, probe: mainProbe, undecided };
}

/** The main reading of a hostNetwork pod's side: policies do not apply to it. */
const HOST_NETWORK: DirectionVerdict = { kind: 'unrestricted', reason: 'host-network' };

/** A hostNetwork pod's side in the main reading, with the policies another one applies. */
function hostNetworkVerdict(chain: RuleChain): DirectionVerdict {
  const selecting = chain.hostNetworkSelecting;
  if (!selecting) return HOST_NETWORK;
  return { kind: 'unrestricted', reason: 'host-network', selectedBy: selecting.map((p) => p.ref) };
}

function withUndecided(verdict: DirectionVerdict, chain: RuleChain): DirectionVerdict {
  return chain.undecided.length > 0 ? { ...verdict, undecided: chain.undecided } : verdict;
}

function evaluateSide(
  analysis: Analysis,
  direction: Direction,
  subject: Endpoint,
  other: Endpoint,
  probe: ProbeFactory,
): DirectionVerdict {
  const subjectChain = endpointChain(analysis, subject, direction);
  if (subject.kind !== 'pod') {
    return withUndecided({ kind: 'unrestricted', reason: 'outside-cluster' }, subjectChain);
  }
  // A hostNetwork pod's policies apply only in a reading of their own, when it has one.
  const hostNetwork = subject.pod.hostNetwork;
  if (hostNetwork && !subjectChain.hostNetworkSelecting)
    return withUndecided(HOST_NETWORK, subjectChain);
  const side = decideSide(analysis, subjectChain, subject.pod, other, probe);
  const { chain, decisions } = side;
  const verdict = hostNetwork
    ? hostNetworkVerdict(chain)
    : policyVerdict(chain, decisions, direction, subject.pod);
  // Readings the API allows that answer otherwise make the side UNKNOWN, for their reason.
  const allows = decisionsAllow(decisions);
  const split = readingLayers(
    chain.readings.filter(
      ({ order }) => decisionsAllow(decideConnection(chain, side.probe, order)) !== allows,
    ),
  );
  const undecided = split.length > 0 ? [...side.undecided, ...split] : side.undecided;
  // Calico's tiers are traced where a Calico policy governs, not where NetworkPolicies alone do.
  const calicoGoverns =
    decisions.some((decision) => isCalicoTier(decision.tier)) &&
    chain.rules.some(
      ({ origin }) =>
        origin.kind === 'calico-rule' ||
        (origin.kind === 'calico-tier-end' &&
          !origin.policies.every((name) => name.startsWith('networkpolicy/'))),
    );
  const calicoTiers = calicoGoverns ? calicoTierSteps(decisions, direction) : [];
  const withClusterTiers: DirectionVerdict =
    chain.clusterPolicies.length > 0
      ? { ...verdict, clusterTiers: clusterTierSteps(decisions) }
      : verdict;
  const withTiers =
    calicoTiers.length > 0 ? { ...withClusterTiers, calicoTiers } : withClusterTiers;
  return undecided.length > 0 ? { ...withTiers, undecided } : withTiers;
}

const SELF: DirectionVerdict = { kind: 'unrestricted', reason: 'self' };

/** True when the policies of one direction let the connection through. */
export function directionAllows(verdict: DirectionVerdict): boolean {
  if (verdict.kind === 'cluster-policy') return verdict.match.action === 'Accept';
  if (verdict.kind === 'cilium-policy')
    return !verdict.matches.some((match) => match.action === 'deny');
  if (verdict.kind === 'calico') return verdict.match.action === 'Allow';
  return verdict.kind !== 'denied' && verdict.kind !== 'cilium-datapath';
}

/** DENIED when a side surely denies, else UNKNOWN when a side is undecided, else ALLOWED. */
function flowOutcome(sides: readonly DirectionVerdict[]): Outcome {
  if (sides.some((side) => !directionAllows(side) && !side.undecided)) return 'DENIED';
  return sides.some((side) => side.undecided) ? 'UNKNOWN' : 'ALLOWED';
}

/**
 * How a connection reaches its destination: straight to its address, or through a Service
 * ClusterIP that the service proxy translates to it (which only matters for a pod reaching
 * itself).
 */
export type FlowRoute = 'direct' | 'service-ip';

/**
 * A side of a pod reaching itself through a Service IP. ClusterNetworkPolicy "is logically
 * enforced outside the Pod network namespace": such hairpin traffic "is subject to
 * ClusterNetworkPolicy" (network-policy-api, site-src/api-overview.md), while a pod cannot block
 * access to itself with NetworkPolicies (kubernetes.io network-policies). So a cluster policy's
 * decision, or what could change it, stands; everything else leaves the pod to itself.
 */
function hairpinSide(side: DirectionVerdict): DirectionVerdict {
  return side.kind === 'cluster-policy' || side.undecided ? side : SELF;
}

/** How strict each outcome is: a connection is as open as its most closed family. */
export const OUTCOME_STRICTNESS: Readonly<Record<Outcome, number>> = {
  ALLOWED: 0,
  UNKNOWN: 1,
  DENIED: 2,
};

/**
 * Whether source may open a connection to destination on protocol/port: the source's egress
 * and the destination's ingress must both allow it. A pod may always reach itself, unless
 * through a Service IP a cluster policy decides otherwise. When a dual-stack pod takes part,
 * each family its connections can use is decided with the pods' addresses of that family; if
 * they answer differently, the verdict lists both (see FlowVerdict.families).
 */
export function evaluateFlow(
  analysis: Analysis,
  source: Endpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
  route: FlowRoute = 'direct',
): FlowVerdict {
  const decide = (view: Analysis) =>
    evaluateOneFamily(view, source, destination, protocol, port, route);
  const families = flowFamilies(analysis, source, destination);
  if (!families) return decide(analysis);
  const [first, second] = families.map((family) => decide(familyView(analysis, family)));
  const [firstFamily, secondFamily] = families;
  if (!first || !second || !firstFamily || !secondFamily) return first ?? decide(analysis);
  if (first.verdict === second.verdict) {
    // Read as today (every address at once) when that answers the same, as it does but where
    // a Pass leaves one family to a later tier.
    const everyAddress = decide(analysis);
    return everyAddress.verdict === first.verdict ? everyAddress : first;
  }
  const stricter =
    OUTCOME_STRICTNESS[first.verdict] > OUTCOME_STRICTNESS[second.verdict] ? first : second;
  const familyVerdict = ({ verdict, egress, ingress }: FlowVerdict): FamilyVerdict => ({
    verdict,
    egress,
    ingress,
  });
  return {
    ...stricter,
    families: {
      [FAMILY_NAMES[firstFamily]]: familyVerdict(first),
      [FAMILY_NAMES[secondFamily]]: familyVerdict(second),
    } as Record<FamilyName, FamilyVerdict>,
  };
}

/**
 * The analysis a split verdict's sides were decided with: the stricter family's view (the
 * analysis itself when the verdict does not differ by family).
 */
export function decidingAnalysis(analysis: Analysis, verdict: FlowVerdict): Analysis {
  const families = verdict.families;
  if (!families) return analysis;
  const family = families.IPv4.verdict === verdict.verdict ? 4 : 6;
  return familyView(analysis, family);
}

/**
 * How a flow to `destination` on protocol/port looks to a side's rules: the probe of the side
 * whose chain is walked (`subject`), the peer being the other side. The subject anchors
 * node-host peers.
 */
function flowProbe(
  analysis: Analysis,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
): (peer: Endpoint, subject: Endpoint) => ProbeFactory {
  const resolve = endpointPorts(analysis, destination);
  return (peer, subject) => (assumption, nameAddress) => ({
    peerMiss: (compiled, namespace) =>
      peerMiss(analysis, compiled, namespace, peer, assumption, nameAddress, podOf(subject)),
    portMiss: (entry, index) => portMiss(entry, index, resolve, protocol, port),
  });
}

/**
 * The kernel's trace of a pod's egress to a destination on protocol/port, as check explains
 * it: the decisions of `chain`'s tiers (the pod's own by default), the last deciding. Over the
 * addresses the analysis gives (a family's view, if it is one).
 */
export function egressTrace(
  analysis: Analysis,
  source: PodEndpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
  chain: RuleChain = endpointChain(analysis, source, 'egress'),
): readonly TierDecision[] {
  const probe = flowProbe(analysis, destination, protocol, port)(destination, source);
  return decideSide(analysis, chain, source.pod, destination, probe).decisions;
}

/** evaluateFlow with each pod's addresses as the analysis gives them. */
function evaluateOneFamily(
  analysis: Analysis,
  source: Endpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
  route: FlowRoute,
): FlowVerdict {
  const itself = isTrafficToItself(source, destination);
  if (itself && route === 'direct') {
    return { verdict: 'ALLOWED', allowed: true, protocol, port, egress: SELF, ingress: SELF };
  }
  const probe = flowProbe(analysis, destination, protocol, port);
  const side = itself ? hairpinSide : (decided: DirectionVerdict) => decided;
  const egress = side(
    evaluateSide(analysis, 'egress', source, destination, probe(destination, source)),
  );
  const ingress = side(
    evaluateSide(analysis, 'ingress', destination, source, probe(source, destination)),
  );
  const verdict = flowOutcome([egress, ingress]);
  return {
    verdict,
    allowed: verdict === 'ALLOWED',
    protocol,
    port,
    egress,
    ingress,
  };
}
