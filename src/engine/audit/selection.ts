import type { Analysis } from '../compile/compile.js';
import { selectorMatches } from '../primitives/selector.js';
import { correctedSelector, likelyNearMiss } from './candidate-miss.js';
import { podLabelFixes, selectorFixes } from './fix.js';
import { scaledToZeroFinding } from './scaled-to-zero.js';
import type { AuditFinding } from './types.js';
import { namespacePods, podObjectById, policyObject } from './walk.js';

/**
 * Policies whose podSelector selects no pod of their namespace, so their rules apply to nothing.
 * An error when a pod is one label off (a typo: the fix rewrites the selector), a warning
 * otherwise (the workload may not be deployed); information when it selects workloads scaled to
 * zero, whose pods it applies to once they run. Namespaces without pods are not judged.
 */
export function selectionFindings(analysis: Analysis): AuditFinding[] {
  return analysis.policies.flatMap(({ policy, ref }): AuditFinding[] => {
    const pods = namespacePods(analysis, policy.namespace);
    if (pods.length === 0) return [];
    // Selecting only host-network pods is the host-network finding's business.
    if (pods.some((pod) => selectorMatches(policy.podSelector, pod.labels))) return [];
    const found = {
      code: 'policy-selects-no-pods',
      namespace: policy.namespace,
      policy: ref,
      selector: policy.podSelector,
    } as const;
    const idle = scaledToZeroFinding(analysis, found, ref, [policy.namespace]);
    if (idle) return [idle];
    const miss = likelyNearMiss(
      policy.podSelector,
      pods.filter((pod) => !pod.hostNetwork).map((pod) => ({ name: pod.id, labels: pod.labels })),
    );
    const corrected = miss ? correctedSelector(policy.podSelector, miss) : undefined;
    const [pod] = podObjectById(analysis, miss?.candidate);
    return [
      {
        ...found,
        severity: miss ? 'error' : 'warning',
        ...(miss ? { nearMiss: miss } : {}),
        objects: [policyObject(ref), ...(pod ? [pod] : [])],
        fixes: [
          ...(corrected ? selectorFixes(policy, ref, { kind: 'policy' }, corrected) : []),
          ...(miss ? podLabelFixes(miss, pod) : []),
        ],
      },
    ];
  });
}
