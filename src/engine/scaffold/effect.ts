import { type CniDetection, detectCni } from '../cni/detect.js';
import { type Analysis, compileCluster, type Direction } from '../compile/compile.js';
import { type Endpoint, podEndpoint } from '../compile/endpoint.js';
import { type ScaledToZeroWorkload, scaledToZeroSelected } from '../compile/scaled-to-zero.js';
import { ConnectionEvaluator } from '../evaluate/connections.js';
import { PortSetTable } from '../evaluate/port-set-table.js';
import { SidePorts } from '../evaluate/side-ports.js';
import { clusterPolicyName } from '../model/cluster-policy.js';
import type { Cluster, NetworkPolicy } from '../model/types.js';
import { type IpAddress, parseCidr } from '../primitives/ip-block.js';
import type { PortSet } from '../primitives/port-set.js';
import { isClusterPolicy, type ScaffoldedPolicy } from './cluster-scaffold.js';
import { dnsServers, type PodDnsBlock, podDnsBlock } from './dns-reach.js';

/** A pair of pods, or a pod and an address block, whose allowed connections change. */
export interface FlowChange {
  /** A pod id, or (ingress from outside) the address block. */
  readonly from: string;
  /** A pod id, or (egress to outside) the address block. */
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
  /** Pods whose lookups (UDP or TCP) pass before and fail after, by protocol and cause. */
  readonly dnsBlocked: readonly DnsLoss[];
  /** The address of NodeLocal DNSCache, when the snapshot runs it. */
  readonly nodeLocal?: string;
  /**
   * The workloads scaled to zero the NetworkPolicies select: no flow of theirs changes now, but
   * their pods' flows do once they run. Absent when none.
   */
  readonly scaledToZero?: readonly ScaledToZeroWorkload[];
}

/** Pods whose lookups over a protocol the change cuts off, and where (as audit judges DNS). */
export interface DnsLoss extends PodDnsBlock {
  readonly pods: readonly string[];
}

/**
 * The cluster with the policies added: a NetworkPolicy of the same namespace and name, or a
 * cluster policy of the same kind and name, is replaced.
 */
export function withPolicies(cluster: Cluster, added: readonly ScaffoldedPolicy[]): Cluster {
  const policies = added.filter((p): p is NetworkPolicy => !isClusterPolicy(p));
  const clusterPolicies = added.filter(isClusterPolicy);
  const replaced = new Set(policies.map((p) => `${p.namespace}/${p.name}`));
  const replacedCluster = new Set(clusterPolicies.map(clusterPolicyName));
  return {
    ...cluster,
    policies: [
      ...cluster.policies.filter((p) => !replaced.has(`${p.namespace}/${p.name}`)),
      ...policies,
    ],
    ...(clusterPolicies.length > 0
      ? {
          clusterPolicies: [
            ...(cluster.clusterPolicies ?? []).filter(
              (p) => !replacedCluster.has(clusterPolicyName(p)),
            ),
            ...clusterPolicies,
          ],
        }
      : {}),
  };
}

/**
 * Pods whose policies in a direction (NetworkPolicies or cluster policies) differ between two
 * analyses of the same pods.
 */
function changedPods(before: Analysis, after: Analysis, direction: Direction): Set<number> {
  const ids = (analysis: Analysis, podIdx: number): readonly object[] => {
    const chain = analysis.chains[direction][podIdx];
    return [
      ...(chain?.isolatedBy ?? []).map((compiled) => compiled.policy),
      ...(chain?.clusterPolicies ?? []).map((compiled) => compiled.policy),
    ];
  };
  const changed = new Set<number>();
  before.pods.forEach((_, podIdx) => {
    const a = ids(before, podIdx);
    const b = ids(after, podIdx);
    if (a.length !== b.length || a.some((policy, i) => policy !== b[i])) changed.add(podIdx);
  });
  return changed;
}

/**
 * Computes, with the engine, every flow that adding the policies opens or closes. Only the
 * pairs whose source's egress policies or destination's ingress policies change can change,
 * so only those are evaluated. Like the matrix, a pair an unknown pod IP decides counts with
 * what some IP gets: closed means closed whatever the IP. `cni` is what the cluster's workloads
 * show, when the caller has detected it already.
 */
export function policyEffect(
  cluster: Cluster,
  added: readonly ScaffoldedPolicy[],
  cni: CniDetection = detectCni(cluster.workloads ?? []),
): PolicyEffect {
  const before = compileCluster(cluster, { cni });
  const after = compileCluster(withPolicies(cluster, added), { cni });
  const table = new PortSetTable();
  const evaluators = [
    new ConnectionEvaluator(before, table),
    new ConnectionEvaluator(after, table),
  ];
  const sources = changedPods(before, after, 'egress');
  const destinations = changedPods(before, after, 'ingress');
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  const compare = (from: number, to: number) => {
    const [a, b] = evaluators.map((e) =>
      e.connectionId(podEndpoint(e.analysis, from), podEndpoint(e.analysis, to), 'inside'),
    ) as [number, number];
    if (a === b) return;
    const common = table.intersect(a, b);
    const change = {
      from: before.pods[from]?.id ?? '',
      to: before.pods[to]?.id ?? '',
      before: table.get(a),
      after: table.get(b),
    };
    if (common !== b) opened.push(change);
    if (common !== a) closed.push(change);
  };
  const everyone = before.pods.map((_, idx) => idx);
  for (const from of everyone) {
    for (const to of sources.has(from) ? everyone : destinations) compare(from, to);
  }
  // Flows with the address blocks the policies name: each block by an address it admits.
  for (const block of addressBlocks(added)) {
    const outside: Endpoint = { kind: 'external', ip: block.cidr, address: block.address };
    const pods = block.direction === 'egress' ? sources : destinations;
    for (const podIdx of pods) {
      const [a, b] = evaluators.map((e) => {
        const pod = podEndpoint(e.analysis, podIdx);
        return block.direction === 'egress'
          ? e.connectionId(pod, outside, 'inside')
          : e.connectionId(outside, pod, 'inside');
      }) as [number, number];
      if (a === b) continue;
      const common = table.intersect(a, b);
      const pod = before.pods[podIdx]?.id ?? '';
      const change = {
        from: block.direction === 'egress' ? pod : block.cidr,
        to: block.direction === 'egress' ? block.cidr : pod,
        before: table.get(a),
        after: table.get(b),
      };
      if (common !== b) opened.push(change);
      if (common !== a) closed.push(change);
    }
  }
  // A pod's DNS changes with its own egress, or with the ingress of the DNS pods (for everyone).
  const servers = dnsServers(before);
  const dnsIngressChanges = servers.pods.some((dns) => destinations.has(dns));
  const candidates = dnsIngressChanges ? everyone : [...sources];
  const idle = added.flatMap((policy) =>
    isClusterPolicy(policy)
      ? []
      : scaledToZeroSelected(cluster, [policy.namespace], policy.podSelector),
  );
  return {
    opened,
    closed,
    dnsBlocked: dnsLosses(before, after, candidates),
    ...(servers.nodeLocal ? { nodeLocal: servers.nodeLocal.address } : {}),
    ...(idle.length > 0 ? { scaledToZero: idle } : {}),
  };
}

/** An address block a policy names as a peer, and an address of it its excepts leave in. */
interface AddressBlock {
  readonly direction: Direction;
  readonly cidr: string;
  readonly address: IpAddress;
}

/** The address blocks the NetworkPolicies name as peers, once per direction and block. */
function addressBlocks(added: readonly ScaffoldedPolicy[]): AddressBlock[] {
  const blocks = new Map<string, AddressBlock>();
  for (const policy of added) {
    if (isClusterPolicy(policy)) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      for (const peer of policy[direction].flatMap((rule) => rule.peers)) {
        const block = peer.ipBlock;
        const address = block && admittedAddress(block.cidr, block.except);
        const key = `${direction} ${block?.cidr}`;
        if (block && address && !blocks.has(key)) {
          blocks.set(key, { direction, cidr: block.cidr, address });
        }
      }
    }
  }
  return [...blocks.values()];
}

/** The first address of a block that none of its excepts takes out; undefined if none is left. */
function admittedAddress(cidr: string, except: readonly string[]): IpAddress | undefined {
  const range = parseCidr(cidr);
  if (!range) return undefined;
  const holes = except.flatMap((text) => parseCidr(text) ?? []);
  let value = range.first;
  for (let hole = holes.find((h) => h.first <= value && value <= h.last); hole; ) {
    value = hole.last + 1n;
    hole = holes.find((h) => h.first <= value && value <= h.last);
  }
  return value <= range.last ? { family: range.family, value } : undefined;
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
