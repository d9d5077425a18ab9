import { ciliumSctpUnknownLayer } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import type { PolicyPort } from '../model/types.js';
import type { AuditFinding, RuleRef } from './types.js';

/** An enforced NetworkPolicy rule and the port entries of it that a check picked. */
interface PickedPorts {
  readonly rule: RuleRef;
  readonly ports: readonly PolicyPort[];
}

/** The enforced rules of every NetworkPolicy with the port entries `pick` keeps, where any. */
function rulesWithPorts(analysis: Analysis, pick: (port: PolicyPort) => boolean): PickedPorts[] {
  return analysis.policies.flatMap(({ ref, policy, isolatesIngress, isolatesEgress }) =>
    (['ingress', 'egress'] as const).flatMap((direction) => {
      const enforced = direction === 'ingress' ? isolatesIngress : isolatesEgress;
      return (enforced ? policy[direction] : []).flatMap((rule, ruleIndex) => {
        const ports = rule.ports.filter(pick);
        return ports.length > 0 ? [{ rule: { policy: ref, direction, ruleIndex }, ports }] : [];
      });
    }),
  );
}

/** The namespace and object of a finding about a NetworkPolicy rule. */
const about = ({ rule }: PickedPorts) => ({
  namespace: rule.policy.namespace,
  objects: [{ kind: 'NetworkPolicy', namespace: rule.policy.namespace, name: rule.policy.name }],
  fixes: [],
});

/**
 * NetworkPolicy rules with port ranges on Cilium that cuts them to their first port (before
 * 1.16, see CILIUM_ENDPORT_SINCE), or whose version is not known: a warning naming the version,
 * or a note that flows in the ranges are UNKNOWN.
 */
export function ciliumEndPortFindings(analysis: Analysis): AuditFinding[] {
  const reading = analysis.ciliumEndPorts;
  if (!reading || reading.kind === 'as-written') return [];
  const version = reading.kind === 'ignored' ? reading.version : undefined;
  return rulesWithPorts(analysis, (port) => port.endPort !== undefined).map((picked) => ({
    code: 'cilium-endport-ignored',
    severity: version ? 'warning' : 'info',
    ...picked,
    ...(version ? { version } : {}),
    ...about(picked),
  }));
}

/**
 * NetworkPolicy rules naming SCTP ports on Cilium where its datapath drops SCTP (see CiliumSctp):
 * a warning, as the rule admits nothing; where that cannot be told, a note that their SCTP
 * answers are UNKNOWN. Nothing where Cilium passes SCTP.
 */
export function ciliumSctpFindings(analysis: Analysis): AuditFinding[] {
  const sctp = analysis.ciliumSctp;
  if (!sctp || sctp.kind === 'passed') return [];
  return rulesWithPorts(analysis, (port) => port.protocol === 'SCTP').map(
    (picked): AuditFinding =>
      sctp.kind === 'dropped'
        ? {
            code: 'cilium-sctp-dropped',
            severity: 'warning',
            ...picked,
            ...(sctp.version ? { version: sctp.version } : {}),
            ...about(picked),
          }
        : {
            code: 'cilium-sctp-unconfirmed',
            severity: 'info',
            ...picked,
            why: ciliumSctpUnknownLayer(sctp),
            ...about(picked),
          },
  );
}
