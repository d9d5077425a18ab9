import type { CiliumRefusalDoubt } from '../cni/cilium-refusals.js';
import type { CiliumSctp } from '../cni/cilium-version.js';
import {
  type ClusterPolicyTier,
  type ClusterRuleAction,
  clusterPolicyName,
} from '../model/cluster-policy.js';
import { networkPolicyName, type Pod, type PolicyPort, type UnreadList } from '../model/types.js';
import { domainNameMatches } from '../primitives/domain-names.js';
import { calicoEndpointsReadNamespaceLabels } from './calico-endpoints.js';
import type { CompiledCalicoPolicy, CompiledCalicoRule } from './calico-rules.js';
import type {
  CiliumSelection,
  CompiledCiliumRule,
  CompiledCiliumSpec,
} from './compile-cilium-policy.js';
import type { CompiledClusterPolicy, CompiledClusterRule } from './compile-cluster-policy.js';
import {
  type CompiledPeer,
  type CompiledPolicy,
  type CompiledRule,
  type Direction,
  withoutEndPorts,
} from './compile-policy.js';
import { highScaleReadings } from './high-scale-readings.js';
import { type RefusablePolicy, refusalReadings } from './refusal-readings.js';
import type { Undecided, UndecidedLayer } from './undecided.js';

/** What Cilium does with SCTP when it may not pass it. */
export type CiliumSctpDrop = Exclude<CiliumSctp, { readonly kind: 'passed' }>;

/**
 * The rule of Cilium's datapath dropping every SCTP packet of an endpoint: sure where it drops
 * SCTP, speculative (weighed in a reading of its own) where that is unknown.
 */
function ciliumSctpRule(sctp: CiliumSctpDrop): ChainRule {
  const rule: ChainRule = {
    tier: 'cilium-datapath',
    action: 'deny',
    rank: 0,
    namespace: '',
    peers: [],
    ports: [{ protocol: 'SCTP' }],
    origin: { kind: 'cilium-sctp-dropped', sctp },
  };
  if (sctp.kind === 'dropped') return rule;
  return { ...rule, speculative: true, unreadLayer: ciliumSctpUnknownLayer(sctp) };
}

/** Why whether Cilium passes SCTP is unknown, as the layer its UNKNOWN answers name. */
export function ciliumSctpUnknownLayer(
  sctp: Extract<CiliumSctp, { readonly kind: 'unknown' }>,
): Extract<UndecidedLayer, { readonly kind: 'cilium-sctp-unknown' }> {
  const { kind: _, ...why } = sctp;
  return { kind: 'cilium-sctp-unknown', ...why };
}

/** What a rule does with the connections it matches: pass leaves them to the next tier. */
export type RuleAction = 'accept' | 'deny' | 'pass';

/**
 * The policy layers a cluster evaluates, in this order: what Cilium's datapath drops before any
 * policy (SCTP, unless it passes it), the Admin tier of cluster network
 * policies, traffic with the host of the pod's node (always allowed), Cilium's deny rules (on a Cilium cluster), NetworkPolicy (with Cilium's allow
 * rules beside NetworkPolicies' own), then the Baseline tier. A network plugin's own policies
 * join chains the same way, as data.
 */
export type TierName =
  | 'cilium-datapath'
  | 'admin'
  | 'node-local'
  | 'cilium-deny'
  | 'networkpolicy'
  | 'baseline'
  | `calico:${string}`;

/** Where a rule of a chain comes from, for explanations. */
export type RuleOrigin =
  | {
      readonly kind: 'networkpolicy-rule';
      readonly policy: CompiledPolicy;
      readonly rule: CompiledRule;
    }
  /** Isolation: a pod selected by a NetworkPolicy is denied what no rule allows. */
  | { readonly kind: 'networkpolicy-isolation' }
  | {
      readonly kind: 'cluster-policy-rule';
      readonly policy: CompiledClusterPolicy;
      readonly rule: CompiledClusterRule;
    }
  /** Cilium's datapath drops SCTP before any policy sees it (see CiliumSctp). */
  | { readonly kind: 'cilium-sctp-dropped'; readonly sctp: CiliumSctpDrop }
  /** A rule of a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy (allow or deny). */
  | { readonly kind: 'cilium-rule'; readonly rule: CompiledCiliumRule }
  | {
      readonly kind: 'calico-rule';
      readonly policy: CompiledCalicoPolicy;
      readonly rule: CompiledCalicoRule;
    }
  /** Traffic between a pod and the host of its node, which NetworkPolicies never restrict. */
  | { readonly kind: 'node-local' }
  /** The end of a Calico tier some policy of which applies: its default action. */
  | {
      readonly kind: 'calico-tier-end';
      readonly tier: string;
      readonly defaultAction: 'Deny' | 'Pass';
      /** The tier's policies that apply to the endpoint, in order (kubectl names). */
      readonly policies: readonly string[];
    };

/** One rule of a chain, with its action and its place in its tier. */
export interface ChainRule {
  readonly tier: TierName;
  readonly action: RuleAction;
  /**
   * Within a tier, the rules of the lowest rank that match decide, together; rules of one
   * rank share their action.
   */
  readonly rank: number;
  /** The namespace a bare podSelector peer looks in. */
  readonly namespace: string;
  /** Peers the other side must match; empty: anyone. */
  readonly peers: readonly CompiledPeer[];
  /** Port entries; empty: every port. */
  readonly ports: readonly PolicyPort[];
  readonly origin: RuleOrigin;
  /**
   * A rule whose match objects cannot tell (a domainNames peer, which may match any address):
   * it takes part in the readings of the chain that include it, never in its main reading.
   */
  readonly speculative?: boolean;
  /** For a speculative rule: the domainNames it stands for, which decide a destination named so. */
  readonly domainNames?: readonly string[];
  /**
   * A speculative rule that applies only under cilium-config `enable-policy: always` (the
   * isolation it brings, and the Cilium allow rules that then count), when the mode is unread.
   */
  readonly onlyIfAlways?: boolean;
  /** For a speculative rule standing for objects that could not be read: what its reading names. */
  readonly unreadLayer?: UndecidedLayer;
  /**
   * A speculative copy of the NetworkPolicy rule before it, its endPort ranges cut to their first
   * port as Cilium before 1.16 reads them: in the reading this layer names, it stands in for it.
   */
  readonly endPortsIgnoredBy?: UndecidedLayer;
  /**
   * A speculative rule of the NetworkPolicies selecting a hostNetwork pod, on a plugin that may
   * apply them to such pods or not: such rules apply, all together, in the reading this layer
   * names, and in no other.
   */
  readonly onlyIfHostPodsSelected?: UndecidedLayer;
  /**
   * A rule with further conditions objects cannot tell (a Calico rule's unevaluated parts), for
   * this reason: it matches in the main reading as far as its peers and ports tell, and readings
   * leave it out. Its other conditions are ANDed: where its peers or ports miss, it surely does
   * not match.
   */
  readonly uncertain?: UndecidedLayer;
  /**
   * The policies the rule stands on when the Cilium agent may refuse each of them whole (its
   * own policy; for isolation, every policy isolating the side): readings without them leave
   * it out.
   */
  readonly refusable?: readonly RefusablePolicy[];
}

/**
 * Another reading of a chain that the API allows and objects cannot rule out: its rules in
 * another order (equal priorities) or with a speculative rule matching. Where a reading answers
 * otherwise than the main one, the answer is UNKNOWN for the reason `layer` names.
 */
export interface ChainReading {
  readonly layer: UndecidedLayer;
  /** Indexes into the chain's rules, in evaluation order; a rule left out matches nothing. */
  readonly order: readonly number[];
  /** For a reading without cluster policies the plugin may not enforce: their doubts, all named. */
  readonly leftOut?: readonly UndecidedLayer[];
}

/**
 * The reasons the readings that answer otherwise name, each once. A reading leaving out the
 * cluster policies of several doubts names them all, unless a reading leaving out some of them
 * answers otherwise already (then those are to blame, not the rest).
 */
export function readingLayers(differing: readonly ChainReading[]): UndecidedLayer[] {
  const within = (inner: readonly UndecidedLayer[], outer: readonly UndecidedLayer[]) =>
    inner.length < outer.length && inner.every((layer) => outer.includes(layer));
  const named = differing.flatMap(({ layer, leftOut }) => {
    if (!leftOut) return [layer];
    const smaller = differing.some((other) => other.leftOut && within(other.leftOut, leftOut));
    return smaller ? [] : leftOut;
  });
  return [...new Set(named)];
}

/**
 * Everything that governs one direction of a pod, as rules in evaluation order (by tier, then
 * rank). Connections no rule decides are allowed. Pods governed alike share one chain.
 */
export interface RuleChain {
  /** Unique among the chains of an analysis: the memo key of answers. */
  readonly id: number;
  readonly direction: Direction;
  /** The NetworkPolicies selecting the pod in this direction (it is isolated when any does). */
  readonly isolatedBy: readonly CompiledPolicy[];
  /** The cluster policies whose subject is the pod and that have rules for this direction. */
  readonly clusterPolicies: readonly CompiledClusterPolicy[];
  /**
   * What puts the pod in Cilium's default-deny for this direction: the Cilium policies selecting
   * it so, or the `always` enforcement mode; absent when nothing Cilium's does.
   */
  readonly ciliumIsolation?: CiliumIsolation;
  readonly rules: readonly ChainRule[];
  /** Whether a rule names a port: answers then depend on the destination's container ports. */
  readonly namedPorts: boolean;
  /**
   * What the engine could not read or does not evaluate that could change this side's answers:
   * when not empty, the side is UNKNOWN whatever its rules say.
   */
  readonly undecided: readonly UndecidedLayer[];
  /** Other readings of the rules (the main one is every rule but speculative ones, in order). */
  readonly readings: readonly ChainReading[];
  /**
   * For a hostNetwork pod: the NetworkPolicies selecting it in this direction, which isolate it
   * only in the reading where the plugin applies selectors to such pods (the main reading takes
   * its traffic as the node's); absent when none do, or the plugin is known to ignore them.
   */
  readonly hostNetworkSelecting?: readonly CompiledPolicy[];
  /**
   * The failed read of cilium-config when Cilium's enforcement mode is only assumed for this
   * pod's side: readings under `always` and `never` make differing answers UNKNOWN.
   */
  readonly enforcementUnread?: UnreadList;
}

/** The rule indexes of a chain's main reading: every rule but the speculative ones, in order. */
export function mainReading(rules: readonly ChainRule[]): number[] {
  return rules.flatMap((rule, index) => (rule.speculative ? [] : [index]));
}

/**
 * The chains of the pods, each built when first asked for (a check asks for two pods' of
 * thousands), and those of addresses outside the known pods.
 */
export interface PodChains {
  /** The chain of the pod at `podIdx` (an index into the analysed pods) in a direction. */
  of(direction: Direction, podIdx: number): RuleChain;
  /** The chains of every pod in a direction, by pod index: for the views that walk them all. */
  all(direction: Direction): readonly RuleChain[];
  /** How many pods' chains (of either direction) were built so far. */
  readonly built: number;
  readonly external: Readonly<Record<Direction, RuleChain>>;
}

const hasNamespaceSelector = (rules: readonly ChainRule[]) =>
  rules.some((rule) =>
    rule.peers.some(
      (peer) =>
        peer.kind === 'pods-in-selected-namespaces' ||
        (peer.kind === 'calico-endpoints' && calicoEndpointsReadNamespaceLabels(peer.endpoints)),
    ),
  );

/** What puts a pod in Cilium's default-deny for a direction. */
export interface CiliumIsolation {
  /** The names of the Cilium policies selecting the pod with default-deny for the direction. */
  readonly policies: readonly string[];
  /** Whether the cilium-config `enable-policy: always` isolates every endpoint. */
  readonly always: boolean;
}

/**
 * The NetworkPolicy tier: the rules of the NetworkPolicies and Cilium allow rules selecting the
 * pod, then isolation, when either isolates it (Cilium allow rules of a policy that does not
 * isolate change nothing then: the pod is not isolated).
 */
function networkPolicyTier(
  policies: readonly CompiledPolicy[],
  direction: Direction,
  ciliumAllows: readonly ChainRule[] = [],
  ciliumIsolated = false,
  endPortsUnknown = false,
): ChainRule[] {
  if (policies.length === 0 && !ciliumIsolated) return [];
  const tier = 'networkpolicy';
  const rulesOf = (policy: CompiledPolicy) =>
    direction === 'ingress' ? policy.ingress : policy.egress;
  const ranged = endPortsUnknown ? policies.filter((p) => rulesOf(p).some(hasEndPort)) : [];
  const endPortLayer: UndecidedLayer = {
    kind: 'cilium-endport-version',
    policies: ranged.map((p) => networkPolicyName(p.ref)),
  };
  const allows = policies.flatMap((policy) =>
    rulesOf(policy).flatMap((rule): ChainRule[] => {
      const allow: ChainRule = {
        tier,
        action: 'accept',
        rank: 0,
        namespace: policy.ref.namespace,
        peers: rule.peers,
        ports: rule.ports,
        origin: { kind: 'networkpolicy-rule', policy, rule },
      };
      if (!ranged.includes(policy) || !hasEndPort(rule)) return [allow];
      const ports = withoutEndPorts(rule.ports);
      return [allow, { ...allow, ports, speculative: true, endPortsIgnoredBy: endPortLayer }];
    }),
  );
  const isolation: ChainRule = {
    tier,
    action: 'deny',
    rank: 1,
    namespace: policies[0]?.ref.namespace ?? '',
    peers: [],
    ports: [],
    origin: { kind: 'networkpolicy-isolation' },
  };
  return [...allows, ...ciliumAllows, isolation];
}

/** Whether a NetworkPolicy rule has a port range. */
const hasEndPort = (rule: CompiledRule) => rule.ports.some((port) => port.endPort !== undefined);

/**
 * The reading of Cilium before 1.16 when its version is unknown: each NetworkPolicy rule with a
 * port range replaced by its copy with the ranges cut to their first port.
 */
function endPortReadings(rules: readonly ChainRule[], main: readonly number[]): ChainReading[] {
  const copies = rules.flatMap((rule, index) => (rule.endPortsIgnoredBy ? [index] : []));
  const first = rules[copies[0] ?? -1];
  if (!first?.endPortsIgnoredBy) return [];
  const replaced = new Set(copies.map((index) => index - 1));
  const order = [...main.filter((index) => !replaced.has(index)), ...copies];
  return [{ layer: first.endPortsIgnoredBy, order: order.sort((x, y) => x - y) }];
}

/**
 * The chain rules of Cilium rules, in the tier their action takes (denies before every allow):
 * a rule's sure peers, then speculative rules for its toFQDNs names (like domainNames), for
 * entities objects cannot decide, for Service backends the agents' release decides, and for
 * Services that could not be read.
 */
function ciliumRules(rules: readonly CompiledCiliumRule[]): ChainRule[] {
  return rules.flatMap((rule): ChainRule[] => {
    const base = {
      tier: rule.deny ? ('cilium-deny' as const) : ('networkpolicy' as const),
      action: rule.deny ? ('deny' as const) : ('accept' as const),
      rank: 0,
      namespace: '',
      ports: rule.ports,
      origin: { kind: 'cilium-rule' as const, rule },
    };
    return [
      ...(rule.anyone || rule.peers.length > 0 ? [{ ...base, peers: rule.peers }] : []),
      ...(rule.fqdns.length > 0
        ? [{ ...base, peers: [], speculative: true, domainNames: rule.fqdns }]
        : []),
      ...(rule.possible.length > 0 ? [{ ...base, peers: rule.possible, speculative: true }] : []),
      // Backends that only some releases (or settings) match, the agents' not known.
      ...rule.releaseServices.map(({ peers, ...why }) => ({
        ...base,
        peers,
        speculative: true,
        unreadLayer: {
          kind: 'cilium-service-release' as const,
          policy: rule.name,
          list: rule.deny ? ('egressDeny' as const) : ('egress' as const),
          ruleIndex: rule.index,
          ...why,
        },
      })),
      // A Service that could not be read may stand for any address.
      ...rule.unreadServices.map(({ service, list }) => ({
        ...base,
        peers: [],
        speculative: true,
        unreadLayer: {
          kind: 'cilium-service-unread' as const,
          policy: rule.name,
          list: rule.deny ? ('egressDeny' as const) : ('egress' as const),
          ruleIndex: rule.index,
          service,
          unread: list,
        },
      })),
    ];
  });
}

const ACTION_OF: Readonly<Record<ClusterRuleAction, RuleAction>> = {
  Accept: 'accept',
  Deny: 'deny',
  Pass: 'pass',
};

const TIER_OF: Readonly<Record<ClusterPolicyTier, TierName>> = {
  Admin: 'admin',
  Baseline: 'baseline',
};

/** Orders cluster policies of one tier as evaluated: by priority, then by name (stable answers). */
export const byEvaluationOrder = (a: CompiledClusterPolicy, b: CompiledClusterPolicy) =>
  a.policy.priority - b.policy.priority || a.policy.name.localeCompare(b.policy.name);

/**
 * The rules of one tier of cluster policies: each its own rank, in priority then rule order, as
 * the first matching rule decides. A domainNames peer adds a speculative rule matching anyone
 * right after its rule; rules left with no peer known to match (nodes not found) are left out.
 */
function clusterTier(
  governing: readonly CompiledClusterPolicy[],
  tier: ClusterPolicyTier,
  direction: Direction,
): ChainRule[] {
  const policies = governing.filter((p) => p.policy.tier === tier).sort(byEvaluationOrder);
  const rule = (
    policy: CompiledClusterPolicy,
    source: CompiledClusterRule,
    peers: readonly CompiledPeer[],
  ): Omit<ChainRule, 'rank'> => ({
    tier: TIER_OF[tier],
    action: ACTION_OF[source.action],
    namespace: '',
    peers,
    ports: source.ports,
    origin: { kind: 'cluster-policy-rule', policy, rule: source },
    ...(peers.length === 0 ? { speculative: true, domainNames: source.domainNames } : {}),
  });
  return policies
    .flatMap((policy) =>
      (direction === 'ingress' ? policy.ingress : policy.egress).flatMap((source) => [
        ...(source.peers.length > 0 ? [rule(policy, source, source.peers)] : []),
        ...(source.domainNames.length > 0 ? [rule(policy, source, [])] : []),
      ]),
    )
    .map((chainRule, rank) => ({ ...chainRule, rank }));
}

/** The cluster policy a chain rule comes from, if any. */
const clusterPolicyOf = (rule: ChainRule) =>
  rule.origin.kind === 'cluster-policy-rule' ? rule.origin.policy : undefined;

/** Whether the rules of a group of policies take more than one action. */
function actsDifferently(group: readonly CompiledClusterPolicy[]): boolean {
  const actions = new Set(
    group.flatMap((policy) => [...policy.ingress, ...policy.egress].map((rule) => rule.action)),
  );
  return actions.size > 1;
}

/**
 * The reading where the plugin applies NetworkPolicies to the chain's hostNetwork pod like to
 * any pod: the rules of the policies selecting it (and the node-local rule they bring) in.
 */
function hostSubjectReadings(rules: readonly ChainRule[], main: readonly number[]): ChainReading[] {
  const added = rules.flatMap((rule, index) => (rule.onlyIfHostPodsSelected ? [index] : []));
  const layer = rules[added[0] ?? -1]?.onlyIfHostPodsSelected;
  return layer ? [{ layer, order: [...main, ...added].sort((x, y) => x - y) }] : [];
}

/** Readings with each speculative rule matching in its place. */
function speculativeReadings(rules: readonly ChainRule[], main: readonly number[]): ChainReading[] {
  return rules.flatMap((rule, index): ChainReading[] => {
    if (rule.onlyIfAlways) return [];
    if (rule.speculative && rule.unreadLayer)
      return [{ layer: rule.unreadLayer, order: [...main, index].sort((x, y) => x - y) }];
    if (rule.speculative && rule.origin.kind === 'cilium-rule') {
      const source = rule.origin.rule;
      const layer: UndecidedLayer = rule.domainNames
        ? { kind: 'domain-names', policy: source.name, ruleIndex: source.index }
        : {
            kind: 'cilium-entity',
            policy: source.name,
            entities: rule.peers.flatMap((peer) =>
              peer.kind === 'cilium-entity' ? [peer.entity] : [],
            ),
          };
      return [{ layer, order: [...main, index].sort((x, y) => x - y) }];
    }
    if (!rule.speculative || rule.origin.kind !== 'cluster-policy-rule') return [];
    const { policy, rule: source } = rule.origin;
    return [
      {
        layer: {
          kind: 'domain-names',
          policy: clusterPolicyName(policy.policy),
          ruleIndex: source.index,
        },
        order: [...main, index].sort((x, y) => x - y),
      },
    ];
  });
}

/**
 * Readings where policies of one tier and priority act differently: each of them in turn first
 * (the main reading takes them by name), as the API leaves the choice to implementations.
 */
function equalPriorityReadings(
  rules: readonly ChainRule[],
  main: readonly number[],
): ChainReading[] {
  const groups = new Map<string, CompiledClusterPolicy[]>();
  for (const index of main) {
    const policy = clusterPolicyOf(rules[index] as ChainRule);
    if (!policy) continue;
    const key = `${policy.policy.tier}/${policy.policy.priority}`;
    const group = groups.get(key) ?? [];
    if (!group.includes(policy)) group.push(policy);
    groups.set(key, group);
  }
  const inGroup = (group: readonly CompiledClusterPolicy[]) => (index: number) => {
    const policy = clusterPolicyOf(rules[index] as ChainRule);
    return policy !== undefined && group.includes(policy);
  };
  return [...groups.values()].flatMap((group) => {
    const [first, ...others] = group;
    if (!first || !actsDifferently(group)) return [];
    const start = main.findIndex(inGroup(group));
    return others.map((other): ChainReading => {
      const moved = main.filter(inGroup([other]));
      const rest = main.filter((index) => !moved.includes(index));
      return {
        layer: {
          kind: 'equal-priority',
          tier: first.policy.tier,
          priority: first.policy.priority,
          policies: [clusterPolicyName(first.policy), clusterPolicyName(other.policy)],
        },
        order: [...rest.slice(0, start), ...moved, ...rest.slice(start)],
      };
    });
  });
}

/** The tiers of cluster policies, which Cilium enforces only with an option of cilium-config. */
const CLUSTER_TIERS: ReadonlySet<TierName> = new Set(['admin', 'baseline']);

/**
 * Readings under the settings an unread cilium-config may hold besides those assumed (`default`
 * enforcement, ClusterNetworkPolicy on): `always` adds the rules only it brings; `never` enforces
 * no rule at all, cluster policies included; without `enable-k8s-cluster-network-policy` the
 * cluster policy tiers drop out, under either of the other modes.
 */
function enforcementReadings(
  rules: readonly ChainRule[],
  main: readonly number[],
  list: UnreadList,
): ChainReading[] {
  const alwaysRules = rules.flatMap((rule, index) => (rule.onlyIfAlways ? [index] : []));
  const always = alwaysRules.length > 0 ? [...main, ...alwaysRules].sort((x, y) => x - y) : [];
  const withoutClusterTiers = (order: readonly number[]) =>
    order.filter((index) => !CLUSTER_TIERS.has((rules[index] as ChainRule).tier));
  const alwaysLayer = { kind: 'cilium-enforcement-unread', list, mode: 'always' } as const;
  const clusterLayer = { kind: 'cilium-cluster-policies-unread', list } as const;
  // Both at once is named as `always`, which answers otherwise wherever the pair does not.
  const clusterOff = [
    { layer: clusterLayer, order: main },
    ...(always.length > 0 ? [{ layer: alwaysLayer, order: always }] : []),
  ].flatMap(({ layer, order }) => {
    const without = withoutClusterTiers(order);
    return without.length < order.length ? [{ layer, order: without }] : [];
  });
  return [
    ...(always.length > 0 ? [{ layer: alwaysLayer, order: always }] : []),
    ...(main.length > 0
      ? [{ layer: { kind: 'cilium-enforcement-unread', list, mode: 'never' } as const, order: [] }]
      : []),
    ...clusterOff,
  ];
}

/**
 * A side's rules with the policies the Cilium agent may refuse (`doubtful`, by kubectl name)
 * marked on the rules standing on them: their own rules, and isolation when every policy
 * isolating the side (`isolators`) is one of them and `enable-policy: always` does not isolate.
 */
function withRefusable(
  rules: readonly ChainRule[],
  doubtful: ReadonlyMap<string, readonly CiliumRefusalDoubt[]> | undefined,
  isolators: readonly string[],
  always: boolean,
): readonly ChainRule[] {
  if (!doubtful || doubtful.size === 0) return rules;
  const entries = (names: readonly string[]) => {
    const found = names.flatMap((policy) => {
      const doubts = doubtful.get(policy);
      return doubts ? [{ policy, doubts }] : [];
    });
    return names.length > 0 && found.length === names.length ? found : undefined;
  };
  const isolation = always ? undefined : entries(isolators);
  return rules.map((rule) => {
    const { origin } = rule;
    const refusable =
      origin.kind === 'networkpolicy-rule'
        ? entries([networkPolicyName(origin.policy.ref)])
        : origin.kind === 'cilium-rule'
          ? entries([origin.rule.name])
          : origin.kind === 'networkpolicy-isolation'
            ? isolation
            : undefined;
    return refusable ? { ...rule, refusable } : rule;
  });
}

/**
 * Readings without the cluster policies the network plugin may not enforce: for every set of
 * doubts (one per policy kind, so at most seven sets), their policies' rules left out.
 */
function supportReadings(rules: readonly ChainRule[], main: readonly number[]): ChainReading[] {
  const doubtOf = (index: number) => clusterPolicyOf(rules[index] as ChainRule)?.doubt;
  const doubts = [...new Set(main.flatMap((index) => doubtOf(index) ?? []))];
  let sets: (typeof doubts)[] = [[]];
  for (const doubt of doubts) sets = [...sets, ...sets.map((set) => [...set, doubt])];
  return sets.flatMap(([first, ...rest]) => {
    if (!first) return [];
    const out = new Set([first, ...rest]);
    const kept = main.filter((index) => {
      const doubt = doubtOf(index);
      return !doubt || !out.has(doubt);
    });
    return [{ layer: first, order: kept, leftOut: [first, ...rest] }];
  });
}

/** Beyond this many, uncertain rules make their side UNKNOWN instead of being weighed. */
const MAX_UNCERTAIN_READINGS = 64;

/**
 * Readings for every way uncertain rules may turn out (each matches or not, independently): in
 * each tier, the first uncertain rule left in (or none), those before it left out. On one port
 * a tier is decided by its first matching rule, so these cover every combination. Undefined
 * when there are more than MAX_UNCERTAIN_READINGS.
 */
function uncertainReadings(
  rules: readonly ChainRule[],
  main: readonly number[],
): ChainReading[] | undefined {
  const byTier = new Map<TierName, number[]>();
  for (const index of main) {
    const rule = rules[index] as ChainRule;
    if (rule.uncertain) byTier.set(rule.tier, [...(byTier.get(rule.tier) ?? []), index]);
  }
  // Per tier, the uncertain rules left out, one choice per cut (the first: none, as in main).
  let choices: number[][] = [[]];
  for (const uncertain of byTier.values()) {
    const cuts = uncertain.map((_, cut) => uncertain.slice(0, cut + 1));
    choices = [...choices, ...choices.flatMap((left) => cuts.map((cut) => [...left, ...cut]))];
    if (choices.length > MAX_UNCERTAIN_READINGS + 1) return undefined;
  }
  return choices.slice(1).map((out) => {
    const left = new Set(out);
    // The reason: the first rule left out, which the main reading takes as matching.
    const first = rules[out[0] as number] as ChainRule;
    return {
      layer: first.uncertain as UndecidedLayer,
      order: main.filter((index) => !left.has(index)),
    };
  });
}

/**
 * The readings the API (and what could not be read) allows besides the main one; `undecided`:
 * the reasons of uncertain rules too many to weigh, which make the side UNKNOWN.
 */
function readingsOf(
  rules: readonly ChainRule[],
  enforcementUnread?: UnreadList,
): { readings: ChainReading[]; undecided: UndecidedLayer[] } {
  const main = mainReading(rules);
  const uncertain = rules.some((rule) => rule.uncertain) ? uncertainReadings(rules, main) : [];
  return {
    readings: [
      ...speculativeReadings(rules, main),
      ...equalPriorityReadings(rules, main),
      ...(uncertain ?? []),
      ...(enforcementUnread ? enforcementReadings(rules, main, enforcementUnread) : []),
      ...endPortReadings(rules, main),
      ...hostSubjectReadings(rules, main),
      ...refusalReadings(rules, main),
      ...supportReadings(rules, main),
    ],
    undecided: uncertain ? [] : rules.flatMap((rule) => (rule.uncertain ? [rule.uncertain] : [])),
  };
}

/** Whether a layer is about Node objects, which never match a host outside the cluster. */
const isAboutNodes = (layer: UndecidedLayer) =>
  layer.kind === 'nodes-not-given' || (layer.kind === 'unread' && layer.list.resource === 'nodes');

/**
 * A chain as it applies to a destination known only by its host name: the domainNames rules
 * that match the name match it for sure (they are no longer speculative), the others never do;
 * `nodes` peers never match it, so what hides nodes no longer matters. Such a chain is made per
 * connection and never memoised (its id is -1).
 */
export function chainForHostname(chain: RuleChain, hostname: string): RuleChain {
  const undecided = chain.undecided.filter((layer) => !isAboutNodes(layer));
  if (!chain.rules.some((rule) => rule.speculative) && undecided.length === chain.undecided.length)
    return chain;
  const rules = chain.rules.flatMap((rule): ChainRule[] => {
    if (!rule.speculative || rule.onlyIfAlways || rule.endPortsIgnoredBy) return [rule];
    if (rule.onlyIfHostPodsSelected || rule.origin.kind === 'cilium-sctp-dropped') return [rule];
    const names = rule.domainNames ?? [];
    if (!names.some((pattern) => domainNameMatches(pattern, hostname))) return [];
    const { speculative: _, ...matching } = rule;
    return [matching];
  });
  const weighed = readingsOf(rules, chain.enforcementUnread);
  return {
    ...chain,
    id: -1,
    rules,
    readings: weighed.readings,
    // The same layer objects as the chain's own when its uncertain rules were too many.
    undecided: [...new Set([...undecided, ...weighed.undecided])],
  };
}

/** What the cluster policies governing a side cannot decide without Node objects. */
function clusterLayers(
  governing: readonly CompiledClusterPolicy[],
  direction: Direction,
  cluster: ClusterPolicyChains,
): UndecidedLayer[] {
  const layers: UndecidedLayer[] = [];
  let needsNodes = false;
  for (const policy of governing) {
    const name = clusterPolicyName(policy.policy);
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (rule.nodes && !cluster.nodesGiven) layers.push({ kind: 'nodes-not-given', policy: name });
      needsNodes ||= rule.nodes;
    }
  }
  if (needsNodes) layers.push(...cluster.nodeLayers);
  return layers;
}

/**
 * A network plugin's own tiers (Calico's), which place the cluster policy tiers among them: the
 * rules of a side, and the ids of the plugin's policies applying to each pod (pods they govern
 * get their own chains).
 */
export interface PluginTiers {
  readonly applying: Readonly<Record<Direction, readonly (readonly number[])[]>>;
  rulesOf(
    direction: Direction,
    selecting: readonly CompiledPolicy[],
    admin: readonly ChainRule[],
    baseline: readonly ChainRule[],
    podIdx: number | undefined,
  ): { readonly rules: ChainRule[]; readonly undecided: readonly UndecidedLayer[] };
}

/**
 * The rules that accept traffic between a pod NetworkPolicies isolate and the host of its node
 * (a hostNetwork pod there, or its Node's address), one per direction, shared by every chain: the peer is relative to
 * the chain's pod, so chains do not split by node. Kubernetes: "traffic to and from the node
 * where a Pod is running is always allowed, regardless of the IP address of the Pod or the node"
 * (kubernetes.io/docs/concepts/services-networking/network-policies/, on ipBlock). It comes
 * after the Admin tier: ClusterNetworkPolicy rules apply as written, as the API says no
 * otherwise (network-policy-api site-src/api-overview.md), and its `nodes` peers select such
 * traffic. Where a network plugin's own policies take part (`plugin`), whether it exempts this
 * traffic is not modelled: the rule is speculative, and an answer it would change is UNKNOWN.
 * It is the plugin's configuration, not in the input: Calico's Felix applies its
 * `DefaultEndpointToHostAction` (Drop, Return or Accept) to a pod's traffic to its own host
 * "once it has completed processing workload endpoint egress policy" (Felix configuration docs,
 * quoted in github.com/kubernetes/kops/commit/1aef760), and Cilium's `--allow-localhost
 * {auto|always|policy}` decides "whether the localhost should be able to reach local
 * endpoints" (github.com/cilium/cilium/pull/754).
 */
function nodeLocalRules(plugin: 'Cilium' | 'Calico' | undefined): Record<Direction, ChainRule> {
  const rule = (): ChainRule => ({
    tier: 'node-local',
    action: 'accept',
    rank: 0,
    namespace: '',
    peers: [{ kind: 'node-host', index: 0 }],
    ports: [],
    origin: { kind: 'node-local' },
    ...(plugin
      ? { speculative: true, unreadLayer: { kind: 'node-local-plugin', plugin } as const }
      : {}),
  });
  return { ingress: rule(), egress: rule() };
}

/**
 * The rules of the NetworkPolicies selecting a hostNetwork pod on a plugin (`plugin`) that may
 * apply selectors to such pods or ignore them, each speculative: the node-local rule their
 * isolation brings, then their tier, together the reading where they apply. A node-local rule
 * in doubt itself (a plugin's own policies take part) is left out: the reading then admits
 * less, which can only make an answer UNKNOWN, never a wrong ALLOWED.
 */
function hostSubjectRules(
  policies: readonly CompiledPolicy[],
  direction: Direction,
  nodeLocal: readonly ChainRule[],
  plugin: string | undefined,
): ChainRule[] {
  if (plugin === undefined || policies.length === 0) return [];
  const layer: UndecidedLayer = {
    kind: 'host-network-subject',
    policies: policies.map((policy) => networkPolicyName(policy.ref)),
    plugin,
  };
  const sure = nodeLocal.filter((rule) => !rule.speculative);
  return [...sure, ...networkPolicyTier(policies, direction)].map((rule) => ({
    ...rule,
    speculative: true,
    onlyIfHostPodsSelected: layer,
  }));
}

/** The cluster policies of an analysis and which govern each pod, per direction. */
export interface ClusterPolicyChains {
  readonly policies: readonly CompiledClusterPolicy[];
  /** Ids of the cluster policies whose subject is each pod, per direction, by pod index. */
  readonly governing: Readonly<Record<Direction, readonly (readonly number[])[]>>;
  /** Whether the input gave Node objects (live, nodes are always listed). */
  readonly nodesGiven: boolean;
  /** Unread node lists: `nodes` peers cannot be matched for sure. */
  readonly nodeLayers: readonly UndecidedLayer[];
}

/**
 * Builds the chain of every pod in both directions: the Admin tier of the cluster policies
 * governing it, the NetworkPolicies isolating it (by policy id, per pod), the Baseline tier;
 * and what could not be seen. Cluster policies do not apply to hostNetwork pods;
 * NetworkPolicies selecting one apply only in the reading where the plugin applies selectors to
 * such pods, where it may (see hostSubjectRules).
 */
export function buildChains(
  pods: readonly Pod[],
  policies: readonly CompiledPolicy[],
  isolating: Readonly<Record<Direction, readonly (readonly number[])[]>>,
  cluster: ClusterPolicyChains,
  undecided: Undecided,
  cilium?: CiliumSelection,
  plugin?: PluginTiers,
  sctp?: CiliumSctp,
): PodChains {
  let nextId = 0;
  const sctpRule = sctp && sctp.kind !== 'passed' ? [ciliumSctpRule(sctp)] : [];
  const chainOf = (
    direction: Direction,
    selecting: readonly CompiledPolicy[],
    governing: readonly CompiledClusterPolicy[],
    layers: readonly UndecidedLayer[],
    podIdx?: number,
    ciliumSpecs: readonly CompiledCiliumSpec[] = [],
    ciliumAlways = false,
    enforcementUnread?: UnreadList,
    datapath: readonly ChainRule[] = [],
    nodeLocal: readonly ChainRule[] = [],
  ): RuleChain => {
    // A hostNetwork pod's NetworkPolicies apply only in a reading of their own.
    const onHost = pods[podIdx ?? -1]?.hostNetwork === true;
    const hostRules = onHost
      ? hostSubjectRules(selecting, direction, nodeLocal, undecided.hostNetworkPlugin)
      : [];
    const isolators = onHost ? [] : selecting;
    const pluginRules = plugin?.rulesOf(
      direction,
      isolators,
      clusterTier(governing, 'Admin', direction),
      clusterTier(governing, 'Baseline', direction),
      podIdx,
    );
    // Which plugin's layer applies is unknown: the Cilium specs make the side UNKNOWN instead.
    const ciliumUnknown = cilium?.undecided && ciliumSpecs.length > 0 ? [cilium.undecided] : [];
    // Said once where Calico's policies apply to the side too.
    const saidByPlugin = pluginRules?.undecided.some((layer) => layer.kind === 'plugin-unknown');
    const ciliumSource =
      ciliumUnknown.length > 0 ? [] : ciliumSpecs.flatMap((spec) => spec.rules[direction]);
    const isolating = [
      ...new Set(ciliumSpecs.filter((spec) => spec.defaultDeny[direction]).map((s) => s.name)),
    ];
    const ciliumIsolation =
      ciliumUnknown.length === 0 && (isolating.length > 0 || ciliumAlways)
        ? { policies: isolating, always: ciliumAlways }
        : undefined;
    const ciliumAllows = ciliumRules(ciliumSource.filter((rule) => !rule.deny));
    const allowTier = networkPolicyTier(
      isolators,
      direction,
      ciliumAllows,
      ciliumIsolation !== undefined,
      undecided.ciliumEndPortsUnknown,
    );
    // With the mode unread and nothing isolating the side, `always` would isolate it.
    const modeUnread = ciliumUnknown.length === 0 ? enforcementUnread : undefined;
    const alwaysTier =
      modeUnread && allowTier.length === 0
        ? networkPolicyTier([], direction, ciliumAllows, true)
            .filter((rule) => !rule.speculative)
            .map((rule) => ({ ...rule, speculative: true, onlyIfAlways: true }))
        : [];
    const mainNodeLocal = onHost ? [] : nodeLocal;
    const rules = [
      ...withRefusable(
        [
          ...datapath,
          ...((pluginRules && [...mainNodeLocal, ...pluginRules.rules]) ?? [
            ...clusterTier(governing, 'Admin', direction),
            ...mainNodeLocal,
            ...ciliumRules(ciliumSource.filter((rule) => rule.deny)),
            ...allowTier,
            ...alwaysTier,
            ...clusterTier(governing, 'Baseline', direction),
          ]),
        ],
        undecided.ciliumRefusable,
        [...isolators.map((policy) => networkPolicyName(policy.ref)), ...isolating],
        ciliumAlways,
      ),
      ...hostRules,
    ];
    const unsupported = ciliumSpecs.flatMap((spec): UndecidedLayer[] =>
      spec.unsupported.length > 0
        ? [{ kind: 'cilium-unsupported', policy: spec.name, fields: spec.unsupported }]
        : [],
    );
    const sideLayers = pluginRules ? [...layers, ...pluginRules.undecided] : layers;
    const namespaceLabels =
      hasNamespaceSelector(rules) && !sideLayers.some((l) => undecided.namespaceLabels.includes(l))
        ? undecided.namespaceLabels
        : [];
    // High-scale ipcache: egress rules may see a destination pod by its address alone.
    const highScaleLayer = undecided.ciliumHighScaleIpcache;
    const highScale =
      highScaleLayer && direction === 'egress' && !onHost
        ? highScaleReadings(rules, mainReading(rules), highScaleLayer)
        : { readings: [], undecided: [] };
    const weighed =
      governing.length > 0 ||
      modeUnread ||
      rules.some((rule) => rule.speculative || rule.uncertain || rule.refusable)
        ? readingsOf(rules, modeUnread)
        : { readings: [], undecided: [] };
    return {
      id: nextId++,
      direction,
      isolatedBy: isolators,
      clusterPolicies: governing,
      ...(ciliumIsolation ? { ciliumIsolation } : {}),
      rules,
      namedPorts: rules.some((rule) => rule.ports.some((port) => typeof port.port === 'string')),
      readings: [...weighed.readings, ...highScale.readings],
      ...(hostRules.length > 0 ? { hostNetworkSelecting: selecting } : {}),
      ...(modeUnread ? { enforcementUnread: modeUnread } : {}),
      undecided: [
        ...weighed.undecided,
        ...sideLayers,
        ...namespaceLabels,
        ...clusterLayers(governing, direction, cluster),
        ...unsupported,
        ...highScale.undecided,
        ...(saidByPlugin ? [] : ciliumUnknown),
      ],
    };
  };
  // Layers depend only on the namespace and hostNetwork: computed once per such group. Which
  // cluster policies select a pod depends on its namespace's labels.
  const subjectLayers =
    cluster.policies.length > 0 || (cilium?.specs.length ?? 0) > 0 ? undecided.namespaceLabels : [];
  // Cilium host policies (nodeSelector) govern the nodes, which hostNetwork pods share.
  const hostLayers = (cilium?.specs ?? []).flatMap((spec): UndecidedLayer[] =>
    spec.hostPolicy ? [{ kind: 'cilium-host-policy', policy: spec.name }] : [],
  );
  // The host of a node shows as its hostNetwork pods, or as its Node's addresses.
  const hostPods = cluster.nodesGiven || pods.some((pod) => pod.hostNetwork);
  const nodeLocalRule = nodeLocalRules(cilium ? 'Cilium' : plugin ? 'Calico' : undefined);
  const layersByGroup = new Map<string, readonly UndecidedLayer[]>();
  const layersOf = (pod: Pod, group: string) => {
    let layers = layersByGroup.get(group);
    if (!layers) {
      layers = [...undecided.forPod(pod), ...(pod.hostNetwork ? hostLayers : subjectLayers)];
      layersByGroup.set(group, layers);
    }
    return layers;
  };
  const interned = { ingress: new Map<string, RuleChain>(), egress: new Map<string, RuleChain>() };
  const podChainOf = (direction: Direction, podIdx: number): RuleChain => {
    const pod = pods[podIdx];
    if (!pod) throw new Error(`internal: no pod at index ${podIdx}`);
    // A hostNetwork pod's NetworkPolicies count only where the plugin may apply them to it.
    const ids =
      pod.hostNetwork && undecided.hostNetworkPlugin === undefined
        ? []
        : (isolating[direction][podIdx] ?? []);
    const clusterIds = cluster.governing[direction][podIdx] ?? [];
    const ciliumIds = pod.hostNetwork ? [] : (cilium?.selecting[direction][podIdx] ?? []);
    const always = cilium?.enforcement === 'always' && !pod.hostNetwork;
    // An unread mode changes nothing for hostNetwork pods (the host's, never an endpoint's).
    const modeUnread = pod.hostNetwork ? undefined : cilium?.enforcementUnread;
    const group = `${pod.hostNetwork}/${pod.namespace}`;
    const layers = layersOf(pod, group);
    // Pods alike in policies (and, when something is undecided, in group) share a chain.
    const pluginIds = plugin?.applying[direction][podIdx] ?? [];
    // A plugin's rules may hold conditions on the pod itself: its chains are the pod's own.
    const pluginKey = pluginIds.length > 0 ? `|${podIdx}` : '';
    // Cilium's datapath drops SCTP at its endpoints, which hostNetwork pods are not.
    const datapath = pod.hostNetwork ? [] : sctpRule;
    // The node-local rule is relative to the pod: it adds nothing to tell chains apart.
    const nodeLocal = ids.length > 0 && hostPods ? nodeLocalRule[direction] : undefined;
    const hostKey = pod.hostNetwork && ids.length > 0 ? 'host' : '';
    const policyKey = `${hostKey}${ids.join(',')}|${clusterIds.join(',')}|${ciliumIds.join(',')}|${always}|${modeUnread !== undefined}|${datapath.length}${pluginKey}`;
    const key = layers.length === 0 ? policyKey : `${policyKey}|${group}`;
    let chain = interned[direction].get(key);
    if (!chain) {
      const selecting = ids.map((id) => policies[id] as CompiledPolicy);
      const governing = clusterIds.map((id) => cluster.policies[id] as CompiledClusterPolicy);
      const ciliumSpecs = ciliumIds.map((id) => cilium?.specs[id] as CompiledCiliumSpec);
      chain = chainOf(
        direction,
        selecting,
        governing,
        layers,
        podIdx,
        ciliumSpecs,
        always,
        modeUnread,
        datapath,
        nodeLocal ? [nodeLocal] : [],
      );
      interned[direction].set(key, chain);
    }
    return chain;
  };
  return new LazyPodChains(pods.length, podChainOf, {
    ingress: chainOf('ingress', [], [], undecided.addresses),
    egress: chainOf('egress', [], [], undecided.addresses),
  });
}

/** Pod chains kept as they are built, by direction and pod index. */
class LazyPodChains implements PodChains {
  private readonly chains: Record<Direction, (RuleChain | undefined)[]>;
  /** Whether every pod's chain of a direction is built: `all` then hands its list out as it is. */
  private readonly complete: Record<Direction, boolean> = { ingress: false, egress: false };
  private count = 0;

  constructor(
    podCount: number,
    private readonly build: (direction: Direction, podIdx: number) => RuleChain,
    readonly external: Readonly<Record<Direction, RuleChain>>,
  ) {
    this.chains = { ingress: new Array(podCount), egress: new Array(podCount) };
  }

  get built(): number {
    return this.count;
  }

  of(direction: Direction, podIdx: number): RuleChain {
    const chains = this.chains[direction];
    let chain = chains[podIdx];
    if (!chain) {
      chain = this.build(direction, podIdx);
      chains[podIdx] = chain;
      this.count++;
    }
    return chain;
  }

  all(direction: Direction): readonly RuleChain[] {
    const chains = this.chains[direction];
    if (!this.complete[direction]) {
      for (let podIdx = 0; podIdx < chains.length; podIdx++) this.of(direction, podIdx);
      this.complete[direction] = true;
    }
    return chains as readonly RuleChain[];
  }
}
