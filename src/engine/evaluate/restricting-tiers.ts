import { type ChainRule, mainReading, type RuleChain, type TierName } from '../compile/chains.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { endpointChain, type PodEndpoint } from '../compile/endpoint.js';
import { NO_NAMED_PORTS, type PortResolver } from '../compile/named-ports.js';
import { clusterPolicyName } from '../model/cluster-policy.js';
import { type DenyDoubt, type DenyReach, DenyReaches, PeerCandidates } from './deny-reach.js';

/**
 * A tier of a side's chain that denies some of its connections: an Admin or Baseline cluster
 * policy's Deny rule, Cilium's deny rules (or its datapath dropping SCTP), a Calico rule or
 * tier end that denies.
 */
export interface RestrictingTier {
  readonly tier: TierName;
  /** The policies whose rules deny there (kubectl names); empty for Cilium's datapath. */
  readonly policies: readonly string[];
  /**
   * Absent when the tier denies some connection with a pod of the input or an address outside
   * them; else why it may deny some all the same (see DenyDoubt), kept as restricting.
   */
  readonly doubts?: readonly DenyDoubt[];
}

/** The policies a denying rule stands for, by kubectl name. */
function policiesOf(rule: ChainRule): string[] {
  const { origin } = rule;
  switch (origin.kind) {
    case 'cluster-policy-rule':
      return [clusterPolicyName(origin.policy.policy)];
    case 'cilium-rule':
      return [origin.rule.name];
    case 'calico-rule':
      return [origin.policy.name];
    case 'calico-tier-end':
      return origin.policies.filter((name) => !name.startsWith('networkpolicy/'));
    default:
      return [];
  }
}

/**
 * Denials merged by tier, in the order tiers first come: a tier denies surely when one of its
 * denials does (then by the policies of those), else maybe, for every doubt given.
 */
export function mergeRestrictingTiers(denials: readonly RestrictingTier[]): RestrictingTier[] {
  const byTier = new Map<TierName, RestrictingTier[]>();
  for (const denial of denials)
    byTier.set(denial.tier, [...(byTier.get(denial.tier) ?? []), denial]);
  return [...byTier].map(([tier, ofTier]) => {
    const sure = ofTier.filter((denial) => !denial.doubts);
    const policies = [...new Set((sure.length > 0 ? sure : ofTier).flatMap((d) => d.policies))];
    if (sure.length > 0) return { tier, policies };
    return { tier, policies, doubts: [...new Set(ofTier.flatMap((d) => d.doubts ?? []))] };
  });
}

/** A Deny rule of a chain and how it reaches the other side. */
interface RuleDenial {
  readonly rule: ChainRule;
  readonly reach: Exclude<DenyReach, { readonly kind: 'none' }>;
}

/**
 * The Deny rules of a chain's main reading that deny some connection the side would otherwise
 * admit: the kernel's walk for some pod of the input or address outside them on the other side
 * reaches the rule past the Accept, Deny and Pass rules before it that match that peer too.
 * Where only peers the input cannot list or tell may reach it, it counts with its doubts.
 */
function ruleDenials(reaches: DenyReaches, chain: RuleChain): RuleDenial[] {
  return mainReading(chain.rules).flatMap((index): RuleDenial[] => {
    const rule = chain.rules[index] as ChainRule;
    if (rule.action !== 'deny') return [];
    const reach = reaches.of(index);
    return reach.kind === 'none' ? [] : [{ rule, reach }];
  });
}

/** Whether the only pod a rule denies for sure is the given one (its traffic with itself). */
const onlyItself = ({ reach }: RuleDenial, podIdx: number) =>
  reach.kind === 'sure' && reach.pods.length === 1 && reach.pods[0] === podIdx;

/** Rule denials as tiers, in evaluation order. */
function restrictingTiers(denials: readonly RuleDenial[]): RestrictingTier[] {
  return mergeRestrictingTiers(
    denials.map(({ rule, reach }) => {
      const denial = { tier: rule.tier, policies: policiesOf(rule) };
      return reach.kind === 'sure' ? denial : { ...denial, doubts: reach.doubts };
    }),
  );
}

/**
 * How named ports may resolve on the destinations of a pod's side: on the pod itself for
 * ingress; for egress, on any pod of the analysis or on none (an address outside the cluster).
 */
function sideResolvers(
  analysis: Analysis,
  endpoint: PodEndpoint,
  direction: Direction,
  chain: RuleChain,
): readonly PortResolver[] {
  if (!chain.namedPorts) return [NO_NAMED_PORTS];
  const { resolvers } = analysis.namedPorts;
  if (direction === 'ingress') return [resolvers[endpoint.podIdx] ?? NO_NAMED_PORTS];
  return [...new Set([NO_NAMED_PORTS, ...resolvers])];
}

/** What podRestrictingTiers keeps between the pods of one analysis. */
export interface RestrictingTiersMemo {
  /** The Deny rules of chains that deny, kept by chain and what else of a pod they depend on. */
  readonly denials: Map<string, readonly RuleDenial[]>;
  /** The pods the peers of Deny rules may match. */
  readonly candidates: PeerCandidates;
}

/** An empty memo for the pods of `analysis`. */
export function restrictingTiersMemo(analysis: Analysis): RestrictingTiersMemo {
  return { denials: new Map(), candidates: new PeerCandidates(analysis) };
}

/**
 * The tiers that deny some connections of a pod's side (see ruleDenials); `memo` keeps the
 * answers of chains many pods share: they depend on a pod's named ports only where they resolve
 * on it (ingress), on its address families, and on the pod itself only where a Deny rule
 * denies it alone (its traffic with itself is allowed): then it is left out.
 */
export function podRestrictingTiers(
  analysis: Analysis,
  endpoint: PodEndpoint,
  direction: Direction,
  memo: RestrictingTiersMemo = restrictingTiersMemo(analysis),
): RestrictingTier[] {
  const chain = endpointChain(analysis, endpoint, direction);
  if (!chain.rules.some((rule) => rule.action === 'deny')) return [];
  const { podIdx } = endpoint;
  const ownPorts = direction === 'ingress' && chain.namedPorts;
  const signature = ownPorts ? analysis.namedPorts.signatures[podIdx] : '';
  const families = analysis.podAddresses.familiesOf(podIdx).join('');
  const key = `${direction}:${chain.id}:${signature}:${families}`;
  const resolvers = sideResolvers(analysis, endpoint, direction, chain);
  const denialsOf = (key: string, excluded?: number) => {
    let denials = memo.denials.get(key);
    if (!denials) {
      const reaches = new DenyReaches(
        analysis,
        memo.candidates,
        chain,
        endpoint,
        resolvers,
        excluded,
      );
      denials = ruleDenials(reaches, chain);
      memo.denials.set(key, denials);
    }
    return denials;
  };
  const denials = denialsOf(key);
  if (!denials.some((denial) => onlyItself(denial, podIdx))) return restrictingTiers(denials);
  return restrictingTiers(denialsOf(`${key}:${podIdx}`, podIdx));
}
