import { type ChainRule, mainReading, type RuleChain, type TierName } from '../compile/chains.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { endpointChain, type PodEndpoint } from '../compile/endpoint.js';
import { NO_NAMED_PORTS, type PortResolver } from '../compile/named-ports.js';
import { clusterPolicyName } from '../model/cluster-policy.js';
import { admittedPorts } from './kernel.js';

/**
 * A tier of a side's chain that denies some of its connections: an Admin or Baseline cluster
 * policy's Deny rule, Cilium's deny rules (or its datapath dropping SCTP), a Calico rule or
 * tier end that denies.
 */
export interface RestrictingTier {
  readonly tier: TierName;
  /** The policies whose rules deny there (kubectl names); empty for Cilium's datapath. */
  readonly policies: readonly string[];
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
 * Whether the rule at `index` decides some connection in the kernel's walk of the main reading
 * when its peers match and, of the other rules, only those without peers (which match anyone):
 * that is when the most of the chain's connections reach it, so a rule that decides nothing
 * then decides nothing for any peer. Named ports resolve by each of `resolvers`.
 */
function decidesSome(
  chain: RuleChain,
  anyone: readonly number[],
  index: number,
  resolvers: readonly PortResolver[],
): boolean {
  const hits = anyone.includes(index) ? anyone : [...anyone, index].sort((a, b) => a - b);
  return resolvers.some((resolve) => {
    let decided = false;
    admittedPorts(chain, hits, resolve, undefined, (visited) => {
      if (visited === index) decided = true;
    });
    return decided;
  });
}

/**
 * The tiers of a chain that may deny a connection, in evaluation order, each with the policies
 * whose rules do: from the kernel's tier answers (a Deny rule some connection reaches past the
 * Accept, Deny and Pass rules before it), not from NetworkPolicy isolation alone.
 */
function restrictingTiers(chain: RuleChain, resolvers: readonly PortResolver[]): RestrictingTier[] {
  const main = mainReading(chain.rules);
  const anyone = main.filter((index) => (chain.rules[index] as ChainRule).peers.length === 0);
  return mergeRestrictingTiers(
    main.flatMap((index) => {
      const rule = chain.rules[index] as ChainRule;
      if (rule.action !== 'deny' || !decidesSome(chain, anyone, index, resolvers)) return [];
      return [{ tier: rule.tier, policies: policiesOf(rule) }];
    }),
  );
}

/** Tiers named more than once as one each, in the order first named, each policy once. */
export function mergeRestrictingTiers(tiers: readonly RestrictingTier[]): RestrictingTier[] {
  const byTier = new Map<TierName, Set<string>>();
  for (const { tier, policies } of tiers) {
    const named = byTier.get(tier) ?? new Set<string>();
    for (const policy of policies) named.add(policy);
    byTier.set(tier, named);
  }
  return [...byTier].map(([tier, policies]) => ({ tier, policies: [...policies] }));
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

/** Answers of restrictingTiers kept by chain and named-port resolution, for pods that share them. */
export type RestrictingTiersMemo = Map<string, RestrictingTier[]>;

/**
 * The tiers that may deny some connections of a pod's side (see restrictingTiers); `memo`
 * keeps the answers of chains many pods share.
 */
export function podRestrictingTiers(
  analysis: Analysis,
  endpoint: PodEndpoint,
  direction: Direction,
  memo: RestrictingTiersMemo = new Map(),
): RestrictingTier[] {
  const chain = endpointChain(analysis, endpoint, direction);
  // Only an ingress side's named ports resolve on the pod itself: its own way, then.
  const ownPorts = direction === 'ingress' && chain.namedPorts;
  const key = `${direction}:${chain.id}:${ownPorts ? analysis.namedPorts.signatures[endpoint.podIdx] : ''}`;
  let tiers = memo.get(key);
  if (!tiers) {
    tiers = restrictingTiers(chain, sideResolvers(analysis, endpoint, direction, chain));
    memo.set(key, tiers);
  }
  return tiers;
}
