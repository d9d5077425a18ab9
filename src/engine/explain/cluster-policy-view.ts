import type { Analysis, Direction } from '../compile/compile.js';
import {
  type ClusterNetworkPolicy,
  type ClusterPolicyRule,
  clusterPolicyName,
} from '../model/cluster-policy.js';
import type { Cluster } from '../model/types.js';
import { closestNames } from '../primitives/closest-names.js';
import { type PolicyEffect, policyEffect } from '../scaffold/effect.js';
import { type PodSample, podSample } from './policy-view.js';

/** One rule of a cluster policy, in its direction and place. */
export interface ClusterRuleView {
  readonly direction: Direction;
  readonly index: number;
  readonly rule: ClusterPolicyRule;
}

/** What one cluster policy does in a snapshot. */
export interface ClusterPolicyView {
  /** `cnp/NAME` (or anp/, banp/ for the deprecated kinds). */
  readonly name: string;
  readonly tier: ClusterNetworkPolicy['tier'];
  readonly priority: number;
  /** Pods it governs in either direction. */
  readonly selected: PodSample;
  readonly rules: readonly ClusterRuleView[];
  /** Flows that open (opened) or close (closed) because of it, against the snapshot without it. */
  readonly effect: PolicyEffect;
}

/** Finds a cluster policy by `cnp/NAME` (or anp/, banp/): the policy, or the closest names. */
export function findClusterPolicy(
  cluster: Cluster,
  name: string,
): { ok: true; policy: ClusterNetworkPolicy } | { ok: false; suggestions: readonly string[] } {
  const policies = cluster.clusterPolicies ?? [];
  const policy = policies.find((p) => clusterPolicyName(p) === name);
  if (policy) return { ok: true, policy };
  return { ok: false, suggestions: closestNames(name, policies.map(clusterPolicyName)) };
}

/**
 * What a cluster policy of the snapshot governs, its rules, and the flows it opens or closes:
 * the effect of adding it to the snapshot without it, computed with the one kernel.
 */
export function clusterPolicyView(
  analysis: Analysis,
  policy: ClusterNetworkPolicy,
): ClusterPolicyView {
  const governs = (podIdx: number) =>
    (['ingress', 'egress'] as const).some((direction) =>
      analysis.chains[direction][podIdx]?.clusterPolicies.some((c) => c.policy === policy),
    );
  const selected = analysis.pods.flatMap((_, idx) => (governs(idx) ? [idx] : []));
  const rules = (['ingress', 'egress'] as const).flatMap((direction) =>
    policy[direction].map((rule, index) => ({ direction, index, rule })),
  );
  const cluster = analysis.cluster;
  const without = {
    ...cluster,
    clusterPolicies: (cluster.clusterPolicies ?? []).filter((p) => p !== policy),
  };
  return {
    name: clusterPolicyName(policy),
    tier: policy.tier,
    priority: policy.priority,
    selected: podSample(analysis, selected),
    rules,
    effect: policyEffect(without, [policy]),
  };
}
