import { type Analysis, compileCluster, type Direction } from '../compile/compile.js';
import { diffFlows, type PairAnswer, type PairDiff } from '../evaluate/flow-diff.js';
import { SidePorts } from '../evaluate/side-ports.js';
import type { Cluster, NetworkPolicy } from '../model/types.js';
import { type PortSet, unionPortSets } from '../primitives/port-set.js';
import { dnsServers, type PodDnsBlock, podDnsBlock } from './dns-reach.js';

/** A pair of pods whose allowed connections change. */
export interface FlowChange {
  readonly from: string;
  readonly to: string;
  readonly before: PortSet;
  readonly after: PortSet;
}

/** What adding policies to a cluster would change. */
export interface PolicyEffect {
  /** Pairs that gain ports. */
  readonly opened: readonly FlowChange[];
  /** Pairs that lose ports. */
  readonly closed: readonly FlowChange[];
  /** Pods whose lookups over UDP or TCP 53 pass before and fail after, by protocol and cause. */
  readonly dnsBlocked: readonly DnsLoss[];
  /** The address of NodeLocal DNSCache, when the snapshot runs it. */
  readonly nodeLocal?: string;
}

/** Pods whose lookups over a protocol the change cuts off, and where (as audit judges DNS). */
export interface DnsLoss extends PodDnsBlock {
  readonly pods: readonly string[];
}

/** The cluster with the policies added (a policy of the same namespace and name is replaced). */
export function withPolicies(cluster: Cluster, added: readonly NetworkPolicy[]): Cluster {
  const replaced = new Set(added.map((p) => `${p.namespace}/${p.name}`));
  return {
    ...cluster,
    policies: [
      ...cluster.policies.filter((p) => !replaced.has(`${p.namespace}/${p.name}`)),
      ...added,
    ],
  };
}

/** Pods whose policies in a direction differ between two analyses of the same pods. */
function changedPods(before: Analysis, after: Analysis, direction: Direction): Set<number> {
  const ids = (analysis: Analysis, podIdx: number) =>
    (direction === 'ingress' ? analysis.ingressPolicies : analysis.egressPolicies)[podIdx]?.map(
      (id) => analysis.policies[id]?.policy,
    ) ?? [];
  const changed = new Set<number>();
  before.pods.forEach((_, podIdx) => {
    const a = ids(before, podIdx);
    const b = ids(after, podIdx);
    if (a.length !== b.length || a.some((policy, i) => policy !== b[i])) changed.add(podIdx);
  });
  return changed;
}

/** Every port a pair may use: allowed, or UNKNOWN (what some unknown IP gets). */
function possiblePorts(answer: PairAnswer): PortSet {
  return unionPortSets([answer.allowed, answer.unknown]);
}

/**
 * Computes, with the engine, every flow that adding the policies opens or closes. Only the
 * pairs whose source's egress policies or destination's ingress policies change can change,
 * so only those are compared. Like the matrix, a pair an unknown pod IP decides counts with
 * what some IP gets: closed means closed whatever the IP.
 */
export function policyEffect(cluster: Cluster, added: readonly NetworkPolicy[]): PolicyEffect {
  const before = compileCluster(cluster);
  const after = compileCluster(withPolicies(cluster, added));
  const sources = changedPods(before, after, 'egress');
  const destinations = changedPods(before, after, 'ingress');
  const ids = (pods: ReadonlySet<number>) =>
    new Set([...pods].map((podIdx) => before.pods[podIdx]?.id ?? ''));
  const changes = diffFlows(before, after, {
    sources: ids(sources),
    destinations: ids(destinations),
  });
  const flowChange = (pair: PairDiff): FlowChange => ({
    from: pair.from,
    to: pair.to,
    before: possiblePorts(pair.before),
    after: possiblePorts(pair.after),
  });
  const opened = changes
    .filter((pair) => pair.transitions.some((t) => t.before === 'DENIED'))
    .map(flowChange);
  const closed = changes
    .filter((pair) => pair.transitions.some((t) => t.after === 'DENIED'))
    .map(flowChange);
  const everyone = before.pods.map((_, idx) => idx);
  // A pod's DNS changes with its own egress, or with the ingress of the DNS pods (for everyone).
  const servers = dnsServers(before);
  const dnsIngressChanges = servers.pods.some((dns) => destinations.has(dns));
  const candidates = dnsIngressChanges ? everyone : [...sources];
  return {
    opened,
    closed,
    dnsBlocked: dnsLosses(before, after, candidates),
    ...(servers.nodeLocal ? { nodeLocal: servers.nodeLocal.address } : {}),
  };
}

/**
 * Which of the candidate pods lose DNS: over UDP (they resolved names before, and cannot
 * after), or over TCP only (UDP still works), grouped by protocol and cause.
 */
function dnsLosses(before: Analysis, after: Analysis, candidates: readonly number[]): DnsLoss[] {
  const judge = (analysis: Analysis) => {
    const sides = new SidePorts(analysis);
    const servers = dnsServers(analysis);
    return (podIdx: number) => podDnsBlock(sides, podIdx, servers);
  };
  const [was, is] = [judge(before), judge(after)];
  const losses = new Map<string, { block: PodDnsBlock; pods: string[] }>();
  for (const podIdx of candidates) {
    const block = is(podIdx);
    const previous = was(podIdx);
    const lost =
      block && (block.protocol === 'UDP' ? previous?.protocol !== 'UDP' : previous === undefined);
    if (!block || !lost) continue;
    const key = `${block.protocol}/${block.blockedBy}`;
    const loss = losses.get(key) ?? { block, pods: [] };
    loss.pods.push(before.pods[podIdx]?.id ?? '');
    losses.set(key, loss);
  }
  return [...losses.values()].map(({ block, pods }) => ({ ...block, pods }));
}
