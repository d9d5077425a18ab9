import type { Analysis } from './compile.js';
import type { Finding } from './findings.js';
import { objectId } from './types.js';

/** Warns about named ports that no pod declares: such a port entry can never match. */
export function unknownNamedPortFindings(analysis: Analysis): Finding[] {
  const declared = new Set(
    analysis.pods.flatMap((pod) =>
      pod.ports.flatMap((p) => (p.name ? [`${p.name}/${p.protocol}`] : [])),
    ),
  );
  const findings: Finding[] = [];
  for (const { policy } of analysis.policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      policy[direction].forEach((rule, i) => {
        rule.ports.forEach((port, j) => {
          if (typeof port.port !== 'string' || declared.has(`${port.port}/${port.protocol}`))
            return;
          findings.push({
            severity: 'warning',
            code: 'unknown-named-port',
            message: `spec.${direction}[${i}].ports[${j}].port: no pod declares a ${port.protocol} container port named "${port.port}", so this entry matches nothing`,
            object: `NetworkPolicy ${objectId(policy.namespace, policy.name)}`,
          });
        });
      });
    }
  }
  return findings;
}
