import type { ChainRule, RuleChain } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import type { CompiledCiliumRule } from '../compile/compile-cilium-policy.js';
import { NO_NAMED_PORTS } from '../compile/named-ports.js';
import { buildPeerIndex, type PeerIndex } from '../evaluate/peer-index.js';
import { rulePortSet } from '../evaluate/port-match.js';
import type { Pod } from '../model/types.js';
import {
  isEmptyPortSet,
  type PortSet,
  portSetAllows,
  portSetKey,
  subtractPortSets,
  unionPortSets,
} from '../primitives/port-set.js';
import { type ChainFlow, clusterFlows } from './cluster-flows.js';
import { uniqueObjects } from './cluster-policies.js';
import { type RuleUse, ruleUses, sourceOf } from './cluster-rule-uses.js';
import { layerRuleRef } from './layer-rules.js';
import { pluginPolicyObjects } from './plugin-objects.js';
import type { AuditFinding, LayerRuleRef } from './types.js';

/**
 * Findings across policy layers, decided by walking every class of connections of the pods a
 * Cilium or Calico policy governs through the kernel (the walk the cluster policy findings
 * take): rules some earlier layer always decides first, allows of two layers that admit the
 * same flows, and Cilium L7 rules whose filter never sees traffic.
 */

/** Whether a chain holds a Cilium or Calico rule: only there can layers meet beyond Admin's. */
const holdsPluginRules = (chain: RuleChain) =>
  chain.rules.some(({ origin }) => origin.kind === 'cilium-rule' || origin.kind === 'calico-rule');

/** The Cilium rule a chain rule comes from, when it has an L7 filter. */
function l7Rule(rule: ChainRule): CompiledCiliumRule | undefined {
  return rule.origin.kind === 'cilium-rule' && rule.origin.rule.l7 ? rule.origin.rule : undefined;
}

/** The namespace a finding about some rule belongs to: its policy's, else its subjects' if one. */
function namespaceOf(ref: LayerRuleRef, subjects: ReadonlySet<string> | undefined) {
  if (ref.object.namespace) return ref.object.namespace;
  const [only] = subjects ?? [];
  return subjects?.size === 1 ? only : undefined;
}

/**
 * The ports an allow of the NetworkPolicy tier (where allows decide together) admits in a flow:
 * its own, less those earlier tiers decided.
 */
function tierAllowPorts(flow: ChainFlow, index: number): PortSet {
  const rule = flow.chain.rules[index] as ChainRule;
  const earlier = [...flow.main.decided].flatMap(([j, ports]) => {
    const other = flow.chain.rules[j] as ChainRule;
    return j < index && other.tier !== rule.tier && other.action !== 'pass' ? [ports] : [];
  });
  return subtractPortSets(rulePortSet(rule.ports, flow.resolve), unionPortSets(earlier));
}

/**
 * Per rule: the namespaces of the pods it governs, and for the NetworkPolicy tier's allows the
 * flows and ports they admit (as one key).
 */
function flowFacts(flows: readonly ChainFlow[], pods: readonly Pod[]) {
  const subjects = new Map<unknown, Set<string>>();
  const admits = new Map<unknown, string[]>();
  flows.forEach((flow, flowIdx) => {
    const namespace = pods[flow.subject]?.namespace ?? '';
    for (const index of flow.hits) {
      const rule = flow.chain.rules[index] as ChainRule;
      if (rule.speculative) continue;
      const key = sourceOf(rule);
      subjects.set(key, (subjects.get(key) ?? new Set()).add(namespace));
      // An L7 rule filters what it admits: never the same as an L4 allow.
      if (rule.tier !== 'networkpolicy' || rule.action !== 'accept' || l7Rule(rule)) continue;
      const ports = tierAllowPorts(flow, index);
      if (isEmptyPortSet(ports)) continue;
      admits.set(key, [...(admits.get(key) ?? []), `${flowIdx}:${portSetKey(ports)}`]);
    }
  });
  return { subjects, admits };
}

/**
 * Whether a blocker is of another layer or Calico tier: one NetworkPolicy shadowing another (in
 * Calico's default tier too) is shadowed-rule's or duplicate-rule's to report.
 */
const acrossLayers = (rule: LayerRuleRef, blocker: LayerRuleRef) =>
  blocker.layer !== rule.layer || blocker.tier !== rule.tier;

/** Whether a rule is of a layer whose shadowing another finding already reports. */
function reportedElsewhere(use: RuleUse, blockers: readonly ChainRule[]): boolean {
  // NetworkPolicy rules the Admin tier alone overrules: rule-overruled-by-admin.
  if (use.rule.origin.kind === 'networkpolicy-rule')
    return blockers.every((b) => b.tier === 'admin');
  return use.rule.origin.kind === 'cluster-policy-rule';
}

/**
 * The pods an L7 rule leads to, when all are known and declare container ports, none of which
 * the rule names: for ingress the pods whose chains hold it, for egress the pods its peers match.
 */
function podsWithoutPort(
  analysis: Analysis,
  rule: ChainRule,
  source: CompiledCiliumRule,
  podsOfPeers: (rule: ChainRule) => readonly number[] | undefined,
): Pod[] | undefined {
  const targets =
    source.direction === 'ingress'
      ? analysis.chains
          .all('ingress')
          .flatMap((chain, podIdx) =>
            chain.rules.some((r) => r.origin.kind === 'cilium-rule' && r.origin.rule === source)
              ? [podIdx]
              : [],
          )
      : podsOfPeers(rule);
  if (!targets || targets.length === 0) return undefined;
  const pods = targets.flatMap((podIdx) => analysis.pods[podIdx] ?? []);
  const open = pods.some((pod) => {
    if (pod.ports.length === 0) return true;
    const admitted = rulePortSet(
      rule.ports,
      analysis.namedPorts.resolvers[analysis.podIndex.get(pod.id) ?? -1] ?? NO_NAMED_PORTS,
    );
    return pod.ports.some((port) => portSetAllows(admitted, port.protocol, port.port));
  });
  return open ? undefined : pods;
}

/** Shadowed rules, duplicates and idle L7 rules across the enforced policy layers. */
export function crossLayerFindings(analysis: Analysis): AuditFinding[] {
  const flows = clusterFlows(analysis, holdsPluginRules, true);
  if (flows.length === 0) return [];
  const otherChains = (['ingress', 'egress'] as const).flatMap((direction) => [
    ...new Set(analysis.chains.all(direction).filter((chain) => !holdsPluginRules(chain))),
  ]);
  const uses = ruleUses(flows, otherChains);
  const objects = pluginPolicyObjects(analysis);
  const facts = flowFacts(flows, analysis.pods);
  // Built only for an egress L7 rule: the walk above has its own.
  let peers: PeerIndex | undefined;
  const podsOfPeers = (rule: ChainRule) => {
    if (rule.peers.length === 0) return undefined;
    peers ??= buildPeerIndex(analysis);
    const found = new Set<number>();
    for (const peer of rule.peers) {
      const id = peers.idOf.get(peer);
      if (peer.kind === 'ip-block' || id === undefined) return undefined;
      for (const podIdx of peers.podsOf[id] ?? []) found.add(podIdx);
    }
    return [...found];
  };
  const findings: AuditFinding[] = [];
  for (const [key, use] of uses.rules) {
    const ref = layerRuleRef(use.rule, objects);
    if (!ref) continue;
    const namespace = namespaceOf(ref, facts.subjects.get(key));
    const base = { ...(namespace ? { namespace } : {}), fixes: [] };
    const blockers = [...use.blockers.values()];
    // Rules of one rank decide together: only earlier tiers and ranks shadow.
    const earlierOnly = blockers.every((b) => b.tier !== use.rule.tier || b.rank < use.rule.rank);
    const by = blockers.flatMap((rule) => layerRuleRef(rule, objects) ?? []);
    const l7 = l7Rule(use.rule);
    if (use.matched && !use.decided && by.length > 0 && earlierOnly) {
      if (l7) {
        findings.push({
          ...base,
          code: 'cilium-l7-never-applies',
          severity: 'warning',
          rule: ref,
          reason: 'refused',
          by,
          ports: use.rule.ports,
          pods: [],
          objects: uniqueObjects([ref.object, ...by.map((b) => b.object)]),
        });
      } else if (!reportedElsewhere(use, blockers) && by.some((b) => acrossLayers(ref, b))) {
        const { origin } = use.rule;
        findings.push({
          ...base,
          ...(origin.kind === 'networkpolicy-rule'
            ? {
                fixes: [
                  {
                    kind: 'remove-rule',
                    rule: {
                      policy: origin.policy.ref,
                      direction: origin.rule.direction,
                      ruleIndex: origin.rule.index,
                    },
                  },
                ],
              }
            : {}),
          code: 'rule-shadowed-across-layers',
          severity: by.some((b) => b.action !== ref.action) ? 'warning' : 'info',
          rule: ref,
          by,
          objects: uniqueObjects([ref.object, ...by.map((b) => b.object)]),
        });
      }
      continue;
    }
    const unreachable = l7 ? podsWithoutPort(analysis, use.rule, l7, podsOfPeers) : undefined;
    if (l7 && unreachable) {
      findings.push({
        ...base,
        code: 'cilium-l7-never-applies',
        severity: 'warning',
        rule: ref,
        reason: 'no-container-port',
        by: [],
        ports: use.rule.ports,
        pods: unreachable.map((pod) => pod.id),
        objects: [ref.object],
      });
    }
  }
  return [...findings, ...duplicateFindings(analysis, uses.rules, facts.admits)];
}

/**
 * Allows of two layers (a NetworkPolicy's and a Cilium policy's, which decide together) that
 * decide exactly the same flows, ports included: reported once, on the later of the two.
 */
function duplicateFindings(
  analysis: Analysis,
  rules: ReadonlyMap<unknown, RuleUse>,
  admits: ReadonlyMap<unknown, readonly string[]>,
): AuditFinding[] {
  const objects = pluginPolicyObjects(analysis);
  const first = new Map<string, LayerRuleRef>();
  const findings: AuditFinding[] = [];
  for (const [key, use] of rules) {
    const flows = admits.get(key);
    const ref = layerRuleRef(use.rule, objects);
    if (!flows || !ref) continue;
    const signature = flows.join(' ');
    const earlier = first.get(signature);
    if (!earlier) {
      first.set(signature, ref);
      continue;
    }
    if (earlier.layer === ref.layer) continue;
    const namespace = ref.object.namespace ?? earlier.object.namespace;
    findings.push({
      code: 'duplicate-across-layers',
      severity: 'info',
      ...(namespace ? { namespace } : {}),
      rule: ref,
      same: earlier,
      objects: uniqueObjects([ref.object, earlier.object]),
      fixes: [],
    });
  }
  return findings;
}
