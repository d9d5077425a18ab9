import type { CiliumIsolation, RuleChain } from './chains.js';
import type { PolicyRef } from './compile.js';

/** A Calico tier whose policies apply to a side and whose default action denies what they leave. */
export interface CalicoTierIsolation {
  readonly tier: string;
  /** The tier's Calico policies that apply to the side (kubectl names). */
  readonly policies: readonly string[];
}

/**
 * The Calico tiers isolating a chain's side. The default tier's NetworkPolicies are left out:
 * `isolatedBy` names them already.
 */
export function calicoIsolation(chain: RuleChain): CalicoTierIsolation[] {
  return chain.rules.flatMap((rule): CalicoTierIsolation[] => {
    const origin = rule.origin;
    if (origin.kind !== 'calico-tier-end' || origin.defaultAction !== 'Deny') return [];
    const policies = origin.policies.filter((name) => !name.startsWith('networkpolicy/'));
    return policies.length > 0 ? [{ tier: origin.tier, policies }] : [];
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
