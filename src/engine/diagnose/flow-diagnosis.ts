import { detectNodeLocalDns, NODE_LOCAL_DNS_ADDRESS } from '../cni/node-local-dns.js';
import type { Analysis, CompiledPolicy, Direction } from '../compile/compile.js';
import { type Endpoint, endpointPorts, type PodEndpoint } from '../compile/endpoint.js';
import { allowedConnections, restrictingPolicies } from '../evaluate/connections.js';
import type { DirectionVerdict, FlowVerdict } from '../evaluate/evaluate.js';
import type { ClusterPolicyTier } from '../model/cluster-policy.js';
import type { Protocol } from '../model/types.js';
import { portSetAllows } from '../primitives/port-set.js';
import { type AnalysisDns, analysisDns } from '../scaffold/analysis-dns.js';
import { servesDns } from '../scaffold/cluster-dns.js';
import { candidateServices, DNS_SERVICE_PORT, dnsPodPort } from '../scaffold/dns-ports.js';
import type { ScaffoldRequest } from '../scaffold/scaffold.js';
import { scaffoldFix } from '../scaffold/scaffold-fix.js';
import { type FlowQuestion, type RuleNearMiss, ruleDifferences } from './rule-differences.js';
import { type Suggestion, selectorSuggestions } from './selector-suggestions.js';

/**
 * What stands out about a denied direction: `dns-egress-blocked` (the source cannot reach the
 * cluster DNS), `no-rules` (the isolating policies have no rules for it), else `rules-miss`.
 */
export type DiagnosisKind = 'dns-egress-blocked' | 'no-rules' | 'rules-miss';

/** The diagnosis of one denied direction of a flow. */
export interface DirectionDiagnosis {
  readonly direction: Direction;
  readonly kind: DiagnosisKind;
  /** The pod whose policies deny: the source for egress, the destination for ingress. */
  readonly pod: string;
  /** The rules that came closest, closest first: three, or all those tied for closest. */
  readonly closest: readonly RuleNearMiss[];
  /** Edits that make the closest rule allow the flow, when it looks like a mistake. */
  readonly suggestions: readonly Suggestion[];
  /** A new policy that allows the flow in this direction. */
  readonly fix?: ScaffoldRequest;
  /** For a DNS flow: the DNS server asked, and whether DNS over the other protocol gets through. */
  readonly dns?: DnsFlow;
}

/** A flow to a DNS server on port 53, as the DNS diagnosis words it. */
export interface DnsFlow {
  /** The cluster DNS pods, or NodeLocal DNSCache at its link-local address. */
  readonly server: 'cluster-dns' | 'node-local-dns';
  /** UDP for a TCP check, TCP for a UDP one. */
  readonly otherProtocol: 'UDP' | 'TCP';
  /** Whether the source may reach the same server over the other protocol. */
  readonly otherAllowed: boolean;
}

const CLOSEST_KEPT = 3;

/**
 * The DNS server a destination is on its DNS port over UDP or TCP, if it is one: a cluster DNS
 * pod on the port its Service translates 53 to, NodeLocal DNSCache on 53.
 */
function dnsServer(
  analysis: Analysis,
  dns: AnalysisDns,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
): DnsFlow['server'] | undefined {
  if (protocol === 'SCTP') return undefined;
  if (destination.kind === 'pod') {
    const { pod } = destination;
    const { services } = analysis.cluster;
    const served = dns
      .clusterDns()
      .candidates.some(
        (candidate) =>
          servesDns(candidate, pod) &&
          port === dnsPodPort(candidateServices(candidate, services), pod, protocol),
      );
    return served ? 'cluster-dns' : undefined;
  }
  if (port !== DNS_SERVICE_PORT || destination.kind === 'hostname') return undefined;
  const nodeLocal = detectNodeLocalDns(
    analysis.cluster.workloads ?? [],
    analysis.cluster.pods,
  )?.address;
  return destination.ip === (nodeLocal ?? NODE_LOCAL_DNS_ADDRESS) ? 'node-local-dns' : undefined;
}

/** A DNS flow's server, and whether the other protocol gets through to it. */
function dnsFlow(
  analysis: Analysis,
  dns: AnalysisDns,
  source: Endpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
): DnsFlow | undefined {
  const server = dnsServer(analysis, dns, destination, protocol, port);
  if (!server) return undefined;
  const otherProtocol = protocol === 'UDP' ? 'TCP' : 'UDP';
  const allowed = allowedConnections(analysis, source, destination);
  const otherPort =
    destination.kind === 'pod'
      ? dnsPodPort(analysis.cluster.services, destination.pod, otherProtocol)
      : DNS_SERVICE_PORT;
  return {
    server,
    otherProtocol,
    // A DNS pod lacking the other protocol's targetPort takes no lookups over it.
    otherAllowed: otherPort !== undefined && portSetAllows(allowed, otherProtocol, otherPort),
  };
}

/**
 * The policies whose rules could allow the direction: those isolating the pod, then those of
 * its namespace that govern the direction but do not select it.
 */
function candidatePolicies(
  analysis: Analysis,
  subject: PodEndpoint,
  direction: Direction,
): { policy: CompiledPolicy; selecting: boolean }[] {
  const selecting = restrictingPolicies(analysis, subject, direction);
  const others = analysis.policies.filter(
    (policy) =>
      policy.ref.namespace === subject.pod.namespace &&
      (direction === 'ingress' ? policy.isolatesIngress : policy.isolatesEgress) &&
      !selecting.includes(policy),
  );
  return [
    ...selecting.map((policy) => ({ policy, selecting: true })),
    ...others.map((policy) => ({ policy, selecting: false })),
  ];
}

/**
 * A policy that does not select the pod is a near miss only when that looks like a mistake:
 * its podSelector selects no pod at all, or every failing term is a typo of the pod's label.
 */
function looksMeantForThePod(miss: RuleNearMiss): boolean {
  const [target] = miss.differences;
  return (
    target?.kind === 'policy-selects-nothing' ||
    (target?.kind === 'policy-selects-other-pods' && target.labels.every((l) => l.likelyTypo))
  );
}

function nearMisses(question: FlowQuestion, direction: Direction): RuleNearMiss[] {
  return candidatePolicies(question.analysis, question.subject, direction)
    .flatMap(({ policy, selecting }) =>
      (direction === 'ingress' ? policy.ingress : policy.egress)
        .map(
          (rule): RuleNearMiss => ({
            direction,
            policy: policy.ref,
            ruleIndex: rule.index,
            ...ruleDifferences(question, policy, rule),
          }),
        )
        .filter((miss) => selecting || looksMeantForThePod(miss)),
    )
    .sort((a, b) => a.distance - b.distance)
    .filter((miss, i, all) => i < CLOSEST_KEPT || miss.distance === all[0]?.distance);
}

/**
 * Whether a cluster policy of that tier denies the side. A NetworkPolicy allowing the flow takes
 * precedence over a Baseline Deny, never over an Admin one.
 */
export function deniedByClusterTier(side: DirectionVerdict, tier: ClusterPolicyTier): boolean {
  return side.kind === 'cluster-policy' && side.match.tier === tier && side.match.action === 'Deny';
}

/**
 * Diagnoses each denied direction of a flow: the rules that came closest and what differs,
 * edits when the closest looks like a mistake, and the scaffold that would allow it. `dns` is
 * the analysis's cluster DNS, kept by a caller that diagnoses flow after flow.
 */
export function diagnoseFlow(
  analysis: Analysis,
  source: Endpoint,
  destination: Endpoint,
  verdict: FlowVerdict,
  dns: AnalysisDns = analysisDns(analysis),
): DirectionDiagnosis[] {
  const { protocol, port } = verdict;
  return (['egress', 'ingress'] as const).flatMap((direction): DirectionDiagnosis[] => {
    const side = verdict[direction];
    const [subject, peer] = direction === 'egress' ? [source, destination] : [destination, source];
    // A side the Baseline tier denies is fixed like one NetworkPolicies deny.
    const fixable = side.kind === 'denied' || deniedByClusterTier(side, 'Baseline');
    if (!fixable || subject.kind !== 'pod') return [];
    const dnsDetails =
      direction === 'egress'
        ? dnsFlow(analysis, dns, source, destination, protocol, port)
        : undefined;
    const isDns = dnsDetails !== undefined;
    const resolve = endpointPorts(analysis, destination);
    const closest = nearMisses({ analysis, subject, peer, resolve, protocol, port }, direction);
    const clusterDns = dnsDetails?.server === 'cluster-dns';
    const fix = scaffoldFix(
      analysis,
      direction,
      subject,
      peer,
      { protocol, port, dns: clusterDns },
      dns,
    );
    const first = closest[0];
    return [
      {
        direction,
        kind: isDns
          ? 'dns-egress-blocked'
          : side.kind !== 'denied' || side.misses.length === 0
            ? 'no-rules'
            : 'rules-miss',
        pod: subject.pod.id,
        closest,
        suggestions: first
          ? selectorSuggestions(first, (id) => analysis.pods[analysis.podIndex.get(id) ?? -1])
          : [],
        ...(fix ? { fix } : {}),
        ...(dnsDetails ? { dns: dnsDetails } : {}),
      },
    ];
  });
}
