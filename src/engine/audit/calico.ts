import type { CompiledCalicoRule } from '../compile/calico-rules.js';
import type { Analysis, Direction } from '../compile/compile.js';
import type { AuditFinding } from './types.js';

/** Whether a pod's chain holds the rule and, after its tier, any rule of a later tier. */
function passesToLaterTier(analysis: Analysis, rule: CompiledCalicoRule, podIdx: number) {
  const { rules } = analysis.chains.of(rule.direction, podIdx);
  const at = rules.findIndex((r) => r.origin.kind === 'calico-rule' && r.origin.rule === rule);
  if (at < 0) return undefined;
  const tier = rules[at]?.tier;
  return rules.slice(at + 1).some((later) => later.tier !== tier);
}

/**
 * Calico Pass rules with nothing after them: for every pod the policy applies to, no later tier
 * holds a rule, so what the rule passes is allowed as if it said Allow.
 */
export function calicoFindings(analysis: Analysis): AuditFinding[] {
  const layer = analysis.calico.layer;
  if (!layer) return [];
  return layer.policies.flatMap(({ id, policy, name, ingress, egress }) =>
    [...ingress, ...egress]
      .filter((rule) => rule.action === 'Pass')
      .flatMap((rule): AuditFinding[] => {
        const direction: Direction = rule.direction;
        const pods = layer.applying[direction].flatMap((ids, podIdx) =>
          ids.includes(id) ? [podIdx] : [],
        );
        const passes = pods.map((podIdx) => passesToLaterTier(analysis, rule, podIdx));
        if (!passes.includes(false) || passes.includes(true)) return [];
        // A global policy's finding belongs to the one namespace whose pods it governs, if one.
        const namespaces = new Set(pods.map((podIdx) => analysis.pods[podIdx]?.namespace));
        const [only] = namespaces;
        const namespace = policy.namespace ?? (namespaces.size === 1 ? only : undefined);
        return [
          {
            code: 'calico-pass-to-nothing',
            severity: 'info',
            policy: name,
            direction,
            ruleIndex: rule.index,
            ...(namespace ? { namespace } : {}),
            objects: [
              {
                kind: policy.kind,
                ...(policy.namespace ? { namespace: policy.namespace } : {}),
                name: policy.name,
              },
            ],
            fixes: [],
          },
        ];
      }),
  );
}
