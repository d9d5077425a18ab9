import type { Analysis } from '../compile/compile.js';
import type { Finding } from '../model/findings.js';
import { objectId } from '../model/types.js';
import { namedPortFindings } from './named-ports.js';

/**
 * The audit's named-port check as input warnings for every command: a named port that none of
 * the pods it resolves on declares (the policy's pods for ingress, the peers' pods for egress)
 * makes its port entry match nothing.
 */
export function unknownNamedPortFindings(analysis: Analysis): Finding[] {
  return namedPortFindings(analysis).flatMap((f): Finding[] => {
    if (f.code !== 'unknown-named-port') return [];
    const { direction, ruleIndex, policy } = f.rule;
    const whose = direction === 'ingress' ? 'the policy selects' : "the rule's peers match";
    return [
      {
        severity: 'warning',
        code: f.code,
        message: `spec.${direction}[${ruleIndex}].ports[${f.portIndex}].port: no pod declares a ${f.protocol} container port named "${f.port}" (of the ${f.podsChecked} pod${f.podsChecked === 1 ? '' : 's'} ${whose}), so this entry matches nothing`,
        object: `NetworkPolicy ${objectId(policy.namespace, policy.name)}`,
      },
    ];
  });
}
