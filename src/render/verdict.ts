import type {
  Analysis,
  CalicoRuleMiss,
  CheckedFlow,
  ClusterRuleMatch,
  Direction,
  DirectionDiagnosis,
  DirectionVerdict,
  FlowVerdict,
  MaskedClientDoubt,
  NetworkPolicy,
  PeerMiss,
  PolicyPeer,
  PolicyPort,
  PolicyRef,
  PortMiss,
  RouteDoubt,
  RuleMatch,
  RuleMiss,
  RuleNearMiss,
  UndecidedLayer,
} from '../engine/index.js';
import {
  bothSidesFix,
  clusterPolicyDenial,
  OUTCOME_STRICTNESS,
  sideL7Restriction,
} from '../engine/index.js';
import { calicoDeciderText, calicoTierText } from './calico-tiers.js';
import { ciliumIsolationText, ciliumMatchLines } from './cilium-rules.js';
import { clusterRuleText, clusterTierText } from './cluster-tiers.js';
import { ciliumSctpDropText, undecidedLayerText } from './completeness.js';
import {
  closestMisses,
  diagnosisLines,
  nearMissLine,
  nearMissNotes,
  nodeHostMissText,
} from './near-miss.js';
import { peerText, policyText, ruleName } from './peers.js';
import { policyPortText } from './ports.js';
import { autoscaledNote, replicasText } from './replicas.js';
import { scaffoldFixCommand } from './scaffold-command.js';
import { mismatchText } from './selectors.js';
import { serviceIpCaveatLines } from './service-ip.js';
import { MESSAGE_LIMIT, terminalText } from './terminal-text.js';

function findPolicy(analysis: Analysis, ref: PolicyRef): NetworkPolicy | undefined {
  return analysis.cluster.policies.find(
    (p) => p.namespace === ref.namespace && p.name === ref.name,
  );
}

function ruleOf(analysis: Analysis, ref: PolicyRef, direction: Direction, ruleIndex: number) {
  const policy = findPolicy(analysis, ref);
  return (direction === 'ingress' ? policy?.ingress : policy?.egress)?.[ruleIndex];
}

function matchText(analysis: Analysis, match: RuleMatch): string {
  const rule = ruleOf(analysis, match.policy, match.direction, match.ruleIndex);
  const peer: PolicyPeer | null =
    match.peerIndex === null ? null : (rule?.peers[match.peerIndex] ?? null);
  const port: PolicyPort | undefined =
    match.portIndex === null ? undefined : rule?.ports[match.portIndex];
  const portPart = port ? `on ${policyPortText(port)}` : 'on all ports';
  return `${ruleName(match.policy, match.direction, match.ruleIndex)}: ${peerText(peer, match.policy.namespace)}, ${portPart}`;
}

/** Why a peer did not match, in words. */
export function peerMissText(miss: PeerMiss): string {
  switch (miss.kind) {
    case 'other-namespace':
      return `the peer only selects pods in namespace ${terminalText(miss.policyNamespace)}, not ${terminalText(miss.namespace)}`;
    case 'namespace-labels':
      return mismatchText(miss.mismatch, `namespace ${terminalText(miss.namespace)}`);
    case 'namespace-not-given':
      return `namespace ${terminalText(miss.namespace)} is not in the input: whether it has the labels wanted is unknown`;
    case 'pod-labels':
      return mismatchText(miss.mismatch, `pod ${terminalText(miss.pod)}`);
    case 'host-network':
      return 'the pod uses the host network; selectors do not match it (its traffic carries the node address)';
    case 'not-a-pod':
      return 'the address is not a pod, and only ipBlock peers match addresses';
    case 'ip-unknown':
      return `the pod's IP is unknown, and ${terminalText(miss.cidr)} holds only part of where it may lie`;
    case 'outside-pod-range':
      return `the pod's IP is unknown, but the pod range lies outside ${terminalText(miss.cidr)}`;
    case 'outside-cidr':
      return `the address is outside ${terminalText(miss.cidr)}`;
    case 'name-addresses':
      return `whether ${terminalText(miss.cidr)} holds the addresses ${terminalText(miss.hostname)} resolves to depends on DNS`;
    case 'calico-condition':
      return `its ${miss.condition} does not hold: ${terminalText(miss.reason)}`;
    case 'excepted':
      return `the address is inside ${terminalText(miss.cidr)} but excluded by except ${terminalText(miss.except)}`;
    case 'cilium-entity':
      return `it is not part of the ${miss.entity} entity`;
    case 'cilium-cidr-pod':
      return `Cilium does not match the cluster's own pods against ${terminalText(miss.cidr)}`;
    case 'cilium-cidr-node':
      return `the address is a node's, which Cilium does not match against ${terminalText(miss.cidr)} (cilium-config policy-cidr-match-mode does not name nodes)`;
    case 'node-host':
      return nodeHostMissText(miss.reason);
  }
}

/**
 * Why a port entry did not match the asked protocol and port, in words; `entry`, the entry as
 * written, tells a range the network plugin cut (Cilium before 1.16 ignores endPort).
 */
export function portMissText(
  miss: PortMiss,
  protocol: string,
  port: number,
  entry?: PolicyPort,
): string {
  const asked = `${protocol} ${port}`;
  switch (miss.kind) {
    case 'protocol':
      return `it is for ${miss.expected}, not ${protocol}`;
    case 'port':
      return entry?.endPort !== undefined && miss.to !== entry.endPort
        ? `${asked} is not in it: the cluster's Cilium (before 1.16) ignores endPort, so it admits only ${miss.protocol} ${miss.from}`
        : `${asked} is not in it`;
    case 'named-port-missing':
      return `the destination has no ${miss.protocol} container port named ${terminalText(miss.name)}`;
    case 'named-port-other':
      return `${terminalText(miss.name)} is ${miss.protocol} ${miss.resolved} on the destination, not ${port}`;
  }
}

/** A rule's misses; when it came closest, `near` adds what they leave out and `mark` says so. */
function missLines(
  analysis: Analysis,
  miss: RuleMiss,
  verdict: FlowVerdict,
  near: RuleNearMiss | undefined,
  mark: boolean,
): string[] {
  const rule = ruleOf(analysis, miss.policy, miss.direction, miss.ruleIndex);
  const closest = near && mark ? ' (closest)' : '';
  const lines = [
    `${ruleName(miss.policy, miss.direction, miss.ruleIndex)} does not match${closest}:`,
  ];
  for (const peerMiss of miss.peerMisses) {
    const peer = rule?.peers[peerMiss.peerIndex] ?? null;
    lines.push(
      `  peer ${peerMiss.peerIndex + 1} (${peerText(peer, miss.policy.namespace)}): ${peerMissText(peerMiss)}`,
    );
  }
  for (const portMiss of miss.portMisses) {
    const port = rule?.ports[portMiss.portIndex];
    lines.push(
      `  port ${portMiss.portIndex + 1}${port ? ` (${policyPortText(port)})` : ''}: ${portMissText(portMiss, verdict.protocol, verdict.port, port)}`,
    );
  }
  const notes = near ? nearMissNotes(near, verdict) : [];
  return [...lines, ...notes.map((note) => `  ${note}`)];
}

/** Why a rule of a Calico tier did not match: its other side's condition or its ports. */
function calicoMissLines(miss: CalicoRuleMiss, flow: FlowVerdict): string[] {
  const side = miss.direction === 'ingress' ? 'source' : 'destination';
  return [
    `${terminalText(miss.policy)} ${miss.direction} rule ${miss.ruleIndex + 1} does not match:`,
    ...miss.peerMisses.map(
      (peerMiss) =>
        `  ${peerMiss.kind === 'calico-condition' ? side : `peer ${peerMiss.peerIndex + 1}`}: ${peerMissText(peerMiss)}`,
    ),
    // Calico's ports are numbered as compiled (notPorts taken out): named by what they hold.
    ...miss.portMisses.map((portMiss) => {
      const port = miss.ports[portMiss.portIndex];
      const name = port ? policyPortText(port) : String(portMiss.portIndex + 1);
      return `  port ${name}: ${portMissText(portMiss, flow.protocol, flow.port)}`;
    }),
  ];
}

/**
 * The explanation of a denied direction: policies without rules, each rule's misses (the
 * closest marked), and the closest rules of policies that do not select the pod.
 */
function deniedLines(
  analysis: Analysis,
  flow: FlowVerdict,
  side: { direction: Direction; verdict: Extract<DirectionVerdict, { kind: 'denied' }> },
  subject: string,
  diagnosis: DirectionDiagnosis | undefined,
): string[] {
  const { direction, verdict } = side;
  const closest = diagnosis ? closestMisses(diagnosis) : [];
  const find = (miss: RuleMiss) =>
    closest.find(
      (c) =>
        c.ruleIndex === miss.ruleIndex &&
        c.policy.namespace === miss.policy.namespace &&
        c.policy.name === miss.policy.name,
    );
  const listed = verdict.misses.map((miss) => ({ miss, near: find(miss) }));
  // Marking helps only when some listed rule is not among the closest.
  const mark = listed.some(({ near }) => !near);
  const unlisted = closest.filter((c) => !listed.some(({ near }) => near === c));
  return [
    ...verdict.rulelessPolicies.map(
      (p) => `${policyText(p.policy)} has no ${p.direction} rules: it only isolates`,
    ),
    ...listed.flatMap(({ miss, near }) => missLines(analysis, miss, flow, near, mark)),
    ...(verdict.misses.length === 0 && verdict.rulelessPolicies.length > 0
      ? [`no rule allows any ${direction} traffic for ${subject}`]
      : []),
    ...unlisted.map((near) => nearMissLine(near, flow)),
  ];
}

const UNRESTRICTED: Record<string, (subject: string, direction: Direction) => string> = {
  'no-policy': (subject, direction) =>
    `not isolated: no NetworkPolicy selects ${subject} for ${direction}`,
  'host-network': (subject) =>
    `not isolated: ${subject} uses the host network, and NetworkPolicies do not apply to host-network pods`,
  'outside-cluster': (subject) =>
    `not governed: ${subject} is not a pod of the cluster, so no NetworkPolicy restricts its side`,
  self: () => 'allowed: a pod can always reach itself',
};

/**
 * A hostNetwork pod's side where the plugin may apply the policies selecting it (`selectedBy`):
 * as the reading that ignores them answers when the readings differ (`undecided` names that),
 * else as both do.
 */
function hostSubjectText(
  subject: string,
  selectedBy: readonly PolicyRef[],
  undecided: readonly UndecidedLayer[],
): string {
  const policies = selectedBy.map(policyText).join(', ');
  const one = selectedBy.length === 1;
  if (undecided.some((layer) => layer.kind === 'host-network-subject'))
    return `not isolated: ${subject} uses the host network, and ${policies} ${one ? 'does' : 'do'} not apply to it`;
  return `allowed either way: ${subject} uses the host network, and ${policies}, which ${one ? 'selects' : 'select'} it, ${one ? 'admits' : 'admit'} this too where the plugin applies policies to such pods`;
}

/**
 * The lines explaining one direction of a flow, with the diagnosis of a denied one; `subject`
 * is already safe for a terminal.
 */
export function directionLines(
  analysis: Analysis,
  flow: FlowVerdict,
  direction: Direction,
  subject: string,
  diagnoses: readonly DirectionDiagnosis[] = [],
): string[] {
  const verdict: DirectionVerdict = flow[direction];
  const head = `${direction} of ${subject}:`;
  if (!verdict.undecided) return policyLines(analysis, flow, direction, subject, head, diagnoses);
  // Only an unknown IP undecides it: the policies' answer is the one for an IP in the ipBlock.
  const ipOnly = verdict.undecided.every((layer) => layer.kind === 'pod-ip');
  return [
    ipOnly
      ? `${head} UNKNOWN: it depends on an IP the input does not show`
      : `${head} UNKNOWN: what could not be read or evaluated may decide it`,
    ...verdict.undecided.map((layer) => `  ${undecidedLayerText(layer)}`),
    ...policyLines(analysis, flow, direction, subject, readHead(verdict, ipOnly), diagnoses).map(
      (line) => `  ${line}`,
    ),
  ];
}

/** The policy layers a side's verdict was computed with, NetworkPolicies always among them. */
function layerSet(verdict: DirectionVerdict): string[] {
  const cilium =
    verdict.kind === 'cilium-policy' ||
    ('ciliumIsolation' in verdict && verdict.ciliumIsolation) ||
    ('ciliumMatches' in verdict && verdict.ciliumMatches);
  return [
    ...(verdict.clusterTiers ? ['ClusterNetworkPolicies'] : []),
    ...(verdict.calicoTiers ? ['Calico policies'] : []),
    ...(cilium ? ['Cilium policies'] : []),
    'NetworkPolicies',
  ];
}

/**
 * What an UNKNOWN side's policies decide when what is unknown is set aside, as a heading that
 * names the layers it was computed with (with the plugin unknown, only some of those present).
 */
function readHead(verdict: DirectionVerdict, ipOnly: boolean): string {
  if (ipOnly) return 'if that IP is in the ipBlock:';
  if (verdict.undecided?.every((layer) => layer.kind === 'node-unknown'))
    return 'if it runs on the same node:';
  if (verdict.undecided?.every((layer) => layer.kind === 'node-local-plugin'))
    return 'if the plugin applies its policies to it:';
  if (verdict.undecided?.every((layer) => layer.kind === 'host-network-subject'))
    return 'if the plugin ignores hostNetwork pods in selectors:';
  const layers = layerSet(verdict);
  const last = layers.pop();
  return layers.length === 0
    ? `${last} alone:`
    : `computed with ${layers.join(', ')} and ${last}, setting that aside:`;
}

/** The lines of one direction as its NetworkPolicies decide it, under `head`. */
function policyLines(
  analysis: Analysis,
  flow: FlowVerdict,
  direction: Direction,
  subject: string,
  head: string,
  diagnoses: readonly DirectionDiagnosis[],
): string[] {
  const verdict: DirectionVerdict = flow[direction];
  const tiers = [
    ...(verdict.clusterTiers ?? []).map((step) => `  ${clusterTierText(step)}`),
    ...(verdict.calicoTiers ?? []).map((step) => `  ${calicoTierText(step)}`),
  ];
  if (verdict.kind === 'calico') {
    const outcome = verdict.match.action === 'Allow' ? 'allowed' : 'DENIED';
    const misses = (verdict.match.misses ?? []).flatMap((miss) => calicoMissLines(miss, flow));
    return [
      `${head} ${outcome} by ${calicoDeciderText(verdict.match)}`,
      ...tiers,
      ...misses.map((line) => `  ${line}`),
    ];
  }
  if (verdict.kind === 'cluster-policy') {
    const outcome = verdict.match.action === 'Accept' ? 'allowed' : 'DENIED';
    return [`${head} ${outcome} by the ${verdict.match.tier} tier`, ...tiers];
  }
  if (verdict.kind === 'node-local') {
    const other = direction === 'ingress' ? 'the source' : 'the destination';
    const node = verdict.node ? ` (nodeName ${terminalText(verdict.node)})` : '';
    return [
      `${head} allowed: node-local traffic: ${other} is the host of ${subject}'s node${node}; Kubernetes always allows it (isolated by ${verdict.isolatedBy.map(policyText).join(', ')})`,
      ...tiers,
    ];
  }
  if (verdict.kind === 'unrestricted') {
    const text = verdict.selectedBy
      ? hostSubjectText(subject, verdict.selectedBy, verdict.undecided ?? [])
      : (UNRESTRICTED[verdict.reason]?.(subject, direction) ?? verdict.reason);
    return [`${head} ${text}`, ...tiers];
  }
  if (verdict.kind === 'cilium-datapath') {
    return [`${head} DENIED: ${ciliumSctpDropText(verdict.sctp)}`, ...tiers];
  }
  const isolated = `isolated by ${[
    ...verdict.isolatedBy.map(policyText),
    ...(verdict.ciliumIsolation ? [ciliumIsolationText(verdict.ciliumIsolation)] : []),
  ].join(', ')}`;
  if (verdict.kind === 'cilium-policy') {
    const denied = verdict.matches.some((match) => match.action === 'deny');
    const l7 = sideL7Restriction(verdict).length > 0;
    const outcome = denied
      ? 'DENIED by a Cilium deny rule (deny rules take precedence over every allow)'
      : `allowed${l7 ? ' at L4, only for the listed requests' : ''} (${isolated})`;
    return [
      `${head} ${outcome}`,
      ...tiers,
      ...ciliumMatchLines(verdict.matches).map((line) => `  ${line}`),
    ];
  }
  if (verdict.kind === 'allowed') {
    return [
      `${head} allowed (${isolated})`,
      ...tiers,
      ...verdict.matches.map((match) => `  allowed by ${matchText(analysis, match)}`),
      ...ciliumMatchLines(verdict.ciliumMatches ?? [], true).map((line) => `  ${line}`),
    ];
  }
  return [
    `${head} DENIED (${isolated})`,
    ...tiers,
    ...deniedLines(
      analysis,
      flow,
      { direction, verdict },
      subject,
      diagnoses.find((d) => d.direction === direction),
    ).map((line) => `  ${line}`),
  ];
}

/**
 * The verdict line and the explanation of both directions (with their diagnoses, if denied);
 * `source` and `destination` are already safe for a terminal. With `unenforcedBy`, the network
 * plugin that ignores NetworkPolicies: the line leads with what the traffic does, ALLOWED, and
 * puts the policies' verdict beside it.
 */
export function flowVerdictLines(
  analysis: Analysis,
  verdict: FlowVerdict,
  source: string,
  destination: string,
  diagnoses: readonly DirectionDiagnosis[] = [],
  unenforcedBy?: string,
): string[] {
  const flow = `${source} -> ${destination}  ${verdict.protocol} ${verdict.port}`;
  const outcome = verdict.families ? familiesText(verdict.families) : verdict.verdict;
  const head =
    unenforcedBy && verdict.verdict !== 'ALLOWED'
      ? `ALLOWED  ${flow}  (${outcome} by policy, not enforced by ${terminalText(unenforcedBy)})`
      : `${outcome}  ${flow}`;
  const isSelf = (side: DirectionVerdict) => side.kind === 'unrestricted' && side.reason === 'self';
  if (isSelf(verdict.egress) && isSelf(verdict.ingress)) {
    return [
      head,
      '  a pod can always reach itself: NetworkPolicies do not apply to traffic to itself',
    ];
  }
  const sides = (flow: FlowVerdict, diagnosed: readonly DirectionDiagnosis[]) => [
    ...directionLines(analysis, flow, 'egress', source, diagnosed),
    ...directionLines(analysis, flow, 'ingress', destination, diagnosed),
  ];
  if (!verdict.families) return [head, ...sides(verdict, diagnoses).map((l) => `  ${l}`)];
  // Each family's sides; the diagnosis is of the family that closes the flow.
  const families = Object.entries(verdict.families).flatMap(([family, answer]) => [
    `  over ${family}:`,
    ...sides({ ...verdict, ...answer }, answer.verdict === verdict.verdict ? diagnoses : []).map(
      (l) => `    ${l}`,
    ),
  ]);
  return [head, ...families];
}

/** A verdict that differs by address family, the stricter first: "DENIED over IPv6, ALLOWED over IPv4". */
function familiesText(families: NonNullable<FlowVerdict['families']>): string {
  return Object.entries(families)
    .sort(([, a], [, b]) => OUTCOME_STRICTNESS[b.verdict] - OUTCOME_STRICTNESS[a.verdict])
    .map(([family, answer]) => `${answer.verdict} over ${family}`)
    .join(', ');
}

/** For a workload checked against itself: that the flow is between two of its replicas. */
function replicaLines(analysis: Analysis, flow: CheckedFlow): string[] {
  if (flow.from !== flow.to || !flow.verdict) return [];
  const pod = analysis.pods[analysis.podIndex.get(flow.from) ?? -1];
  if (!pod || pod.replicas === undefined || pod.replicas === 1) return [];
  const workload = `${terminalText(pod.kind)} ${terminalText(pod.id)}`;
  if (pod.replicas === 0) {
    // No pod runs now: the answer is for two of its pods once it runs with two or more.
    return [
      `  (between two pods of ${workload} once it runs with two or more replicas; none runs now: policies apply to that traffic, while a pod reaching itself is always allowed)`,
    ];
  }
  return [
    `  (between two of the ${replicasText(pod)} replicas of ${workload}${autoscaledNote(pod)}: policies apply to that traffic)`,
  ];
}

/**
 * The lines of one flow of a check: its verdict and explanation, or why there is none;
 * `unenforcedBy` as for flowVerdictLines.
 */
function checkedFlowLines(analysis: Analysis, flow: CheckedFlow, unenforcedBy?: string): string[] {
  const from = terminalText(flow.from);
  const to = terminalText(flow.to);
  return [
    ...(flow.verdict
      ? flowVerdictLines(analysis, flow.verdict, from, to, flow.diagnosis, unenforcedBy)
      : [`DENIED  ${from} -> ${to}: ${terminalText(flow.problem ?? '', MESSAGE_LIMIT)}`]),
    ...replicaLines(analysis, flow),
    ...(flow.via ? [`  (${terminalText(flow.via, MESSAGE_LIMIT)})`] : []),
    ...serviceIpCaveatLines(flow.caveats),
    ...(flow.routeDoubt ? [`  UNKNOWN route: ${routeDoubtText(flow.routeDoubt)}`] : []),
  ];
}

/**
 * The text of a check's flows, as check and the TUI's check print them: each flow's verdict
 * and explanation, then its remedies (their commands read the snapshot `snapshotFlags` name).
 * `unenforcedBy` as for flowVerdictLines.
 */
export function checkFlowsLines(
  analysis: Analysis,
  flows: readonly CheckedFlow[],
  unenforcedBy?: string,
  snapshotFlags: readonly string[] = [],
): string[] {
  return flows.flatMap((flow) => [
    ...checkedFlowLines(analysis, flow, unenforcedBy),
    ...remedyLines(flow, snapshotFlags),
  ]);
}

/** Why kube-proxy may not send the source to this backend, in words. */
function routeDoubtText(doubt: RouteDoubt): string {
  const service = terminalText(doubt.service);
  switch (doubt.kind) {
    case 'node-unknown':
      return `service ${service} has internalTrafficPolicy Local and the source's node or a backend's is unknown, so the source may reach only some of these backends, or none`;
    case 'topology-hints':
      return `service ${service} has topology hints, so kube-proxy may send the source only to the backends hinted for its zone or node, which the input does not show`;
    case 'cilium-terminating':
      return doubt.why === 'setting-unknown'
        ? `no endpoint of service ${service} is ready, and Cilium before 1.18 sends to its terminating ones only with cilium-config enable-k8s-terminating-endpoint on, which is not known here (cilium-config unread, or the agents' release not known against 1.18)`
        : `no endpoint of service ${service} is ready, and Cilium (enable-k8s-terminating-endpoint off) leaves out its terminating ones where its kube-proxy replacement serves this hostNetwork source, kube-proxy does not, and which of them does is not read`;
    case 'masked-client':
      return `the source is outside the cluster's pods, and the backends of service ${service} may see its connection from a node's address instead (${MASQUERADE_TEXT}), while the policies' answer depends on the source's address`;
  }
}

/** When a node shows a Service's backends a client outside the pods by its own address. */
export const MASQUERADE_TEXT =
  "kube-proxy masquerades such a connection unless the Service is a NodePort or LoadBalancer with externalTrafficPolicy Local, or Cilium's load balancer serves it in DSR mode; whether policies see the address before or after is the network plugin's";

/** The lines under an explain rule that admits clients by address, one per masked-client doubt. */
export function maskedClientLines(doubts: readonly MaskedClientDoubt[] | undefined): string[] {
  return (doubts ?? []).map(
    ({ service }) =>
      `      UNKNOWN through service ${terminalText(service)}: its backends may see these clients from a node's address instead (${MASQUERADE_TEXT}), which this rule may answer otherwise; straight to the pod's address it stands`,
  );
}

/**
 * Why no NetworkPolicy can allow a flow the Admin tier denies, and what would have to change:
 * Admin rules are evaluated before every NetworkPolicy.
 */
function adminDenialLines(denial: ClusterRuleMatch): string[] {
  return [
    `  no NetworkPolicy can allow it: the Admin tier denies it first (${clusterRuleText(denial)})`,
    '  to allow it: a cluster administrator changes that rule, or adds an Admin Accept for this flow at a lower priority number',
  ];
}

/**
 * What would have to change for a denied flow, per denied direction: the rules that came
 * closest, likely mistakes, and the scaffold command that would allow it (and, when both sides
 * deny, the one command that writes both policies). `snapshotFlags`
 * (`--demo`, `-f PATH`) are added to the command so that it previews the same snapshot.
 */
function remedyLines(flow: CheckedFlow, snapshotFlags: readonly string[] = []): string[] {
  const verdict = flow.verdict;
  if (verdict?.verdict !== 'DENIED') return [];
  const adminDenial = clusterPolicyDenial(flow);
  if (adminDenial?.tier === 'Admin') return adminDenialLines(adminDenial);
  const diagnosis = flow.diagnosis ?? [];
  const both = bothSidesFix(diagnosis)
    ? [
        'to allow both sides in one go (one file, both policies):',
        `  ${scaffoldFixCommand(flow, verdict, snapshotFlags)}`,
      ]
    : [];
  return [
    ...diagnosis.flatMap((d) => diagnosisLines(d, flow, verdict, snapshotFlags)),
    ...both,
  ].map((line) => `  ${line}`);
}
