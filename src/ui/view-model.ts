import type {
  Analysis,
  ClientScope,
  ClusterPolicyKind,
  ClusterPolicyTier,
  Direction,
  Labels,
  NamespacedPods,
  Pod,
  Protocol,
  Service,
} from '../engine/index.js';
import {
  clientScope,
  clusterPolicyName,
  type IsolationState,
  labelsSelector,
  overview,
  selectingPolicies,
  selectorMatches,
  serviceBackendSet,
} from '../engine/index.js';
import { surelyRestricted } from '../render/restricting-tiers.js';
import { selectorText } from '../render/selectors.js';
import { parseSelector } from '../syntax/selector-syntax.js';
import type { ListScreenId } from './state.js';

/** A namespace line. */
export interface NamespaceRow {
  readonly key: string;
  readonly name: string;
  readonly pods: number;
  readonly policies: number;
  readonly defaultDeny: string;
  /** How many of its pods are surely isolated, per direction: "in 4/6  eg 6/6". */
  readonly isolated: string;
  /** How many of its pods are UNKNOWN per direction (as in the pods list); empty when none. */
  readonly unknown: string;
  readonly labels: Labels;
}

/** A pod line. */
export interface PodRow {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly ip: string;
  readonly labels: Labels;
  readonly labelText: string;
  readonly ingress: string;
  readonly egress: string;
  readonly policies: number;
}

/** A NetworkPolicy line. */
export interface PolicyRow {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly types: string;
  readonly selected: number;
  readonly rules: string;
  readonly labels: Labels;
}

/** A Service line. */
export interface ServiceRow {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  /**
   * Its first ClusterIP; `None` when headless; `<none>` for an ExternalName Service (as kubectl
   * shows them); `<unassigned>` when none was written (the API server assigns one on creation).
   */
  readonly clusterIP: string;
  /** `80/TCP http, 9090/TCP metrics`. */
  readonly ports: string;
  /** Its selector in kubectl's syntax; `<none>` when its endpoints are kept by hand. */
  readonly selector: string;
  /**
   * How many pods answer it: `3`, `2+` with a workload of varying size, `unknown`; followed by
   * `Local` when a client's ClusterIP traffic goes only to those on its own node
   * (internalTrafficPolicy Local), `hints` when only to those hinted for its zone or node.
   */
  readonly backends: string;
  /** The port a check of it asks about: its only port; undefined with several. */
  readonly onlyPort?: { readonly port: string; readonly protocol: Protocol };
  /** label=value filters match the labels it selects. */
  readonly labels: Labels;
}

/** A cluster network policy line (ClusterNetworkPolicy, or a deprecated v1alpha1 kind). */
export interface ClusterPolicyRow {
  /** `cnp/NAME` (`anp/`, `banp/` for the deprecated kinds). */
  readonly key: string;
  readonly kind: ClusterPolicyKind;
  readonly name: string;
  readonly tier: ClusterPolicyTier;
  readonly priority: number;
  /** Whom it governs, in kubectl's selector syntax. */
  readonly subject: string;
  /** Pods it governs in either direction. */
  readonly governed: number;
  readonly ingressRules: number;
  readonly egressRules: number;
}

/** Rows of every list, computed once per snapshot. */
export interface ClusterView {
  readonly namespaces: readonly NamespaceRow[];
  readonly pods: readonly PodRow[];
  readonly policies: readonly PolicyRow[];
  readonly services: readonly ServiceRow[];
  /** In evaluation order: the Admin tier, then the Baseline tier, each by priority. */
  readonly clusterPolicies: readonly ClusterPolicyRow[];
}

/**
 * A direction's cell: UNKNOWN when what was not read or evaluated may decide it, as explain
 * says; `restricted?` where every tier may deny only peers the input cannot list or tell.
 */
function badge(state: IsolationState, undecided: boolean): string {
  if (undecided) return 'UNKNOWN';
  if (state.kind === 'open') return 'open';
  if (state.kind === 'host-network') return 'host-net';
  if (state.kind === 'restricted' && !surelyRestricted(state.tiers)) return 'restricted?';
  return state.kind;
}

function ruleSummary(count: number, isolates: boolean, direction: string): string | undefined {
  if (!isolates) return undefined;
  if (count === 0) return `deny all ${direction}`;
  return `${count} ${direction} rule${count === 1 ? '' : 's'}`;
}

/** A subject in words: `namespaces SEL`, or `pods SEL in namespaces SEL`; "all" for empty selectors. */
function subjectText(subject: NamespacedPods): string {
  const namespaces = `namespaces ${selectorText(subject.namespaceSelector) ?? 'all'}`;
  return subject.podSelector
    ? `pods ${selectorText(subject.podSelector) ?? 'all'} in ${namespaces}`
    : namespaces;
}

/** How many pods pod entries stand for: a workload counts its replicas; `+` when that varies. */
function podCount(pods: readonly Pod[]): string {
  const counts = pods.map((pod) => (pod.kind === 'Pod' ? 1 : pod.replicas));
  const known = counts.reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 1), 0);
  return counts.some((n) => typeof n !== 'number') ? `${known}+` : `${known}`;
}

/** Who answers a Service, counted as the engine resolves `svc/NAME`. */
function backendCount(analysis: Analysis, service: Service): string {
  const backends = serviceBackendSet(analysis, service);
  switch (backends.kind) {
    case 'selected':
      return podCount(backends.podIdxs.map((idx) => analysis.pods[idx] as Pod));
    case 'endpoint-slices':
      // Each address a slice lists is one backend, a pod of the snapshot or not.
      return `${backends.endpoints.length}`;
    case 'unknown':
      return 'unknown';
  }
}

/** How the backends column marks a Service whose clients reach only some of its backends. */
const CLIENT_SCOPE_MARKS: Readonly<Record<ClientScope, string>> = {
  'internal-traffic-local': 'Local',
  'topology-hints': 'hints',
};

/** The backends column: the count, marked when kube-proxy narrows them by client. */
function backendsText(analysis: Analysis, service: Service): string {
  const count = backendCount(analysis, service);
  const scope = clientScope(analysis, service);
  return scope ? `${count} ${CLIENT_SCOPE_MARKS[scope]}` : count;
}

/** The ClusterIP column of a Service: what it has, or why it has none. */
function clusterIpText(service: Service): string {
  if (service.headless) return 'None';
  const [first] = service.clusterIPs;
  if (first) return first;
  return service.type === 'ExternalName' ? '<none>' : '<unassigned>';
}

function serviceRow(analysis: Analysis, service: Service): ServiceRow {
  const [onlyPort, ...otherPorts] = service.ports;
  return {
    key: `${service.namespace}/${service.name}`,
    namespace: service.namespace,
    name: service.name,
    type: service.type ?? 'ClusterIP',
    clusterIP: clusterIpText(service),
    ports: service.ports
      .map((port) => `${port.port}/${port.protocol}${port.name ? ` ${port.name}` : ''}`)
      .join(', '),
    selector: service.selector
      ? (selectorText(labelsSelector(service.selector)) ?? '<none>')
      : '<none>',
    backends: backendsText(analysis, service),
    ...(onlyPort && otherPorts.length === 0
      ? { onlyPort: { port: `${onlyPort.port}`, protocol: onlyPort.protocol } }
      : {}),
    labels: service.selector ?? {},
  };
}

const TIER_ORDER: Readonly<Record<ClusterPolicyTier, number>> = { Admin: 0, Baseline: 1 };

function clusterPolicyRows(analysis: Analysis): ClusterPolicyRow[] {
  const governed = new Map<number, Set<number>>();
  for (const chains of [analysis.chains.all('ingress'), analysis.chains.all('egress')]) {
    chains.forEach((chain, podIdx) => {
      for (const { id } of chain.clusterPolicies) {
        const pods = governed.get(id) ?? new Set<number>();
        pods.add(podIdx);
        governed.set(id, pods);
      }
    });
  }
  return analysis.clusterPolicies
    .map(({ id, policy }) => ({
      key: clusterPolicyName(policy),
      kind: policy.kind,
      name: policy.name,
      tier: policy.tier,
      priority: policy.priority,
      subject: subjectText(policy.subject),
      governed: governed.get(id)?.size ?? 0,
      ingressRules: policy.ingress.length,
      egressRules: policy.egress.length,
    }))
    .sort(
      (a, b) =>
        TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
        a.priority - b.priority ||
        a.key.localeCompare(b.key),
    );
}

/** Builds the rows of every list from an analysis. */
export function buildClusterView(analysis: Analysis): ClusterView {
  const view = overview(analysis);
  const selected = new Map<number, Set<number>>();
  for (const lists of [analysis.ingressPolicies, analysis.egressPolicies]) {
    lists.forEach((ids, podIdx) => {
      for (const id of ids) {
        const set = selected.get(id) ?? new Set<number>();
        set.add(podIdx);
        selected.set(id, set);
      }
    });
  }
  return {
    namespaces: view.namespaces.map((ns) => {
      const pods = view.pods.filter((pod) => pod.namespace === ns.name);
      const count = (direction: Direction) =>
        pods.filter(
          (pod) => pod[direction].kind === 'isolated' && !pod.undecided.includes(direction),
        ).length;
      const unknowns = (direction: Direction) =>
        pods.filter((pod) => pod.undecided.includes(direction)).length;
      return {
        key: ns.name,
        name: ns.name,
        pods: ns.pods,
        policies: ns.policies,
        defaultDeny:
          [ns.defaultDenyIngress ? 'ingress' : '', ns.defaultDenyEgress ? 'egress' : '']
            .filter(Boolean)
            .join('+') || 'none',
        isolated: `in ${count('ingress')}/${ns.pods}  eg ${count('egress')}/${ns.pods}`,
        unknown:
          unknowns('ingress') + unknowns('egress') > 0
            ? `in ${unknowns('ingress')}  eg ${unknowns('egress')}`
            : '',
        labels: analysis.namespaces.get(ns.name)?.labels ?? {},
      };
    }),
    pods: view.pods.map((pod) => {
      const podIdx = analysis.podIndex.get(pod.id) as number;
      const labels = analysis.pods[podIdx]?.labels ?? {};
      const selecting = new Set(
        (['ingress', 'egress'] as const).flatMap((direction) =>
          analysis.pods[podIdx] ? selectingPolicies(analysis.chains.of(direction, podIdx)) : [],
        ),
      );
      return {
        key: pod.id,
        namespace: pod.namespace,
        name: pod.name,
        kind: pod.kind,
        ip: pod.ips[0] ?? '-',
        labels,
        labelText: selectorText(labelsSelector(labels)) ?? '',
        ingress: badge(pod.ingress, pod.undecided.includes('ingress')),
        egress: badge(pod.egress, pod.undecided.includes('egress')),
        policies: selecting.size,
      };
    }),
    policies: analysis.policies.map((compiled) => {
      const p = compiled.policy;
      return {
        key: `${p.namespace}/${p.name}`,
        namespace: p.namespace,
        name: p.name,
        types: p.policyTypes.join(','),
        selected: selected.get(compiled.id)?.size ?? 0,
        rules: [
          ruleSummary(p.ingress.length, compiled.isolatesIngress, 'ingress'),
          ruleSummary(p.egress.length, compiled.isolatesEgress, 'egress'),
        ]
          .filter(Boolean)
          .join(', '),
        // label=value filters on policies match the labels of the pods they select.
        labels: p.podSelector.matchLabels,
      };
    }),
    services: [...analysis.services.values()]
      .map((service) => serviceRow(analysis, service))
      .sort((a, b) => a.key.localeCompare(b.key)),
    clusterPolicies: clusterPolicyRows(analysis),
  };
}

/** A filter written as a label selector: `k=v`, `k!=v`, `k in (a,b)`, `!k`, comma-joined. */
const SELECTOR_FILTER = /^[^=]+=|!=|^!\S|\s(?:not)?in\s*\(/;

/** Whether a row, by its name and labels, passes a filter (see rowFilter). */
export type RowFilter = (name: string, labels: Labels) => boolean;

/**
 * A filter made ready to test many rows: a label selector in kubectl's syntax (`app=api`,
 * `tier in (web,api),!canary`, as -l takes) matches the row's labels exactly; anything else is
 * a case-insensitive substring of the row's name (namespace/name for pods and policies).
 */
export function rowFilter(filter: string): RowFilter {
  const trimmed = filter.trim();
  if (trimmed === '') return () => true;
  const selector = SELECTOR_FILTER.test(trimmed) ? parseSelector(trimmed) : undefined;
  if (selector?.ok) return (_name, labels) => selectorMatches(selector.value, labels);
  const lower = trimmed.toLowerCase();
  return (name) => name.toLowerCase().includes(lower);
}

/** Whether a row passes a filter (see rowFilter). */
export function passesFilter(filter: string, name: string, labels: Labels): boolean {
  return rowFilter(filter)(name, labels);
}

/** The lists built from the snapshot alone (the cluster policies and the audit's are not narrowed). */
type NamespacedList = Exclude<ListScreenId, 'audit' | 'cluster-policies'>;

/** The rows a list screen shows: narrowed to the namespace (pods, policies, services) and the filter. */
export function visibleRows(
  view: ClusterView,
  list: 'namespaces',
  namespace: string | undefined,
  filter: string,
): readonly NamespaceRow[];
export function visibleRows(
  view: ClusterView,
  list: 'pods',
  namespace: string | undefined,
  filter: string,
): readonly PodRow[];
export function visibleRows(
  view: ClusterView,
  list: 'policies',
  namespace: string | undefined,
  filter: string,
): readonly PolicyRow[];
export function visibleRows(
  view: ClusterView,
  list: 'services',
  namespace: string | undefined,
  filter: string,
): readonly ServiceRow[];
export function visibleRows(
  view: ClusterView,
  list: NamespacedList,
  namespace: string | undefined,
  filter: string,
): readonly (NamespaceRow | PodRow | PolicyRow | ServiceRow)[];
export function visibleRows(
  view: ClusterView,
  list: NamespacedList,
  namespace: string | undefined,
  filter: string,
): readonly (NamespaceRow | PodRow | PolicyRow | ServiceRow)[] {
  const passes = rowFilter(filter);
  if (list === 'namespaces') return view.namespaces.filter((row) => passes(row.name, row.labels));
  const rows: readonly (PodRow | PolicyRow | ServiceRow)[] = view[list];
  return rows.filter(
    (row) => (!namespace || row.namespace === namespace) && passes(row.key, row.labels),
  );
}
