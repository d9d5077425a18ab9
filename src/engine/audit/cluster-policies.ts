import type { ChainRule, RuleChain } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import { clusterPolicyName } from '../model/cluster-policy.js';
import { PROTOCOLS } from '../model/types.js';
import { addressText } from '../primitives/ip-block.js';
import { isEmptyPortSet, type PortSet, subtractPortSets } from '../primitives/port-set.js';
import { type ChainFlow, clusterFlows } from './cluster-flows.js';
import { type RuleUse, type RuleUses, ruleUses } from './cluster-rule-uses.js';
import { pluginPolicyObjects } from './plugin-objects.js';
import type { AuditFinding, ClusterRuleRef, ExampleFlow, ObjectRef } from './types.js';
import { policyObject } from './walk.js';

/** A chain rule from a cluster policy as a reference, or undefined for NetworkPolicy rules. */
export function clusterRuleRef(rule: ChainRule): ClusterRuleRef | undefined {
  if (rule.origin.kind !== 'cluster-policy-rule') return undefined;
  const { policy } = rule.origin.policy;
  const source = rule.origin.rule;
  const name = policy[source.direction][source.index]?.name;
  return {
    policy: clusterPolicyName(policy),
    kind: policy.kind,
    tier: policy.tier,
    priority: policy.priority,
    direction: source.direction,
    ruleIndex: source.index,
    ...(name === undefined ? {} : { ruleName: name }),
    action: source.action,
  };
}

/** A cluster policy (`cnp/NAME`) as an object reference. */
export function clusterObject(ref: Pick<ClusterRuleRef, 'kind' | 'policy'>): ObjectRef {
  return { kind: ref.kind, name: ref.policy.slice(ref.policy.indexOf('/') + 1) };
}

const refsOf = (rules: Iterable<ChainRule>) =>
  [...rules].flatMap((rule) => clusterRuleRef(rule) ?? []);

/** Objects with repeats left out, in first-seen order. */
export function uniqueObjects(objects: readonly ObjectRef[]): ObjectRef[] {
  const seen = new Map(objects.map((o) => [`${o.kind}/${o.namespace ?? ''}/${o.name}`, o]));
  return [...seen.values()];
}

/** Shadowed cluster rules, Pass rules with nothing after them, unreachable Baseline rules. */
function clusterRuleFindings(
  use: RuleUse,
  pluginObjects: ReadonlyMap<string, ObjectRef>,
): AuditFinding[] {
  const ref = clusterRuleRef(use.rule);
  if (!ref) return [];
  const objects = [clusterObject(ref)];
  const blockers = [...use.blockers.values()];
  if (ref.tier === 'Baseline' && !use.decided && !use.unisolated) {
    const isolatedBy = [...use.isolatedBy].map((policy) => policy.ref);
    const isolatedByPlugin = [...use.isolatedByPlugin];
    return [
      {
        code: 'baseline-rule-unreachable',
        severity: 'info',
        rule: ref,
        isolatedBy,
        isolatedByPlugin,
        ciliumAlways: use.ciliumAlways,
        objects: uniqueObjects([
          ...objects,
          ...isolatedBy.map(policyObject),
          ...isolatedByPlugin.flatMap((name) => pluginObjects.get(name) ?? []),
        ]),
        fixes: [],
      },
    ];
  }
  const by = refsOf(blockers);
  if (use.matched && !use.decided && by.length > 0) {
    return [
      {
        code: 'shadowed-cluster-rule',
        severity: by.some((other) => other.action !== ref.action) ? 'warning' : 'info',
        rule: ref,
        by,
        objects: uniqueObjects([...objects, ...by.map(clusterObject)]),
        fixes: [{ kind: 'remove-cluster-rule', rule: ref }],
      },
    ];
  }
  if (use.passes && !use.passFollowed) {
    return [
      {
        code: 'cluster-pass-falls-through',
        severity: ref.tier === 'Admin' ? 'warning' : 'info',
        rule: ref,
        objects,
        fixes: ref.tier === 'Baseline' ? [{ kind: 'remove-cluster-rule', rule: ref }] : [],
      },
    ];
  }
  return [];
}

/** NetworkPolicies, and rules of them, that the Admin tier decides before. */
function overruledFindings(uses: RuleUses): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const whole = new Set<string>();
  for (const use of uses.policies.values()) {
    if (use.relevant || use.deciders.size === 0) continue;
    const by = refsOf(use.deciders.values());
    whole.add(`${use.policy.id}/${use.direction}`);
    findings.push({
      code: 'policy-overruled-by-admin',
      severity: 'warning',
      namespace: use.policy.ref.namespace,
      policy: use.policy.ref,
      direction: use.direction,
      by,
      objects: uniqueObjects([policyObject(use.policy.ref), ...by.map(clusterObject)]),
      fixes: [],
    });
  }
  for (const use of uses.rules.values()) {
    const { origin } = use.rule;
    if (origin.kind !== 'networkpolicy-rule' || !use.matched || use.decided) continue;
    const blockers = [...use.blockers.values()];
    if (blockers.length === 0 || blockers.some((rule) => rule.tier !== 'admin')) continue;
    if (whole.has(`${origin.policy.id}/${origin.rule.direction}`)) continue;
    const by = refsOf(blockers);
    findings.push({
      code: 'rule-overruled-by-admin',
      severity: by.some((rule) => rule.action === 'Deny') ? 'warning' : 'info',
      namespace: origin.policy.ref.namespace,
      rule: {
        policy: origin.policy.ref,
        direction: origin.rule.direction,
        ruleIndex: origin.rule.index,
      },
      by,
      objects: uniqueObjects([policyObject(origin.policy.ref), ...by.map(clusterObject)]),
      fixes: [],
    });
  }
  return findings;
}

/** The first port of a non-empty port set. */
function firstPort(set: PortSet): { protocol: (typeof PROTOCOLS)[number]; port: number } {
  for (const protocol of PROTOCOLS) {
    const [range] = set[protocol];
    if (range) return { protocol, port: range[0] };
  }
  return { protocol: 'TCP', port: 0 };
}

function exampleOf(analysis: Analysis, flow: ChainFlow, ports: PortSet): ExampleFlow {
  const { other } = flow;
  return {
    direction: flow.chain.direction,
    subject: analysis.pods[flow.subject]?.id ?? '',
    peer:
      other.kind === 'pod'
        ? (analysis.pods[other.podIdx]?.id ?? '')
        : addressText(other.address.family, other.address.value),
    ...firstPort(ports),
  };
}

/** Priority ties between cluster policies whose readings answer some connection differently. */
function conflictFindings(analysis: Analysis, flows: readonly ChainFlow[]): AuditFinding[] {
  const found = new Map<string, AuditFinding>();
  for (const flow of flows) {
    for (const { reading, walk } of flow.readings) {
      const { layer } = reading;
      if (layer.kind !== 'equal-priority') continue;
      const key = `${layer.tier}/${layer.priority}/${layer.policies.join('/')}`;
      if (found.has(key)) continue;
      const differ = [
        subtractPortSets(walk.admitted, flow.main.admitted),
        subtractPortSets(flow.main.admitted, walk.admitted),
      ].find((ports) => !isEmptyPortSet(ports));
      if (!differ) continue;
      const taken = new Set(
        analysis.clusterPolicies
          .filter((p) => p.policy.tier === layer.tier)
          .map((p) => p.policy.priority),
      );
      let priority = layer.priority + 1;
      while (taken.has(priority) && priority < 1000) priority++;
      const [, second] = layer.policies;
      const policies = analysis.clusterPolicies.filter((p) =>
        layer.policies.includes(clusterPolicyName(p.policy)),
      );
      found.set(key, {
        code: 'equal-priority-conflict',
        severity: 'error',
        tier: layer.tier,
        priority: layer.priority,
        policies: layer.policies,
        example: exampleOf(analysis, flow, differ),
        objects: policies.map((p) => ({ kind: p.policy.kind, name: p.policy.name })),
        fixes: [{ kind: 'set-priority', policy: second, priority }],
      });
    }
  }
  return [...found.values()];
}

/**
 * The audit of cluster policy tiers, computed by walking every class of connections that
 * cluster policies govern through the kernel: rules shadowed by earlier ones, Pass rules that
 * nothing after decides, equal priorities that leave verdicts UNKNOWN, NetworkPolicies (and
 * their rules) the Admin tier decides before, Baseline rules NetworkPolicies keep from ever
 * being consulted. Severities: an ambiguity the API leaves undefined is an error; a rule whose
 * traffic is decided otherwise than its action says, a Pass that amounts to an allow and a
 * NetworkPolicy that is overruled are warnings; the rest are notes.
 */
export function clusterPolicyFindings(analysis: Analysis): AuditFinding[] {
  const flows = clusterFlows(analysis);
  if (flows.length === 0) return [];
  const otherChains = (['ingress', 'egress'] as const).flatMap((direction) => [
    ...new Set(
      analysis.chains
        .all(direction)
        .filter((chain: RuleChain) => chain.clusterPolicies.length === 0),
    ),
  ]);
  const uses = ruleUses(flows, otherChains);
  const pluginObjects = pluginPolicyObjects(analysis);
  return [
    ...[...uses.rules.values()].flatMap((use) => clusterRuleFindings(use, pluginObjects)),
    ...overruledFindings(uses),
    ...conflictFindings(analysis, flows),
  ];
}
