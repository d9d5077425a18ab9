import type { IsolationState, Overview } from '../engine/index.js';
import { table } from './table.js';
import { terminalText } from './terminal-text.js';

function stateText(state: IsolationState): string {
  if (state.kind === 'open') return 'open';
  if (state.kind === 'host-network') return 'host network';
  return `isolated (${state.policies.length})`;
}

/** The text overview: namespaces with their default-deny state, then every pod's isolation. */
export function overviewLines(view: Overview): string[] {
  const namespaces = table(
    ['NAMESPACE', 'PODS', 'POLICIES', 'DEFAULT-DENY'],
    view.namespaces.map((ns) => {
      const deny = [ns.defaultDenyIngress ? 'ingress' : '', ns.defaultDenyEgress ? 'egress' : '']
        .filter(Boolean)
        .join('+');
      return [terminalText(ns.name), `${ns.pods}`, `${ns.policies}`, deny || 'none'];
    }),
  );
  const pods = table(
    ['NAMESPACE', 'POD', 'KIND', 'IP', 'INGRESS', 'EGRESS'],
    view.pods.map((pod) => [
      terminalText(pod.namespace),
      terminalText(pod.name),
      terminalText(pod.kind),
      terminalText(pod.ips[0] ?? '-'),
      stateText(pod.ingress),
      stateText(pod.egress),
    ]),
  );
  return [...namespaces, '', ...pods];
}
