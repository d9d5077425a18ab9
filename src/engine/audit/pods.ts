import type { Analysis, CompiledPolicy, PolicyRef } from '../compile/compile.js';
import type { Pod } from '../model/types.js';
import { selectorMatches } from '../primitives/selector.js';
import type { AuditFinding } from './types.js';
import { podObject, policiesByNamespace, policyObject, SYSTEM_NAMESPACES } from './walk.js';

function byNamespace(pods: readonly Pod[]): Map<string, Pod[]> {
  const groups = new Map<string, Pod[]>();
  for (const pod of pods) {
    const group = groups.get(pod.namespace);
    if (group) group.push(pod);
    else groups.set(pod.namespace, [pod]);
  }
  return groups;
}

/** The policies (of the pod's namespace) whose podSelector picks a pod, although they cannot apply to it. */
function policiesPicking(policies: readonly CompiledPolicy[], pod: Pod): PolicyRef[] {
  return policies
    .filter((p) => selectorMatches(p.policy.podSelector, pod.labels))
    .map((p) => p.ref);
}

/**
 * Pods that policies cannot govern, per namespace: host-network pods a policy selects (a
 * warning: the policy looks like it protects them and does not), other host-network pods
 * outside the platform namespaces (a note), and pods without an address yet (a note: ipBlocks
 * cannot match them and the analysis shows them as they will be once running).
 */
export function podFindings(analysis: Analysis): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const host = analysis.pods.filter((pod) => pod.hostNetwork);
  const policies = policiesByNamespace(analysis);
  for (const [namespace, pods] of byNamespace(host)) {
    const own = policies.get(namespace) ?? [];
    const picked = pods.map((pod) => ({ pod, policies: policiesPicking(own, pod) }));
    const selected = picked.filter((p) => p.policies.length > 0);
    if (selected.length > 0) {
      const policies = [
        ...new Map(selected.flatMap((p) => p.policies).map((r) => [r.name, r])).values(),
      ];
      findings.push({
        code: 'host-network-pod-selected',
        severity: 'warning',
        namespace,
        pods: selected.map((p) => p.pod.id),
        policies,
        ...(analysis.hostNetworkSubjects === 'plugin-dependent'
          ? { plugin: analysis.cni.plugin }
          : {}),
        objects: [...selected.map((p) => podObject(p.pod)), ...policies.map(policyObject)],
        fixes: [],
      });
    }
    const others = picked.filter((p) => p.policies.length === 0).map((p) => p.pod);
    // Where every pod is on the host network (a CNI's namespace, say), policies are not in play.
    const mixed = (analysis.podsByNamespace.get(namespace) ?? []).some(
      (idx) => analysis.pods[idx]?.hostNetwork === false,
    );
    if (others.length > 0 && mixed && !SYSTEM_NAMESPACES.has(namespace)) {
      findings.push({
        code: 'host-network-pods',
        severity: 'info',
        namespace,
        pods: others.map((pod) => pod.id),
        objects: others.map(podObject),
        fixes: [],
      });
    }
  }
  const unaddressed = analysis.pods.filter(
    (pod) => pod.kind === 'Pod' && !pod.hostNetwork && pod.ips.length === 0,
  );
  for (const [namespace, pods] of byNamespace(unaddressed)) {
    findings.push({
      code: 'pods-without-ip',
      severity: 'info',
      namespace,
      pods: pods.map((pod) => pod.id),
      objects: pods.map(podObject),
      fixes: [],
    });
  }
  return findings;
}
