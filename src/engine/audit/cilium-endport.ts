import type { Analysis, Direction } from '../compile/compile.js';
import type { AuditFinding } from './types.js';

/**
 * NetworkPolicy rules with port ranges on Cilium that cuts them to their first port (before
 * 1.16, see CILIUM_ENDPORT_SINCE), or whose version is not known: a warning naming the version,
 * or a note that flows in the ranges are UNKNOWN.
 */
export function ciliumEndPortFindings(analysis: Analysis): AuditFinding[] {
  const reading = analysis.ciliumEndPorts;
  if (!reading || reading.kind === 'as-written') return [];
  const version = reading.kind === 'ignored' ? reading.version : undefined;
  return analysis.policies.flatMap(({ ref, policy, isolatesIngress, isolatesEgress }) => {
    const lists: [Direction, boolean, typeof policy.ingress][] = [
      ['ingress', isolatesIngress, policy.ingress],
      ['egress', isolatesEgress, policy.egress],
    ];
    return lists.flatMap(([direction, enforced, rules]) =>
      (enforced ? rules : []).flatMap((rule, ruleIndex): AuditFinding[] => {
        const ranges = rule.ports.filter((port) => port.endPort !== undefined);
        if (ranges.length === 0) return [];
        return [
          {
            code: 'cilium-endport-ignored',
            severity: version ? 'warning' : 'info',
            rule: { policy: ref, direction, ruleIndex },
            ports: ranges,
            ...(version ? { version } : {}),
            namespace: ref.namespace,
            objects: [{ kind: 'NetworkPolicy', namespace: ref.namespace, name: ref.name }],
            fixes: [],
          },
        ];
      }),
    );
  });
}
