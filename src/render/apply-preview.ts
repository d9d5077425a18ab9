import { type Analysis, isClusterPolicy, withPolicies } from '../engine/index.js';
import { type ApplyPlan, policyObjectName } from '../io/cluster/apply-terms.js';
import type { ObjectChange } from '../io/normalize/apply-objects.js';
import { diffLines, flowDiffReport } from './diff.js';
import { specDiffLines } from './object-diff.js';

/** What an apply does to the cluster's object. */
export type ApplyChange = 'created' | 'changed' | 'unchanged';

/** Whether a dry-run apply creates the object, changes its spec, or leaves it as it is. */
export function applyChange(plan: ApplyPlan): ApplyChange {
  if (plan.current === undefined) return 'created';
  return specDiffLines(plan.current, plan.applied).length > 0 ? 'changed' : 'unchanged';
}

/**
 * What is applied, for a question short enough for one line: "networkpolicy a/b (changed)",
 * or "2 policies (1 created, 1 changed)".
 */
export function applyQuestionText(plans: readonly ApplyPlan[]): string {
  const [only] = plans;
  if (only && plans.length === 1) return `${policyObjectName(only.policy)} (${applyChange(only)})`;
  const changes: readonly ApplyChange[] = ['created', 'changed', 'unchanged'];
  const counts = changes.flatMap((change) => {
    const count = plans.filter((plan) => applyChange(plan) === change).length;
    return count > 0 ? [`${count} ${change}`] : [];
  });
  return `${plans.length} policies (${counts.join(', ')})`;
}

/**
 * What applying the plans changes, before asking: the objects created or changed and the flows
 * opened and closed between the cluster analysed as `was` and with the policies applied
 * (compiled by `compile`), then the spec lines removed and added of each object changed.
 */
export function applyPreviewLines(
  plans: readonly ApplyPlan[],
  was: Analysis,
  compile: (cluster: Analysis['cluster']) => Analysis,
): string[] {
  const objects = plans.flatMap((plan): ObjectChange[] => {
    const change = applyChange(plan);
    if (change === 'unchanged') return [];
    return [
      {
        object: policyObjectName(plan.policy),
        change: change === 'created' ? 'added' : 'changed',
        namespace: isClusterPolicy(plan.policy) ? undefined : plan.policy.namespace,
      },
    ];
  });
  const is = compile(
    withPolicies(
      was.cluster,
      plans.map((plan) => plan.policy),
    ),
  );
  const specs = plans.flatMap((plan) =>
    applyChange(plan) === 'changed'
      ? ['', `${policyObjectName(plan.policy)} spec:`, ...specDiffLines(plan.current, plan.applied)]
      : [],
  );
  return [...diffLines(flowDiffReport(was, is, objects)), ...specs];
}
