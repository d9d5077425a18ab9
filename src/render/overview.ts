import type { Direction, IsolationState, Overview, PodSummary } from '../engine/index.js';
import { restrictingTiersText } from './restricting-tiers.js';
import { table } from './table.js';
import { terminalText } from './terminal-text.js';

/**
 * A direction's column: `open`, `restricted (calico tier security)`, `isolated (2)`, `host
 * network`; UNKNOWN where a layer not read or not evaluated may change it (the notes say which).
 */
function stateText(pod: PodSummary, direction: Direction): string {
  const state = pod[direction];
  if (pod.undecided.includes(direction)) return 'UNKNOWN';
  if (state.kind === 'open') return 'open';
  if (state.kind === 'host-network') return 'host network';
  if (state.kind === 'restricted') return `restricted (${restrictingTiersText(state.tiers)})`;
  return `isolated (${isolatingNames(state).length})`;
}

/** The names of everything isolating one direction: NetworkPolicies, Cilium and Calico policies. */
function isolatingNames(state: IsolationState & { kind: 'isolated' }): string[] {
  return [
    ...state.policies.map((policy) => policy.name),
    ...(state.cilium?.policies ?? []),
    ...(state.calico ?? []).flatMap((tier) => tier.policies),
  ];
}

/** The policies isolating a direction, or denying some of it. */
function governingNames(state: IsolationState): string[] {
  if (state.kind === 'isolated') return isolatingNames(state);
  return state.kind === 'restricted' ? state.tiers.flatMap((tier) => tier.policies) : [];
}

/** The policies isolating a pod or denying some of its traffic, ingress then egress, each once. */
function isolatingPolicies(pod: PodSummary): string {
  const names = [pod.ingress, pod.egress].flatMap(governingNames);
  return [...new Set(names)].map((name) => terminalText(name)).join(',') || '<none>';
}

/** How the overview's tables are laid out: wide adds the policies; headers can be left out. */
export interface OverviewLayout {
  readonly wide: boolean;
  readonly headers: boolean;
}

/** The text overview: namespaces with their default-deny state, then every pod's isolation. */
export function overviewLines(
  view: Overview,
  layout: OverviewLayout = { wide: false, headers: true },
): string[] {
  const namespaces = table(
    ['NAMESPACE', 'PODS', 'POLICIES', 'DEFAULT-DENY'],
    view.namespaces.map((ns) => {
      const deny = [ns.defaultDenyIngress ? 'ingress' : '', ns.defaultDenyEgress ? 'egress' : '']
        .filter(Boolean)
        .join('+');
      return [terminalText(ns.name), `${ns.pods}`, `${ns.policies}`, deny || 'none'];
    }),
    layout.headers,
  );
  const pods = table(
    ['NAMESPACE', 'POD', 'KIND', 'IP', 'INGRESS', 'EGRESS', ...(layout.wide ? ['POLICIES'] : [])],
    view.pods.map((pod) => [
      terminalText(pod.namespace),
      terminalText(pod.name),
      terminalText(pod.kind),
      terminalText(pod.ips[0] ?? '-'),
      stateText(pod, 'ingress'),
      stateText(pod, 'egress'),
      ...(layout.wide ? [isolatingPolicies(pod)] : []),
    ]),
    layout.headers,
  );
  return [...namespaces, '', ...pods];
}
