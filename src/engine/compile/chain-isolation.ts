import type { ChainRule, CiliumIsolation, RuleAction, RuleChain } from './chains.js';
import type { Direction, PolicyRef } from './compile.js';

/** A Calico rule that matches every connection of its side: its tier's end is never reached past it. */
export interface CalicoCatchAll {
  readonly tier: string;
  readonly action: RuleAction;
  /** The policy's kubectl name. */
  readonly policy: string;
  readonly direction: Direction;
  readonly ruleIndex: number;
}

/** A Calico tier whose policies apply to a side and that denies what they leave. */
export interface CalicoTierIsolation {
  readonly tier: string;
  /** The tier's Calico policies that apply to the side (kubectl names). */
  readonly policies: readonly string[];
  /** The rule denying every connection the earlier rules leave; absent: the tier's default Deny. */
  readonly denyAll?: CalicoCatchAll;
}

/** The catch-all a chain rule is: a Calico rule naming no peer, port or condition the engine cannot decide. */
function catchAllOf(rule: ChainRule): CalicoCatchAll | undefined {
  const { origin } = rule;
  if (origin.kind !== 'calico-rule' || rule.speculative) return undefined;
  const { rule: calico, policy } = origin;
  const everything =
    rule.peers.length === 0 &&
    rule.ports.length === 0 &&
    calico.local === undefined &&
    calico.unevaluated.length === 0;
  if (!everything) return undefined;
  const { action } = rule;
  return {
    tier: policy.policy.tier,
    action,
    policy: policy.name,
    direction: calico.direction,
    ruleIndex: calico.index,
  };
}

/** Per Calico tier of a chain, its first rule that matches every connection, in tier order. */
export function calicoCatchAlls(chain: RuleChain): CalicoCatchAll[] {
  const found = new Map<string, CalicoCatchAll>();
  for (const rule of chain.rules) {
    const catchAll = catchAllOf(rule);
    if (catchAll && !found.has(catchAll.tier)) found.set(catchAll.tier, catchAll);
  }
  return [...found.values()];
}

/**
 * The Calico tiers isolating a chain's side: by a rule denying every connection left, or by a
 * default Deny that connections can reach (no earlier rule of the tier matches them all). The
 * default tier's NetworkPolicies are left out: `isolatedBy` names them already.
 */
export function calicoIsolation(chain: RuleChain): CalicoTierIsolation[] {
  const catchAlls = new Map(calicoCatchAlls(chain).map((c) => [c.tier, c]));
  return chain.rules.flatMap((rule): CalicoTierIsolation[] => {
    const origin = rule.origin;
    if (origin.kind !== 'calico-tier-end') return [];
    const catchAll = catchAlls.get(origin.tier);
    const denyAll = catchAll?.action === 'deny' ? catchAll : undefined;
    if (catchAll ? !denyAll : origin.defaultAction !== 'Deny') return [];
    const policies = origin.policies.filter((name) => !name.startsWith('networkpolicy/'));
    if (policies.length === 0) return [];
    return [{ tier: origin.tier, policies, ...(denyAll ? { denyAll } : {}) }];
  });
}

/**
 * Whether any enforced layer isolates the chain's side: a NetworkPolicy selecting it, Cilium's
 * default-deny, or a Calico tier with a default Deny whose policies apply to it.
 */
export function isIsolated(chain: RuleChain): boolean {
  return (
    chain.isolatedBy.length > 0 ||
    chain.ciliumIsolation !== undefined ||
    calicoIsolation(chain).length > 0
  );
}

/** The layers isolating a chain's side, named: NetworkPolicies, Cilium's default-deny, Calico tiers. */
export function isolationSources(chain: RuleChain): {
  policies: PolicyRef[];
  cilium?: CiliumIsolation;
  calico?: CalicoTierIsolation[];
} {
  const calico = calicoIsolation(chain);
  return {
    policies: chain.isolatedBy.map((policy) => policy.ref),
    ...(chain.ciliumIsolation ? { cilium: chain.ciliumIsolation } : {}),
    ...(calico.length > 0 ? { calico } : {}),
  };
}

/** The Calico policies of a chain, in evaluation order (Kubernetes NetworkPolicies left out). */
export function calicoPolicies(chain: RuleChain): string[] {
  const names = chain.rules.flatMap(({ origin }) => {
    if (origin.kind === 'calico-rule') return [origin.policy.name];
    if (origin.kind !== 'calico-tier-end') return [];
    return origin.policies.filter((name) => !name.startsWith('networkpolicy/'));
  });
  return [...new Set(names)];
}

/**
 * Every policy selecting a chain's side in an enforced layer, each once: the NetworkPolicies
 * isolating it (`NS/NAME`), then Cilium's and Calico's (kubectl names).
 */
export function selectingPolicies(chain: RuleChain): string[] {
  const cilium = chain.rules.flatMap(({ origin }) =>
    origin.kind === 'cilium-rule' ? [origin.rule.name] : [],
  );
  return [
    ...new Set([
      ...chain.isolatedBy.map((policy) => `${policy.ref.namespace}/${policy.ref.name}`),
      ...(chain.ciliumIsolation?.policies ?? []),
      ...cilium,
      ...calicoPolicies(chain),
    ]),
  ];
}
