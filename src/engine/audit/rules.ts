import type { Analysis } from '../compile/compile.js';
import { selectorCovers } from '../evaluate/peer-containment.js';
import { ruleCovers } from './containment.js';
import type { AuditFinding } from './types.js';
import { effectiveRules, type LocatedRule, policyObject } from './walk.js';

/** Whether every connection `inner` allows, `outer` allows too (same namespace and direction). */
function covers(outer: LocatedRule, inner: LocatedRule): boolean {
  return (
    outer.ref.direction === inner.ref.direction &&
    outer.policy.ref.namespace === inner.policy.ref.namespace &&
    selectorCovers(outer.policy.policy.podSelector, inner.policy.policy.podSelector) &&
    ruleCovers(outer.rule, inner.rule, inner.policy.ref.namespace)
  );
}

/**
 * Rules that add nothing: a duplicate of another rule (of the same or another policy selecting
 * the same pods), or shadowed by a broader rule of a policy selecting at least the same pods.
 * Notes: harmless today, but removing the other rule later would not open what one expects.
 * The first of two duplicates is kept; the later one is reported.
 */
export function ruleFindings(analysis: Analysis): AuditFinding[] {
  // Only rules of one namespace and direction cover each other: each is compared within its group.
  const groups = new Map<string, LocatedRule[]>();
  const rules = effectiveRules(analysis);
  for (const located of rules) {
    const key = `${located.policy.ref.namespace}\0${located.ref.direction}`;
    const group = groups.get(key);
    if (group) group.push(located);
    else groups.set(key, [located]);
  }
  return rules.flatMap((inner): AuditFinding[] => {
    const group = groups.get(`${inner.policy.ref.namespace}\0${inner.ref.direction}`) ?? [];
    const i = group.indexOf(inner);
    const base = { severity: 'info' as const, namespace: inner.policy.ref.namespace };
    const duplicate = group.find(
      (outer, j) => j < i && covers(outer, inner) && covers(inner, outer),
    );
    const objects = (outer: LocatedRule) => [
      policyObject(inner.policy.ref),
      ...(outer.policy === inner.policy ? [] : [policyObject(outer.policy.ref)]),
    ];
    if (duplicate) {
      return [
        {
          ...base,
          code: 'duplicate-rule',
          rule: inner.ref,
          same: duplicate.ref,
          objects: objects(duplicate),
          fixes: [{ kind: 'remove-rule', rule: inner.ref }],
        },
      ];
    }
    const shadow = group.find(
      (outer, j) => j !== i && covers(outer, inner) && !covers(inner, outer),
    );
    return shadow
      ? [
          {
            ...base,
            code: 'shadowed-rule',
            rule: inner.ref,
            by: shadow.ref,
            objects: objects(shadow),
            fixes: [{ kind: 'remove-rule', rule: inner.ref }],
          },
        ]
      : [];
  });
}
