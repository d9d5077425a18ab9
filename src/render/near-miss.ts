import type {
  Direction,
  DirectionDiagnosis,
  FlowVerdict,
  LabelDifference,
  PeerMiss,
  RuleNearMiss,
  ScaffoldRequest,
  Suggestion,
} from '../engine/index.js';
import {
  type Difference,
  dnsAssumption,
  isHostname,
  type SelectorDifference,
  selectsNothing,
} from '../engine/index.js';
import { dnsAssumptionText } from './dns.js';
import { policyText, ruleName } from './peers.js';
import { scaledToZeroText } from './replicas.js';
import { scaffoldCommand, shellWord } from './scaffold-command.js';
import { labelText, requirementText, selectorText } from './selectors.js';
import { terminalText } from './terminal-text.js';

function termText(term: LabelDifference): string {
  const { requirement } = term;
  return requirement.operator === 'In' && requirement.values.length === 1
    ? labelText(requirement.key, requirement.values[0] ?? '')
    : requirementText(requirement);
}

function termsText(labels: readonly LabelDifference[]): string {
  return labels.map(termText).join(',');
}

/** What the object has instead of the failing terms: "app=web-frontend (likely typo)". */
function actualText(labels: readonly LabelDifference[]): string {
  return labels
    .map(({ actual, likelyTypo, requirement }) =>
      actual
        ? `${labelText(actual.key, actual.value)}${likelyTypo ? ' (likely typo)' : ''}`
        : `no label ${terminalText(requirement.key)}`,
    )
    .join(' and ');
}

/** How a selector difference names its selector, what it fails to select, and who that is. */
function selectorParts(d: SelectorDifference, direction: Direction) {
  const [protectedSide, peerSide] =
    direction === 'ingress' ? ['destination', 'source'] : ['source', 'destination'];
  switch (d.kind) {
    case 'policy-selects-other-pods':
    case 'policy-selects-nothing':
      return { field: "the policy's podSelector", none: 'pod', whom: `the ${protectedSide}` };
    case 'label-mismatch':
    case 'pod-selector-matches-nothing':
      return { field: "the peer's podSelector", none: 'pod', whom: `the ${peerSide}` };
    case 'namespace-label-mismatch':
    case 'namespace-selector-matches-nothing':
      return {
        field: "the peer's namespaceSelector",
        none: 'namespace',
        whom: `namespace ${terminalText(d.subject)}`,
      };
  }
}

/**
 * "the peer's podSelector app=x matches no running pod: Deployment shop/x has replicas: 0, ...":
 * a selector that selects only workloads scaled to zero, named so it reads as no mistake.
 */
function scaledToZeroSelectorText(d: SelectorDifference, field: string): string | undefined {
  if (!d.scaledToZero) return undefined;
  const idle = d.scaledToZero.map(scaledToZeroText).join('; ');
  return `${field} ${selectorText(d.selector)} matches no running pod: ${idle}`;
}

function selectorDifferenceText(d: SelectorDifference, direction: Direction): string {
  const { field, none, whom } = selectorParts(d, direction);
  const what = selectsNothing(d)
    ? `${field} ${selectorText(d.selector)} matches no ${none}`
    : `${field} wants ${termsText(d.labels)}`;
  const idle = scaledToZeroSelectorText(d, field);
  return `${what}; ${whom} has ${actualText(d.labels)}${idle ? `; ${idle}` : ''}`;
}

function differenceText(d: Difference, direction: Direction, verdict: FlowVerdict): string {
  if ('labels' in d) return selectorDifferenceText(d, direction);
  const peer = direction === 'ingress' ? 'source' : 'destination';
  const asked = `you asked for ${verdict.protocol} ${verdict.port}`;
  switch (d.kind) {
    case 'other-namespace':
      return `the peer only admits pods of namespace ${terminalText(d.policyNamespace)}; the ${peer} is in ${terminalText(d.namespace)}`;
    case 'not-a-pod':
      return `the peer admits pods; the ${peer} is an address, not a pod`;
    case 'host-network':
      return `the peer admits pods by label; the ${peer} uses the host network and carries the node's address`;
    case 'ip-unknown':
      return `the peer admits ${terminalText(d.cidr)}; whether it holds the ${peer} depends on the ${peer}'s IP, which is unknown`;
    case 'namespace-not-given':
      return `the peer's namespaceSelector needs labels of namespace ${terminalText(d.namespace)}, which is not in the input, so they are unknown`;
    case 'outside-pod-range':
      return `the peer admits ${terminalText(d.cidr)}; the ${peer}'s IP is unknown, but the pod range lies outside it`;
    case 'outside-cidr':
      return `the peer admits ${terminalText(d.cidr)}; the ${peer} is outside it`;
    case 'name-addresses':
      return `the peer admits ${terminalText(d.cidr)}; whether it holds the ${peer} depends on the addresses ${terminalText(d.hostname)} resolves to`;
    case 'calico-condition':
      return `the rule's ${d.condition} does not hold for the ${peer}: ${terminalText(d.reason)}`;
    case 'excepted':
      return `the peer admits ${terminalText(d.cidr)} except ${terminalText(d.except)}, which holds the ${peer}`;
    case 'port':
      return `${d.protocol} ${d.from === d.to ? d.from : `${d.from}-${d.to}`} is allowed, ${asked}`;
    case 'named-port-other':
      return `${d.protocol} ${terminalText(d.name)} (${d.resolved} on the destination) is allowed, ${asked}`;
    case 'named-port-missing':
      return `${d.protocol} ${terminalText(d.name)} is allowed, but the destination has no ${d.protocol} port named ${terminalText(d.name)}`;
    case 'protocol':
      return `only ${d.expected} is allowed, ${asked}`;
    case 'cilium-entity':
      return `the peer admits the ${d.entity} entity; the ${peer} is not part of it`;
    case 'cilium-cidr-pod':
      return `the peer admits ${terminalText(d.cidr)}, which Cilium never matches against the cluster's pods`;
    case 'cilium-cidr-node':
      return `the peer admits ${terminalText(d.cidr)}, which Cilium does not match against a node's address unless cilium-config's policy-cidr-match-mode names nodes`;
    case 'node-host':
      return `the ${peer} is not the host of the pod's node: ${nodeHostMissText(d.reason)}`;
  }
}

/** The near misses tied for closest. */
export function closestMisses(diagnosis: DirectionDiagnosis): RuleNearMiss[] {
  const best = diagnosis.closest[0]?.distance;
  return diagnosis.closest.filter((miss) => miss.distance === best);
}

/**
 * "closest: staging/allow-x ingress rule 1: the policy's podSelector app=x matches no pod; ...":
 * a near miss in full, for a rule the explanation does not list (its policy does not select the pod).
 */
export function nearMissLine(miss: RuleNearMiss, verdict: FlowVerdict): string {
  const where = ruleName(miss.policy, miss.direction, miss.ruleIndex);
  const what = miss.differences.map((d) => differenceText(d, miss.direction, verdict));
  return `closest: ${where}: ${what.join('; ')}`;
}

function isPortMiss(d: Difference): boolean {
  return d.kind === 'port' || d.kind === 'protocol' || d.kind.startsWith('named-port');
}

/**
 * What a near miss adds to the explanation of its rule, which already states the first failing
 * term of each peer: selectors that match nothing, likely typos, and the other failing terms.
 */
export function nearMissNotes(miss: RuleNearMiss, verdict: FlowVerdict): string[] {
  const [first, ...rest] = miss.differences.filter((d) => !isPortMiss(d));
  if (!first) return [];
  const notes: string[] = [];
  if ('labels' in first) {
    const { field, none, whom } = selectorParts(first, miss.direction);
    const [term, ...more] = first.labels;
    if (selectsNothing(first)) {
      notes.push(`${field} ${selectorText(first.selector)} matches no ${none}`);
    }
    const idle = scaledToZeroSelectorText(first, field);
    if (idle) notes.push(idle);
    if (term?.likelyTypo && term.actual) {
      notes.push(
        `${termText(term)} is likely a typo of ${labelText(term.actual.key, term.actual.value)}`,
      );
    }
    if (more.length > 0)
      notes.push(`${field} also wants ${termsText(more)}; ${whom} has ${actualText(more)}`);
  }
  return [...notes, ...rest.map((d) => differenceText(d, miss.direction, verdict))];
}

function suggestionLines(suggestion: Suggestion): string[] {
  if (suggestion.kind === 'label-namespace') {
    const { namespace, label, byName } = suggestion;
    const line = `likely mistake: label the namespace: kubectl label namespace ${shellWord(namespace)} ${shellWord(`${label.key}=${label.value}`)}`;
    if (!byName) return [line];
    const name = labelText(byName.label.key, byName.label.value);
    return [
      line,
      `  or select it by the label every namespace has: in ${policyText(byName.policy)} ${byName.field}, ${labelText(label.key, label.value)} -> ${name}`,
    ];
  }
  const { policy, field, wanted, actual, pod } = suggestion;
  const line = `likely mistake: in ${policyText(policy)} ${field}, ${labelText(wanted.key, wanted.value)} should probably be ${labelText(actual.key, actual.value)}`;
  if (!pod) return [line];
  const label = shellWord(`${wanted.key}=${wanted.value}`);
  const relabel =
    pod.kind === 'Pod'
      ? `kubectl label pod ${shellWord(pod.name)} -n ${shellWord(pod.namespace)} ${label} --overwrite`
      : `label the pod template of ${terminalText(`${pod.kind} ${pod.namespace}/${pod.name}`)} ${labelText(wanted.key, wanted.value)}`;
  return [line, `  or, if the pod's label is the typo: ${relabel}`];
}

function fixHead(
  diagnosis: DirectionDiagnosis,
  flow: { from: string; to: string },
  verdict: FlowVerdict,
): string {
  const what = `${verdict.protocol} ${verdict.port}`;
  if (diagnosis.kind === 'dns-egress-blocked' && diagnosis.fix?.kind === 'allow-dns') {
    const namespace = terminalText(diagnosis.pod.split('/')[0] ?? '');
    return `to allow it: let the pods of ${namespace} reach the cluster DNS on UDP and TCP ${verdict.port}`;
  }
  const [from, to] = [terminalText(flow.from), terminalText(flow.to)];
  if (diagnosis.direction === 'egress' && isHostname(flow.to)) {
    return `to allow it: give ${from} an egress rule to the addresses ${to} resolves to on ${what} (NetworkPolicies match addresses, not names), or accept ${to} in a ClusterNetworkPolicy domainNames rule`;
  }
  return diagnosis.direction === 'egress'
    ? `to allow it: give ${from} an egress rule to ${to} on ${what}`
    : `to allow it: give ${to} an ingress rule from ${from} on ${what}`;
}

/**
 * What a denied DNS flow on `port` means for the pod's lookups, UDP and TCP told apart (a DNS
 * server takes both on one port, as CoreDNS binds each server block's port for both).
 */
function dnsLine(diagnosis: DirectionDiagnosis, protocol: string, port: number): string {
  const pod = terminalText(diagnosis.pod);
  const server =
    diagnosis.dns?.server === 'node-local-dns' ? 'NodeLocal DNSCache' : 'the cluster DNS';
  const other = diagnosis.dns?.otherAllowed ? diagnosis.dns.otherProtocol : undefined;
  const cause = `its egress is isolated and no rule allows ${protocol} ${port} to ${server}`;
  if (protocol === 'TCP' && other === 'UDP') {
    return `dns: ${pod} resolves names over UDP ${port}, but DNS over TCP ${port} is blocked: answers too large for UDP (truncated, retried over TCP) fail; ${cause}`;
  }
  if (protocol === 'UDP' && other === 'TCP') {
    return `dns: ${pod} cannot resolve names: resolvers ask over UDP ${port} first, and only TCP ${port} is allowed; ${cause}`;
  }
  const both = protocol === 'TCP' ? 'UDP or TCP' : protocol;
  return `dns: ${pod} cannot resolve names: its egress is isolated and no rule allows ${both} ${port} to ${server}`;
}

/**
 * The lines after a denied flow's explanation, for one denied direction: a DNS cause, likely
 * mistakes, and the command that would allow it (with `snapshotFlags` appended).
 */
export function diagnosisLines(
  diagnosis: DirectionDiagnosis,
  flow: { from: string; to: string },
  verdict: FlowVerdict,
  snapshotFlags: readonly string[] = [],
): string[] {
  const dns =
    diagnosis.kind === 'dns-egress-blocked'
      ? [dnsLine(diagnosis, verdict.protocol, verdict.port)]
      : [];
  return [
    ...dns,
    ...diagnosis.suggestions.flatMap(suggestionLines),
    diagnosis.fix ? `${fixHead(diagnosis, flow, verdict)}:` : fixHead(diagnosis, flow, verdict),
    ...(diagnosis.fix ? fixCommandLines(diagnosis.fix, snapshotFlags) : []),
  ];
}

/** A fix's command, and what its allow-dns rule assumes of the cluster DNS (to check first). */
function fixCommandLines(fix: ScaffoldRequest, snapshotFlags: readonly string[]): string[] {
  const assumption = dnsAssumption(fix);
  return [
    `  ${scaffoldCommand(fix, snapshotFlags)}`,
    ...(assumption ? [`  # ${dnsAssumptionText(assumption)}`] : []),
  ];
}

/** Why the other side is not the host of the pod's node, in words. */
export function nodeHostMissText(
  reason: Extract<PeerMiss, { kind: 'node-host' }>['reason'],
): string {
  switch (reason) {
    case 'not-host-network':
      return 'it does not use the host network, so it is not the host of a node';
    case 'other-node':
      return 'it runs on another node';
    case 'node-unknown':
      return 'whether it runs on the same node is unknown (no spec.nodeName)';
  }
}
