import { terminalText } from '../../render/terminal-text.js';
import type { FindingRow } from '../audit-view.js';
import type {
  ClusterPolicyRow,
  NamespaceRow,
  PodRow,
  PolicyRow,
  ServiceRow,
} from '../view-model.js';
import type { Column } from './ListView.js';

/**
 * The namespaces list; `findings` says what the audit found in a namespace (empty until run).
 * The UNKNOWN PODS column is there only when a namespace has such pods, so that FINDINGS stays
 * on an 80-column screen otherwise.
 */
export function namespaceColumns(
  findings: (namespace: string) => string,
  withUnknown: boolean,
): Column<NamespaceRow>[] {
  const unknown: Column<NamespaceRow>[] = withUnknown
    ? [{ header: 'UNKNOWN PODS', width: 14, value: (r) => r.unknown }]
    : [];
  return [
    { header: 'NAMESPACE', width: 20, value: (r) => terminalText(r.name) },
    { header: 'PODS', width: 6, value: (r) => (r.key === '*' ? '' : `${r.pods}`) },
    { header: 'POLICIES', width: 10, value: (r) => (r.key === '*' ? '' : `${r.policies}`) },
    { header: 'DEFAULT-DENY', width: 16, value: (r) => r.defaultDeny },
    { header: 'ISOLATED PODS', width: 16, value: (r) => r.isolated },
    ...unknown,
    { header: 'FINDINGS', width: 0, value: (r) => (r.key === '*' ? '' : findings(r.name)) },
  ];
}

/**
 * The NAMESPACE column of a list that spans namespaces; none in one narrowed to a namespace,
 * as kubectl leaves it out with -n, so that the columns after it have room on 80 columns.
 */
function namespaceColumn<R extends { readonly namespace: string }>(
  spansNamespaces: boolean,
  width: number,
): Column<R>[] {
  return spansNamespaces
    ? [{ header: 'NAMESPACE', width, value: (r) => terminalText(r.namespace) }]
    : [];
}

/**
 * The pods list; `flagged` marks pods an error or warning of the audit names with "!".
 * `withNamespace`: the list spans namespaces.
 */
export function podColumns(
  flagged: (podId: string) => boolean,
  withNamespace: boolean,
): Column<PodRow>[] {
  return [
    ...namespaceColumn<PodRow>(withNamespace, 14),
    { header: 'POD', width: 30, value: (r) => terminalText(r.name) },
    { header: 'IP', width: 14, value: (r) => terminalText(r.ip) },
    { header: 'INGRESS', width: 12, value: (r) => r.ingress },
    { header: 'EGRESS', width: 12, value: (r) => r.egress },
    { header: 'POL', width: 4, value: (r) => `${r.policies}` },
    { header: '!', width: 3, value: (r) => (flagged(r.key) ? '!' : '') },
    // Rendered by selectorText, which shows each key and value safely.
    { header: 'LABELS', width: 0, value: (r) => r.labelText },
  ];
}

/** The NetworkPolicies list; `withNamespace`: the list spans namespaces. */
export function policyColumns(withNamespace: boolean): Column<PolicyRow>[] {
  return [
    ...namespaceColumn<PolicyRow>(withNamespace, 14),
    { header: 'POLICY', width: 32, value: (r) => terminalText(r.name) },
    { header: 'TYPES', width: 15, value: (r) => r.types },
    { header: 'PODS', width: 6, value: (r) => `${r.selected}` },
    { header: 'RULES', width: 0, value: (r) => r.rules },
  ];
}

/**
 * The Services list. Narrowed to a namespace it leaves the NAMESPACE column out, as kubectl
 * does, so that the selector has room on an 80-column screen.
 */
export function serviceColumns(withNamespace: boolean): Column<ServiceRow>[] {
  return [
    ...namespaceColumn<ServiceRow>(withNamespace, 12),
    { header: 'NAME', width: 16, value: (r) => terminalText(r.name) },
    { header: 'TYPE', width: 10, value: (r) => terminalText(r.type) },
    { header: 'CLUSTER-IP', width: 13, value: (r) => terminalText(r.clusterIP) },
    { header: 'PORTS', width: 22, value: (r) => terminalText(r.ports) },
    { header: 'BACKENDS', width: 9, value: (r) => r.backends },
    // Rendered by selectorText, which shows each key and value safely.
    { header: 'SELECTOR', width: 0, value: (r) => r.selector },
  ];
}

/** The cluster network policies list, in evaluation order. */
export const CLUSTER_POLICY_COLUMNS: Column<ClusterPolicyRow>[] = [
  { header: 'TIER', width: 9, value: (r) => r.tier },
  { header: 'PRIORITY', width: 9, value: (r) => `${r.priority}` },
  { header: 'POLICY', width: 30, value: (r) => terminalText(r.key) },
  { header: 'PODS', width: 6, value: (r) => `${r.governed}` },
  { header: 'INGRESS', width: 8, value: (r) => `${r.ingressRules}` },
  { header: 'EGRESS', width: 7, value: (r) => `${r.egressRules}` },
  // Rendered by selectorText, which shows each key and value safely.
  { header: 'SUBJECT', width: 0, value: (r) => r.subject },
];

/** The narrowest screen that shows the audit's CODE column; the finding screen always names it. */
export const FINDING_CODE_MIN_WIDTH = 100;

/**
 * The audit's findings list. Below FINDING_CODE_MIN_WIDTH columns it leaves the finding's
 * code out, so that its text is not cut to a few words on an 80-column screen.
 */
export function findingColumns(width: number): Column<FindingRow>[] {
  const code: Column<FindingRow>[] =
    width >= FINDING_CODE_MIN_WIDTH ? [{ header: 'CODE', width: 35, value: (r) => r.code }] : [];
  return [
    { header: 'SEVERITY', width: 9, value: (r) => r.severity },
    ...code,
    { header: 'NAMESPACE', width: 14, value: (r) => terminalText(r.namespace) },
    // Rendered by findingMessage, which shows each value safely.
    { header: 'FINDING', width: 0, value: (r) => r.message },
  ];
}
