import type { ChainRule } from '../compile/chains.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { isTrafficToItself, podEndpoint } from '../compile/endpoint.js';
import type { PortResolver } from '../compile/named-ports.js';
import { endpointPeerTest } from '../evaluate/connections.js';
import { matchingRules, ruleDecisions } from '../evaluate/rule-decisions.js';
import {
  type ClusterNetworkPolicy,
  type ClusterPolicyRule,
  clusterPolicyName,
} from '../model/cluster-policy.js';
import type { Cluster } from '../model/types.js';
import { closestNames } from '../primitives/closest-names.js';
import type { PortSet } from '../primitives/port-set.js';
import { type PolicyEffect, policyEffect } from '../scaffold/effect.js';
import { type PodSample, podSample } from './policy-view.js';

/** A flow between two pods that one rule decides, on the ports it decides. */
export interface RuleFlow {
  /** Pod ids. */
  readonly from: string;
  readonly to: string;
  readonly ports: PortSet;
  /**
   * A pod's traffic to itself: never restricted when it uses its own pod IP, but decided by the
   * rule when a Service sends it back to the pod (hairpin).
   */
  readonly itself?: true;
}

/** One rule of a cluster policy, in its direction and place, and the flows it decides. */
export interface ClusterRuleView {
  readonly direction: Direction;
  readonly index: number;
  readonly rule: ClusterPolicyRule;
  /** Pod-to-pod flows the rule is the first of its tier to match (its action says what it does). */
  readonly flows: readonly RuleFlow[];
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
 * The pod-to-pod flows each rule of the policy decides (keyed `direction/index`), as the kernel
 * walks the chain of every pod it governs: a rule decides a flow's ports when it is the first
 * of its tier to match them and no earlier tier has decided them. Pairs whose chain, matching
 * rules and named ports agree share one walk.
 */
function ruleFlows(analysis: Analysis, policy: ClusterNetworkPolicy): Map<string, RuleFlow[]> {
  const flows = new Map<string, RuleFlow[]>();
  const walks = new Map<string, ReadonlyMap<number, PortSet>>();
  const hitsOf = new Map<string, number[]>();
  const ownRule = (rule: ChainRule | undefined) =>
    rule?.origin.kind === 'cluster-policy-rule' && rule.origin.policy.policy === policy;
  for (const direction of ['ingress', 'egress'] as const) {
    analysis.chains.all(direction).forEach((chain, subject) => {
      if (!chain.clusterPolicies.some((c) => c.policy === policy)) return;
      const self = podEndpoint(analysis, subject);
      analysis.pods.forEach((_, other) => {
        const peer = podEndpoint(analysis, other);
        // Pods governed alike share a chain: which of its rules match a pod is asked once (per
        // node for a host, which the chain's node-local rule matches on its own node only).
        const node = peer.pod.hostNetwork ? `|${self.pod.nodeName ?? ''}` : '';
        const hitsKey = `${chain.id}|${other}${node}`;
        let hits = hitsOf.get(hitsKey);
        if (!hits) {
          hits = matchingRules(chain, endpointPeerTest(analysis, peer, 'outside', self));
          hitsOf.set(hitsKey, hits);
        }
        if (!hits.some((index) => ownRule(chain.rules[index]))) return;
        const destination = direction === 'ingress' ? subject : other;
        const signature = chain.namedPorts ? analysis.namedPorts.signatures[destination] : '';
        const key = `${chain.id}|${hits.join(',')}|${signature}`;
        let decided = walks.get(key);
        if (!decided) {
          const resolve = analysis.namedPorts.resolvers[destination] as PortResolver;
          decided = ruleDecisions(chain, hits, resolve);
          walks.set(key, decided);
        }
        for (const [index, ports] of decided) {
          const origin = chain.rules[index]?.origin;
          if (origin?.kind !== 'cluster-policy-rule' || origin.policy.policy !== policy) continue;
          const [from, to] = direction === 'ingress' ? [peer, self] : [self, peer];
          const rule = `${direction}/${origin.rule.index}`;
          const list = flows.get(rule) ?? [];
          list.push({
            from: from.pod.id,
            to: to.pod.id,
            ports,
            ...(isTrafficToItself(from, to) ? { itself: true as const } : {}),
          });
          flows.set(rule, list);
        }
      });
    });
  }
  return flows;
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
      analysis.chains.of(direction, podIdx).clusterPolicies.some((c) => c.policy === policy),
    );
  const selected = analysis.pods.flatMap((_, idx) => (governs(idx) ? [idx] : []));
  const flows = ruleFlows(analysis, policy);
  const rules = (['ingress', 'egress'] as const).flatMap((direction) =>
    policy[direction].map((rule, index) => ({
      direction,
      index,
      rule,
      flows: flows.get(`${direction}/${index}`) ?? [],
    })),
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
    effect: policyEffect(without, [policy], analysis.cni),
  };
}
