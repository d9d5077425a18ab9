import { isIsolated, isolationSources } from '../compile/chain-isolation.js';
import type { ChainRule, RuleChain } from '../compile/chains.js';
import type { CompiledPolicy, Direction } from '../compile/compile.js';
import { rulePortSet } from '../evaluate/port-match.js';
import {
  intersectPortSets,
  isEmptyPortSet,
  type PortSet,
  subtractPortSets,
} from '../primitives/port-set.js';
import type { ChainFlow } from './cluster-flows.js';

/** How one rule fared over every class of connections of the chains holding it. */
export interface RuleUse {
  /** The rule as one chain holds it (its origin, tier and action are the same in all). */
  readonly rule: ChainRule;
  /** Whether it matches some connection. */
  matched: boolean;
  /** Whether it decides some connection, in some reading. */
  decided: boolean;
  /** Earlier rules (main reading) deciding what it matches, by their source rule. */
  readonly blockers: Map<unknown, ChainRule>;
  /** A Pass rule: whether it passes some connection on, and whether a later rule then decides it. */
  passes: boolean;
  passFollowed: boolean;
  /** Whether some chain holding it is not isolated by any enforced layer. */
  unisolated: boolean;
  /** The NetworkPolicies isolating the chains holding it. */
  readonly isolatedBy: Set<CompiledPolicy>;
  /** The Cilium and Calico policies isolating them (kubectl names). */
  readonly isolatedByPlugin: Set<string>;
  /** Whether Cilium's `enable-policy: always` isolates some of them. */
  ciliumAlways: boolean;
}

/** Whether a NetworkPolicy matters in one direction, and the Admin rules deciding before it. */
export interface PolicyUse {
  readonly policy: CompiledPolicy;
  readonly direction: Direction;
  /** Some connection of its pods reaches the NetworkPolicy tier. */
  relevant: boolean;
  readonly deciders: Map<unknown, ChainRule>;
}

/** Rules and NetworkPolicies as the walked connections used them. */
export interface RuleUses {
  readonly rules: ReadonlyMap<unknown, RuleUse>;
  readonly policies: ReadonlyMap<string, PolicyUse>;
}

/** The rule a chain rule comes from, shared by every chain holding it. */
export function sourceOf(rule: ChainRule): unknown {
  const { origin } = rule;
  if (origin.kind === 'networkpolicy-isolation') return 'isolation';
  if (origin.kind === 'node-local') return rule;
  return origin.kind === 'calico-tier-end' || origin.kind === 'cilium-sctp-dropped'
    ? origin
    : origin.rule;
}

const overlaps = (a: PortSet, b: PortSet) => !isEmptyPortSet(intersectPortSets(a, b));

/** Whether a later rule than a Pass decides (Admin), or overlaps (Baseline), what it passed on. */
function passFollowed(flow: ChainFlow, index: number, passed: PortSet): boolean {
  const { chain } = flow;
  const pass = chain.rules[index] as ChainRule;
  if (pass.tier === 'baseline') {
    return flow.hits.some((j) => {
      const later = chain.rules[j] as ChainRule;
      return (
        j > index &&
        later.tier === 'baseline' &&
        !later.speculative &&
        overlaps(rulePortSet(later.ports, flow.resolve), passed)
      );
    });
  }
  return [...flow.main.decided].some(([j, ports]) => {
    const later = chain.rules[j] as ChainRule;
    return later.tier !== pass.tier && later.action !== 'pass' && overlaps(ports, passed);
  });
}

function ruleUseOf(uses: Map<unknown, RuleUse>, rule: ChainRule): RuleUse {
  const key = sourceOf(rule);
  let use = uses.get(key);
  if (!use) {
    use = {
      rule,
      matched: false,
      decided: false,
      blockers: new Map(),
      passes: false,
      passFollowed: false,
      unisolated: false,
      isolatedBy: new Set(),
      isolatedByPlugin: new Set(),
      ciliumAlways: false,
    };
    uses.set(key, use);
  }
  return use;
}

/** What one class of connections tells about the rules it hits. */
function recordFlow(uses: Map<unknown, RuleUse>, flow: ChainFlow): void {
  const { chain, main } = flow;
  for (const index of flow.hits) {
    const rule = chain.rules[index] as ChainRule;
    if (rule.speculative || rule.origin.kind === 'networkpolicy-isolation') continue;
    const matched = rulePortSet(rule.ports, flow.resolve);
    if (isEmptyPortSet(matched)) continue;
    const use = ruleUseOf(uses, rule);
    use.matched = true;
    const mine = main.decided.get(index);
    if (mine || flow.readings.some(({ walk }) => walk.decided.has(index))) use.decided = true;
    if (mine && rule.action === 'pass') {
      use.passes = true;
      use.passFollowed ||= passFollowed(flow, index, mine);
    }
    const blocked = mine ? subtractPortSets(matched, mine) : matched;
    if (isEmptyPortSet(blocked)) continue;
    for (const [j, ports] of main.decided) {
      if (j >= index) break;
      const earlier = chain.rules[j] as ChainRule;
      // A Pass of an earlier tier leaves the connection to the later tiers.
      if (earlier.tier !== rule.tier && earlier.action === 'pass') continue;
      if (overlaps(ports, blocked)) use.blockers.set(sourceOf(earlier), earlier);
    }
  }
}

/**
 * Which NetworkPolicies of a flow's chain it reaches, or which Admin rules decide it before.
 * Only connections between the snapshot's pods count: Admin ingress rules cannot name outside
 * addresses, so otherwise no ingress policy could ever be overruled.
 */
function recordPolicies(policies: Map<string, PolicyUse>, flow: ChainFlow): void {
  const { chain } = flow;
  if (flow.other.kind !== 'pod') return;
  const decisions = [...flow.main.decided.keys()].map((j) => chain.rules[j] as ChainRule);
  const reached = decisions.some((rule) => rule.tier === 'networkpolicy');
  for (const policy of chain.isolatedBy) {
    const use = policyUseOf(policies, policy, chain.direction);
    use.relevant ||= reached;
    if (reached) continue;
    for (const rule of decisions) {
      if (rule.tier === 'admin' && rule.action !== 'pass') use.deciders.set(sourceOf(rule), rule);
    }
  }
}

function policyUseOf(
  policies: Map<string, PolicyUse>,
  policy: CompiledPolicy,
  direction: Direction,
): PolicyUse {
  const key = `${policy.id}/${direction}`;
  let use = policies.get(key);
  if (!use) {
    use = { policy, direction, relevant: false, deciders: new Map() };
    policies.set(key, use);
  }
  return use;
}

/**
 * How the walked connections used each rule of the chains cluster policies govern, and each
 * NetworkPolicy isolating their pods; `otherChains` are the chains no cluster policy governs,
 * where NetworkPolicies decide alone.
 */
export function ruleUses(flows: readonly ChainFlow[], otherChains: readonly RuleChain[]): RuleUses {
  const rules = new Map<unknown, RuleUse>();
  const policies = new Map<string, PolicyUse>();
  const chains = new Set<RuleChain>();
  for (const flow of flows) {
    recordFlow(rules, flow);
    recordPolicies(policies, flow);
    chains.add(flow.chain);
  }
  for (const chain of chains) {
    for (const rule of chain.rules) {
      if (rule.origin.kind !== 'cluster-policy-rule' || rule.speculative) continue;
      const use = ruleUseOf(rules, rule);
      use.unisolated ||= !isIsolated(chain);
      for (const policy of chain.isolatedBy) use.isolatedBy.add(policy);
      const { cilium, calico } = isolationSources(chain);
      for (const name of cilium?.policies ?? []) use.isolatedByPlugin.add(name);
      for (const tier of calico ?? [])
        for (const name of tier.policies) use.isolatedByPlugin.add(name);
      use.ciliumAlways ||= cilium?.always ?? false;
    }
  }
  // Where no cluster policy governs, NetworkPolicies and their rules decide alone.
  for (const chain of otherChains) {
    for (const policy of chain.isolatedBy) {
      policyUseOf(policies, policy, chain.direction).relevant = true;
    }
    for (const rule of chain.rules) {
      if (rule.origin.kind === 'networkpolicy-rule') ruleUseOf(rules, rule).decided = true;
    }
  }
  return { rules, policies };
}
