import type { Analysis } from '../compile/compile.js';
import type { Pod, Protocol } from '../model/types.js';
import type { AuditFinding } from './types.js';
import { podObject } from './walk.js';

/** A port name a pod declares more than once for one protocol, with the numbers it names. */
function duplicateNames(pod: Pod): { name: string; protocol: Protocol; ports: number[] }[] {
  const byName = new Map<string, { name: string; protocol: Protocol; ports: number[] }>();
  for (const port of pod.ports) {
    if (port.name === undefined) continue;
    const key = `${port.name}/${port.protocol}`;
    const entry = byName.get(key) ?? { name: port.name, protocol: port.protocol, ports: [] };
    entry.ports.push(port.port);
    byName.set(key, entry);
  }
  return [...byName.values()].filter((entry) => entry.ports.length > 1);
}

/**
 * Pods that declare one port name twice for one protocol (two containers may; the API server
 * refuses it within one container): a policy naming that port resolves to one of them, and
 * which one is the network plugin's choice. A warning when the numbers differ (this analysis
 * takes the first container's), a note when they agree. Pods alike are grouped per namespace.
 */
export function ambiguousPortFindings(analysis: Analysis): AuditFinding[] {
  const groups = new Map<
    string,
    { namespace: string; name: string; protocol: Protocol; ports: number[]; pods: Pod[] }
  >();
  for (const pod of analysis.pods) {
    for (const duplicate of duplicateNames(pod)) {
      const key = JSON.stringify([pod.namespace, duplicate]);
      const group = groups.get(key) ?? { namespace: pod.namespace, ...duplicate, pods: [] };
      group.pods.push(pod);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map(({ namespace, name, protocol, ports, pods }) => ({
    code: 'ambiguous-named-port',
    severity: new Set(ports).size > 1 ? 'warning' : 'info',
    namespace,
    port: name,
    protocol,
    ports,
    pods: pods.map((pod) => pod.id),
    objects: pods.map(podObject),
    fixes: [],
  }));
}
