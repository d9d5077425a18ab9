import type { Direction, IsolationState, Overview, PodSummary } from '../engine/index.js';
import { MAYBE_LEGEND, restrictedText } from './restricting-tiers.js';
import { table } from './table.js';
import { terminalText } from './terminal-text.js';

/**
 * A direction's column: `open`, `restricted (calico tier security)` (`restricted? (Admin tier)`
 * where it may deny only peers the input cannot list or tell: see restrictedText), `isolated
 * (2)`, `host network`; UNKNOWN where a layer not read or not evaluated may change it (the
 * notes say which).
 */
function stateText(pod: PodSummary, direction: Direction): string {
  const state = pod[direction];
  if (pod.undecided.includes(direction)) return 'UNKNOWN';
  if (state.kind === 'open') return 'open';
  if (state.kind === 'host-network') return 'host network';
  if (state.kind === 'restricted') return restrictedText(state.tiers);
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

/**
 * A policy isolating a direction or denying some of it; `maybe` where it may deny only peers
 * the input cannot list or tell.
 */
interface GoverningPolicy {
  readonly name: string;
  readonly maybe: boolean;
}

/** The policies isolating a direction, or denying some of it. */
function governingPolicies(state: IsolationState): GoverningPolicy[] {
  if (state.kind === 'isolated')
    return isolatingNames(state).map((name) => ({ name, maybe: false }));
  if (state.kind !== 'restricted') return [];
  return state.tiers.flatMap((tier) =>
    tier.policies.map((name) => ({ name, maybe: tier.doubts !== undefined })),
  );
}

/**
 * The policies isolating a pod or denying some of its traffic, ingress then egress, each once;
 * one that may deny only peers the input cannot list or tell, in both directions, marked `?`.
 */
function isolatingPolicies(pod: PodSummary): string {
  const policies = [pod.ingress, pod.egress].flatMap(governingPolicies);
  const sure = new Set(policies.filter((policy) => !policy.maybe).map((policy) => policy.name));
  const names = [...new Set(policies.map((policy) => policy.name))];
  return (
    names.map((name) => `${terminalText(name)}${sure.has(name) ? '' : '?'}`).join(',') || '<none>'
  );
}

/**
 * Whether a pod's row marks a tier or a policy with `?` (see restrictedText): the POLICIES
 * column (`wide`) names a direction's policies even where its column says UNKNOWN.
 */
function marksMaybe(pod: PodSummary, wide: boolean): boolean {
  return DIRECTIONS.some((direction) => {
    const state = pod[direction];
    return (
      (wide || !pod.undecided.includes(direction)) &&
      state.kind === 'restricted' &&
      state.tiers.some((tier) => tier.doubts)
    );
  });
}

const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

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
  const legend =
    layout.headers && view.pods.some((pod) => marksMaybe(pod, layout.wide))
      ? ['', MAYBE_LEGEND]
      : [];
  return [...namespaces, '', ...pods, ...legend];
}
