import { type CniDetection, detectCni } from '../cni/detect.js';
import { type Analysis, compileCluster, type Direction } from '../compile/compile.js';
import { type Endpoint, podEndpoint } from '../compile/endpoint.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import { type ScaledToZeroWorkload, scaledToZeroSelected } from '../compile/scaled-to-zero.js';
import { type FamilyName, mayHaveDualStackPods } from '../evaluate/address-families.js';
import { ConnectionEvaluator } from '../evaluate/connections.js';
import { PortSetTable } from '../evaluate/port-set-table.js';
import { SidePorts } from '../evaluate/side-ports.js';
import { clusterPolicyName } from '../model/cluster-policy.js';
import type { Cluster, NetworkPolicy } from '../model/types.js';
import { type IpAddress, parseCidr } from '../primitives/ip-block.js';
import type { PortSet } from '../primitives/port-set.js';
import { analysisDns } from './analysis-dns.js';
import type { DnsFound } from './cluster-dns.js';
import { isClusterPolicy, type ScaffoldedPolicy } from './cluster-scaffold.js';
import { type DnsServers, type PodDnsBlock, podDnsBlock } from './dns-reach.js';

/** A pair of pods, or a pod and an address block, whose allowed connections change. */
export interface FlowChange {
  /** A pod id, or (ingress from outside) the address block. */
  readonly from: string;
  /** A pod id, or (egress to outside) the address block. */
  readonly to: string;
  /** What every address family the flow can use allows before (as the matrix's `allowed`). */
  readonly before: PortSet;
  /** What every address family the flow can use allows after. */
  readonly after: PortSet;
  /**
   * Each family's connections, when they differ between the families before or after (a
   * dual-stack pod meets an ipBlock): a change one family alone makes is a change.
   */
  readonly families?: Readonly<Record<FamilyName, FamilyChange>>;
}

/** What one address family allows of a flow, before and after. */
export interface FamilyChange {
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
  /** How the input told the cluster DNS pods (findClusterDns). */
  readonly dnsFound: DnsFound;
  /**
   * The policies of the cluster the added ones write over, having their name (namespace/name of
   * a NetworkPolicy, kind/name of a cluster policy). Absent when none.
   */
  readonly replaced?: readonly string[];
  /**
   * The workloads scaled to zero the NetworkPolicies select: no flow of theirs changes now, but
   * their pods' flows do once they run. Absent when none.
   */
  readonly scaledToZero?: readonly ScaledToZeroWorkload[];
}

/** Pods whose lookups over a protocol the change cuts off, and where (as audit judges DNS). */
export interface DnsLoss extends PodDnsBlock {
  readonly pods: readonly string[];
  /** Set when the lookups may have failed before and surely fail after. */
  readonly wasPossible?: true;
}

/**
 * The cluster with the policies added: a NetworkPolicy of the same namespace and name, or a
 * cluster policy of the same kind and name, is replaced.
 */
export function withPolicies(cluster: Cluster, added: readonly ScaffoldedPolicy[]): Cluster {
  const { policies, clusterPolicies, replaces } = replacement(added);
  return {
    ...cluster,
    policies: [...cluster.policies.filter((p) => !replaces(p)), ...policies],
    ...(clusterPolicies.length > 0
      ? {
          clusterPolicies: [
            ...(cluster.clusterPolicies ?? []).filter((p) => !replaces(p)),
            ...clusterPolicies,
          ],
        }
      : {}),
  };
}

/** The names of the cluster's policies that the added ones write over (see withPolicies). */
function replacedNames(cluster: Cluster, added: readonly ScaffoldedPolicy[]): string[] {
  const { replaces } = replacement(added);
  return [...cluster.policies, ...(cluster.clusterPolicies ?? [])].filter(replaces).map(policyKey);
}

/** A NetworkPolicy's namespace/name, a cluster policy's kind/name: what one name may replace. */
function policyKey(policy: ScaffoldedPolicy): string {
  return isClusterPolicy(policy) ? clusterPolicyName(policy) : `${policy.namespace}/${policy.name}`;
}

/** The added policies by kind, and whether an existing policy has the name of one of them. */
function replacement(added: readonly ScaffoldedPolicy[]) {
  const names = new Set(added.map(policyKey));
  return {
    policies: added.filter((p): p is NetworkPolicy => !isClusterPolicy(p)),
    clusterPolicies: added.filter(isClusterPolicy),
    replaces: (policy: ScaffoldedPolicy) => names.has(policyKey(policy)),
  };
}

/**
 * Pods whose policies in a direction (NetworkPolicies or cluster policies) differ between two
 * analyses of the same pods.
 */
function changedPods(before: Analysis, after: Analysis, direction: Direction): Set<number> {
  const ids = (analysis: Analysis, podIdx: number): readonly object[] => {
    const chain = analysis.chains.of(direction, podIdx);
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
 * what some IP gets: closed means closed whatever the IP; and a flow a dual-stack pod takes part
 * in is compared family by family: one family opening or closing it is a change. `cni` is what
 * the cluster's workloads show, when the caller has detected it already.
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
  const [wasEvaluator, isEvaluator] = evaluators as [ConnectionEvaluator, ConnectionEvaluator];
  // Most clusters have no dual-stack pod: a flow is then one id in each analysis.
  const dualStack = mayHaveDualStackPods(before);
  const idsOf = (evaluator: ConnectionEvaluator, source: Endpoint, destination: Endpoint) =>
    dualStack
      ? flowIds(evaluator, source, destination)
      : evaluator.connectionId(source, destination, 'inside');
  /** Records a flow (named `from` and `to`) that changes, given its ends in each analysis. */
  const compare = (
    from: string,
    to: string,
    [wasFrom, isFrom]: readonly Endpoint[],
    [wasTo, isTo]: readonly Endpoint[],
    blockFamily?: AddressFamily,
  ) => {
    const was = ofFamily(idsOf(wasEvaluator, wasFrom as Endpoint, wasTo as Endpoint), blockFamily);
    const is = ofFamily(idsOf(isEvaluator, isFrom as Endpoint, isTo as Endpoint), blockFamily);
    if (was === is) return;
    const change = flowChange(table, was, is);
    if (!change) return;
    if (change.opens) opened.push({ from, to, ...change.flow });
    if (change.closes) closed.push({ from, to, ...change.flow });
  };
  const everyone = before.pods.map((_, idx) => idx);
  const podIds = everyone.map((podIdx) => before.pods[podIdx]?.id ?? '');
  const podEnds = everyone.map((podIdx) => evaluators.map((e) => podEndpoint(e.analysis, podIdx)));
  for (const from of everyone) {
    for (const to of sources.has(from) ? everyone : destinations) {
      compare(podIds[from] ?? '', podIds[to] ?? '', podEnds[from] ?? [], podEnds[to] ?? []);
    }
  }
  // Flows with the address blocks the policies name: each block by an address it admits.
  for (const block of addressBlocks(added)) {
    const outside: Endpoint = { kind: 'external', ip: block.cidr, address: block.address };
    const blockEnds = [outside, outside];
    for (const podIdx of block.direction === 'egress' ? sources : destinations) {
      const [pod, ends] = [podIds[podIdx] ?? '', podEnds[podIdx] ?? []];
      // A dual-stack pod's flows with a block are those of the block's family only.
      const dual = dualStack && before.podAddresses.familiesOf(podIdx).length > 1;
      const family = dual ? block.address.family : undefined;
      if (block.direction === 'egress') compare(pod, block.cidr, ends, blockEnds, family);
      else compare(block.cidr, pod, blockEnds, ends, family);
    }
  }
  // A pod's DNS changes with its own egress, or with the ingress of the DNS pods (for everyone).
  // Only policies differ after: the same pods at the same indexes, so the same DNS servers.
  const servers = analysisDns(before).servers();
  const dnsIngressChanges = servers.pods.some((dns) => destinations.has(dns));
  const candidates = dnsIngressChanges ? everyone : [...sources];
  const idle = added.flatMap((policy) =>
    isClusterPolicy(policy)
      ? []
      : scaledToZeroSelected(cluster, [policy.namespace], policy.podSelector),
  );
  const replaced = replacedNames(cluster, added);
  return {
    opened,
    closed,
    dnsBlocked: dnsLosses(before, after, candidates, servers),
    dnsFound: servers.found,
    ...(servers.nodeLocal ? { nodeLocal: servers.nodeLocal.address } : {}),
    ...(replaced.length > 0 ? { replaced } : {}),
    ...(idle.length > 0 ? { scaledToZero: idle } : {}),
  };
}

/**
 * A flow's connections in one analysis: their id, or (when a dual-stack pod takes part) what
 * every family allows with each family's.
 */
type FlowIds =
  | number
  | { readonly id: number; readonly families: Readonly<Record<FamilyName, number>> };

/** The flow's connections for some IP of a side whose IP is unknown (see policyEffect). */
function flowIds(evaluator: ConnectionEvaluator, source: Endpoint, destination: Endpoint): FlowIds {
  const families = evaluator.familyConnectionIds(source, destination, 'inside');
  if (!families) return evaluator.connectionId(source, destination, 'inside');
  return { id: evaluator.table.intersect(families.IPv4, families.IPv6), families };
}

/**
 * A flow's ids as one family's (`family`, when given): the other family carries no connection,
 * as a dual-stack pod's flows with an address block are over the block's family alone.
 */
function ofFamily(ids: FlowIds, family: AddressFamily | undefined): FlowIds {
  if (family === undefined) return ids;
  const id = typeof ids === 'number' ? ids : ids.id;
  const none = PortSetTable.EMPTY;
  return { id, families: { IPv4: family === 4 ? id : none, IPv6: family === 6 ? id : none } };
}

/**
 * Whether a flow opens (some family gains ports) or closes (some family loses ports), with its
 * ports (each family's when they differ); undefined when no family changes.
 */
function flowChange(
  table: PortSetTable,
  was: FlowIds,
  is: FlowIds,
): { opens: boolean; closes: boolean; flow: Omit<FlowChange, 'from' | 'to'> } | undefined {
  const idOf = (ids: FlowIds, family?: FamilyName) =>
    typeof ids === 'number' ? ids : family ? ids.families[family] : ids.id;
  let opens = false;
  let closes = false;
  for (const family of ['IPv4', 'IPv6'] as const) {
    const [a, b] = [idOf(was, family), idOf(is, family)];
    const common = table.intersect(a, b);
    opens ||= common !== b;
    closes ||= common !== a;
  }
  if (!opens && !closes) return undefined;
  const split = (ids: FlowIds) => idOf(ids, 'IPv4') !== idOf(ids, 'IPv6');
  const familyChange = (family: FamilyName) => ({
    before: table.get(idOf(was, family)),
    after: table.get(idOf(is, family)),
  });
  const flow = {
    before: table.get(idOf(was)),
    after: table.get(idOf(is)),
    ...(split(was) || split(is)
      ? { families: { IPv4: familyChange('IPv4'), IPv6: familyChange('IPv6') } }
      : {}),
  };
  return { opens, closes, flow };
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

/** Whether a block leaves the outcome possible (UNKNOWN), not sure. */
const isPossible = (block: PodDnsBlock) => Boolean(block.routeUnknown || block.serverUnknown);

/**
 * How a pod's DNS gets worse from one block to the next, if it does: `lost` when lookups over
 * a protocol passed and fail after (UDP, or TCP while UDP passed before and after), `now-sure`
 * when they may have failed before and surely fail after.
 */
function dnsWorsening(
  was: PodDnsBlock | undefined,
  is: PodDnsBlock | undefined,
): 'lost' | 'now-sure' | undefined {
  if (!is) return undefined;
  if (!was || (is.protocol === 'UDP' && was.protocol === 'TCP')) return 'lost';
  const sameProtocol = was.protocol === is.protocol;
  return sameProtocol && isPossible(was) && !isPossible(is) ? 'now-sure' : undefined;
}

/**
 * Which of the candidate pods lose DNS: over UDP (they resolved names before, and cannot
 * after), or over TCP only (UDP still works), or lookups that may have failed and surely fail
 * after; grouped by protocol and cause. `servers` are the cluster's DNS servers, the same in
 * both analyses (only the policies differ).
 */
function dnsLosses(
  before: Analysis,
  after: Analysis,
  candidates: readonly number[],
  servers: DnsServers,
): DnsLoss[] {
  const judge = (analysis: Analysis) => {
    const sides = new SidePorts(analysis);
    return (podIdx: number) => podDnsBlock(sides, podIdx, servers);
  };
  const [was, is] = [judge(before), judge(after)];
  const losses = new Map<string, DnsLoss & { pods: string[] }>();
  for (const podIdx of candidates) {
    const block = is(podIdx);
    const worsening = dnsWorsening(was(podIdx), block);
    if (!block || !worsening) continue;
    const { protocol, blockedBy, routeUnknown, serverUnknown, onTheirNode } = block;
    const key = `${protocol}/${blockedBy}/${routeUnknown}/${serverUnknown}/${onTheirNode}/${worsening}`;
    const wasPossible = worsening === 'now-sure' ? { wasPossible: true as const } : {};
    const loss = losses.get(key) ?? { ...block, ...wasPossible, pods: [] };
    loss.pods.push(before.pods[podIdx]?.id ?? '');
    losses.set(key, loss);
  }
  return [...losses.values()];
}
