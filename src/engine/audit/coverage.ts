import { isIsolated } from '../compile/chain-isolation.js';
import type { Analysis, CompiledPolicy, Direction } from '../compile/compile.js';
import { endpointChain, type PodEndpoint, podEndpoint } from '../compile/endpoint.js';
import {
  mergeRestrictingTiers,
  podRestrictingTiers,
  type RestrictingTier,
  type RestrictingTiersMemo,
  restrictingTiersMemo,
} from '../evaluate/restricting-tiers.js';
import { isEmptySelector } from '../primitives/selector.js';
import type { AnalysisDns } from '../scaffold/analysis-dns.js';
import type { DnsRuleTarget } from '../scaffold/cluster-dns.js';
import { strangerAnswers } from './stranger-probe.js';
import type { AuditFinding, FixAction } from './types.js';
import { namespaceObject, podObject, policiesByNamespace, SYSTEM_NAMESPACES } from './walk.js';

/** A policy selecting every pod of its namespace that isolates the direction and opens nothing. */
function isDefaultDeny(policy: CompiledPolicy, direction: Direction): boolean {
  const isolates = direction === 'ingress' ? policy.isolatesIngress : policy.isolatesEgress;
  return (
    isolates &&
    isEmptySelector(policy.policy.podSelector) &&
    !policy[direction].some((rule) => rule.peers.length === 0 && rule.ports.length === 0)
  );
}

function defaultDenyFix(
  namespace: string,
  direction: Direction,
  dnsTarget: DnsRuleTarget,
): FixAction {
  // A default deny for egress cuts DNS off unless DNS is allowed with it, to the cluster's DNS.
  const dns = direction === 'egress' ? { allowDns: true, dns: dnsTarget } : {};
  return {
    kind: 'scaffold',
    fix: { kind: 'default-deny', namespace, direction, ...dns },
  };
}

/**
 * The tiers that deny some traffic of pods that are open in a direction (not isolated and
 * accepting or sending to a stranger): they connect anywhere but where these deny.
 */
function openPodsRestrictedBy(
  analysis: Analysis,
  pods: readonly PodEndpoint[],
  direction: Direction,
  memo: RestrictingTiersMemo,
): RestrictingTier[] {
  return mergeRestrictingTiers(
    pods.flatMap((pod) => podRestrictingTiers(analysis, pod, direction, memo)),
  );
}

/**
 * Pods open in a direction: no enforced layer isolates them (no NetworkPolicy, Cilium or Calico
 * policy selects them so) and none refuses a stranger everything (an Admin or Baseline deny-all,
 * say), so they accept or send anything; and namespaces without a default deny in any enforced
 * layer although no pod is open today. Ingress gaps are warnings; egress gaps are notes, since
 * denying egress by default is hardening, not a baseline. Platform namespaces (kube-system, ...)
 * and namespaces without pods off the host network are left out. The egress fixes keep DNS
 * working, to the analysis's cluster DNS (`dns`).
 */
export function coverageFindings(analysis: Analysis, dns: AnalysisDns): AuditFinding[] {
  const findings: AuditFinding[] = [];
  // Namespaces of host-network agents only (a CNI's, say) are the platform's too.
  const namespaces = [...analysis.podsByNamespace.keys()].filter(
    (ns) =>
      !SYSTEM_NAMESPACES.has(ns) &&
      (analysis.podsByNamespace.get(ns) ?? []).some((idx) => !analysis.pods[idx]?.hostNetwork),
  );
  const unisolatedPods = (namespace: string, direction: Direction): PodEndpoint[] =>
    (analysis.podsByNamespace.get(namespace) ?? []).flatMap((idx) => {
      const endpoint = podEndpoint(analysis, idx);
      const isolated = isIsolated(endpointChain(analysis, endpoint, direction));
      return endpoint.pod.hostNetwork || isolated ? [] : [endpoint];
    });
  const unisolated = new Set(
    namespaces.flatMap((ns) =>
      [...unisolatedPods(ns, 'ingress'), ...unisolatedPods(ns, 'egress')].map(({ pod }) => pod),
    ),
  );
  // One question to the kernel for every unisolated pod and every namespace's newcomer.
  const answers = strangerAnswers(analysis, [...unisolated], namespaces);
  const openPods = (namespace: string, direction: Direction) =>
    unisolatedPods(namespace, direction).filter(
      ({ pod }) => !answers.closed[direction].has(pod.id),
    );
  const byNamespace = policiesByNamespace(analysis);
  const memo = restrictingTiersMemo(analysis);
  const dnsTarget = dns.target();
  for (const namespace of namespaces) {
    const policies = byNamespace.get(namespace) ?? [];
    for (const direction of ['ingress', 'egress'] as const) {
      const fixes = [defaultDenyFix(namespace, direction, dnsTarget)];
      const open = openPods(namespace, direction);
      if (open.length > 0) {
        const restrictedBy = openPodsRestrictedBy(analysis, open, direction, memo);
        findings.push({
          code: 'unisolated-pods',
          severity: direction === 'ingress' ? 'warning' : 'info',
          namespace,
          direction,
          pods: open.map(({ pod }) => pod.id),
          ...(restrictedBy.length > 0 ? { restrictedBy } : {}),
          objects: [namespaceObject(namespace), ...open.map(({ pod }) => podObject(pod))],
          fixes,
        });
      } else if (
        !policies.some((p) => isDefaultDeny(p, direction)) &&
        !answers.defaultDenies[direction].has(namespace)
      ) {
        findings.push({
          code: 'no-default-deny',
          severity: 'info',
          namespace,
          direction,
          objects: [namespaceObject(namespace)],
          fixes,
        });
      }
    }
  }
  return findings;
}
