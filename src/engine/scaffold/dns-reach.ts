import { detectNodeLocalDns, type NodeLocalDns } from '../cni/node-local-dns.js';
import type { Analysis } from '../compile/compile.js';
import {
  type ClientScope,
  clientScope,
  findServicePort,
  selectorRouting,
} from '../compile/services.js';
import type { SidePorts } from '../evaluate/side-ports.js';
import type { Pod, Service } from '../model/types.js';
import { portSetAllows } from '../primitives/port-set.js';
import type { DnsFound } from './cluster-dns.js';
import { type ClusterDns, type DnsServerPods, findClusterDns, servesDns } from './cluster-dns.js';
import { unseenDnsFamilies } from './dns-families.js';
import {
  agreedOutcome,
  type DnsBlock,
  type DnsOutcome,
  type DnsProtocol,
  type DnsServerDoubt,
} from './dns-outcome.js';
import { candidateServices, DNS_SERVICE_PORT, dnsFound, dnsPodPort } from './dns-ports.js';
import { unseenServersBlock } from './unseen-dns.js';
import type { UnseenDnsServer } from './unseen-reach.js';

export type { DnsBlock, DnsProtocol, DnsServerDoubt } from './dns-outcome.js';

/** Where a pod's lookups fail: over UDP (no lookups at all), or over TCP only. */
export interface PodDnsBlock {
  readonly protocol: DnsProtocol;
  readonly blockedBy: DnsBlock;
  /** The ports the cluster DNS pods take lookups on over the protocol (53 when none is known). */
  readonly ports: readonly number[];
  /**
   * Set when the block is possible, not sure: kube-proxy narrows the DNS Service's pods by
   * client (see `ClientScope`) and the input cannot tell to which of them, some answering.
   */
  readonly routeUnknown?: ClientScope;
  /** Set when the block is possible, not sure, because the input does not tell the DNS pods. */
  readonly serverUnknown?: DnsServerDoubt;
  /**
   * Set when kube-proxy keeps the pods' lookups on their node (internalTrafficPolicy Local) and
   * the block is at the DNS pods there, not at all of them.
   */
  readonly onTheirNode?: true;
}

/** The cluster DNS Service when kube-proxy narrows its pods by client (see `clientScope`). */
export interface DnsRoute {
  readonly service: Service;
  readonly scope: ClientScope;
}

/** The DNS pods of one candidate for the cluster DNS (see findClusterDns), as an analysis holds them. */
export interface DnsServerGroup {
  readonly pods: readonly number[];
  /** Set when its DNS Service sends a client's lookups to some of `pods` only. */
  readonly route?: DnsRoute;
}

/** Where the DNS servers are: the cluster DNS pods, and NodeLocal DNSCache when it runs. */
export interface DnsServers {
  /** Every candidate's DNS pods (off the host network). */
  readonly pods: readonly number[];
  /**
   * The port each DNS pod takes lookups on, by protocol (dnsPodPort): policies see that one;
   * undefined where it lacks the named targetPort, so kube-proxy sends it no lookups.
   */
  readonly ports: ReadonlyMap<number, Readonly<Record<DnsProtocol, number | undefined>>>;
  readonly nodeLocal?: NodeLocalDns;
  /** The pods of each candidate that has some: one when the input tells the cluster DNS. */
  readonly groups: readonly DnsServerGroup[];
  /** How the cluster DNS was found, each candidate with its ports (dnsFound). */
  readonly found: DnsFound;
  /**
   * The candidates with a Service, as DNS pods the input does not hold are judged: each with
   * the address families lookups to them can take (unseenDnsFamilies).
   */
  readonly unseen: readonly UnseenDnsServer[];
}

/** A candidate's DNS Service when it routes by client; else undefined. */
function dnsRoute(analysis: Analysis, candidate: DnsServerPods): DnsRoute | undefined {
  const { service } = candidate;
  const scope = service ? clientScope(analysis, service) : undefined;
  return service && scope ? { service, scope } : undefined;
}

/**
 * The cluster DNS pods (off the host network) and NodeLocal DNSCache of an analysis; `dns` is
 * its cluster DNS and `found` its account when worked out already.
 */
export function dnsServers(
  analysis: Analysis,
  dns: ClusterDns = findClusterDns(analysis.cluster),
  found: DnsFound = dnsFound(dns, analysis.cluster),
): DnsServers {
  const ports = new Map<number, Readonly<Record<DnsProtocol, number | undefined>>>();
  const groups = dns.candidates.flatMap((candidate): DnsServerGroup[] => {
    const services = candidateServices(candidate, analysis.cluster.services);
    const pods = (analysis.podsByNamespace.get(candidate.namespace) ?? []).filter((idx) => {
      const pod = analysis.pods[idx];
      return pod && !pod.hostNetwork && servesDns(candidate, pod);
    });
    for (const idx of pods) {
      const pod = analysis.pods[idx] as Pod;
      const port = (protocol: DnsProtocol) => dnsPodPort(services, pod, protocol);
      ports.set(idx, { UDP: port('UDP'), TCP: port('TCP') });
    }
    const route = dnsRoute(analysis, candidate);
    return pods.length === 0 ? [] : [{ pods, ...(route ? { route } : {}) }];
  });
  const nodeLocal = detectNodeLocalDns(analysis.cluster.workloads ?? [], analysis.cluster.pods);
  const pods = [...ports.keys()];
  const unseen = found.servers.flatMap((server) => {
    const service = server.service ? analysis.services.get(server.service) : undefined;
    return service ? [{ ...server, families: unseenDnsFamilies(analysis, service) }] : [];
  });
  return { pods, ports, groups, found, unseen, ...(nodeLocal ? { nodeLocal } : {}) };
}

/**
 * The ports the DNS pods take lookups on over a protocol, ascending; without DNS pods, their
 * Services' (dnsFound); 53 when the input tells none.
 */
function serverPorts(servers: DnsServers, protocol: DnsProtocol): number[] {
  const podPorts = [...servers.ports.values()].map((byProtocol) => byProtocol[protocol]);
  const servicePorts = servers.found.servers.flatMap((server) =>
    server.ports.flatMap((p) => (p.protocol === protocol ? [p.port] : [])),
  );
  const known = servers.groups.length > 0 ? podPorts : servicePorts;
  const ports = new Set(known.filter((port) => port !== undefined));
  return ports.size === 0 ? [DNS_SERVICE_PORT] : [...ports].sort((a, b) => a - b);
}

/** Where lookups to one DNS pod are cut off: at the pod's egress or at the DNS pod's ingress. */
type DnsPodBlock = 'egress' | 'dns-ingress' | undefined;

/**
 * Where lookups to a set of DNS pods are cut off: nowhere when one of them answers; else at
 * the DNS pods' ingress when the pod's egress admits one of them, else at its egress.
 */
function setBlock(blocks: readonly DnsPodBlock[]): DnsBlock | undefined {
  if (blocks.some((block) => block === undefined)) return undefined;
  return blocks.includes('dns-ingress') ? 'dns-ingress' : 'egress';
}

/**
 * Where lookups end among the DNS pods kube-proxy may send them to (see `clientScope`, as
 * check resolves a Service): all of them; with internalTrafficPolicy Local those on the pod's
 * node, none there being a block of its own; with topology hints some the input cannot tell.
 * When the pod's node is not known or hints decide, only the same answer from every DNS pod
 * is sure; otherwise the block is possible (`routeUnknown`), as one a pod may meet.
 */
function routedBlock(
  analysis: Analysis,
  podIdx: number,
  group: DnsServerGroup,
  protocol: DnsProtocol,
  blockOf: (dns: number) => DnsPodBlock,
): DnsOutcome {
  const all = group.pods.map(blockOf);
  const { route } = group;
  const servicePort = route && findServicePort(route.service, DNS_SERVICE_PORT, protocol);
  if (!route || !servicePort) return { blockedBy: setBlock(all) };
  if (route.scope === 'internal-traffic-local') {
    const client = { node: analysis.pods[podIdx]?.nodeName };
    const routing = selectorRouting(analysis, route.service, servicePort, client);
    if (routing.nodeLocal?.node !== undefined) {
      const local = routing.backends.flatMap((b) =>
        group.pods.includes(b.podIdx) ? [b.podIdx] : [],
      );
      if (local.length === 0) return { blockedBy: 'no-local-dns' };
      const blockedBy = setBlock(local.map(blockOf));
      return blockedBy ? { blockedBy, onTheirNode: true } : {};
    }
  }
  const sure = setBlock(all);
  // Every DNS pod refuses the lookups: they fail wherever kube-proxy sends them.
  if (sure) return { blockedBy: sure };
  // Hints pick among the DNS pods: when all of them answer, every pick does.
  if (route.scope === 'topology-hints' && all.every((block) => block === undefined)) return {};
  // With Local and the pod's node unknown, that node may run no DNS pod at all.
  const failing = all.filter((block) => block !== undefined);
  const blockedBy = failing.length > 0 ? setBlock(failing) : 'no-local-dns';
  return { blockedBy, routeUnknown: route.scope };
}

/** The group's pods kube-proxy sends lookups over a protocol to: those with a port for it. */
function backendsOf(group: DnsServerGroup, servers: DnsServers, protocol: DnsProtocol) {
  const pods = group.pods.filter((dns) => servers.ports.get(dns)?.[protocol] !== undefined);
  return pods.length === 0 ? [] : [{ ...group, pods }];
}

/** Where a pod's lookups over one protocol are cut off; no `blockedBy` when they pass. */
function dnsBlock(
  sides: SidePorts,
  podIdx: number,
  servers: DnsServers,
  protocol: DnsProtocol,
): DnsOutcome {
  const { analysis } = sides;
  const allows = (id: number, port = DNS_SERVICE_PORT) =>
    portSetAllows(sides.get(id), protocol, port);
  const allowsDnsPod = (id: number, dns: number) =>
    allows(id, servers.ports.get(dns)?.[protocol] ?? DNS_SERVICE_PORT);
  // NodeLocal DNSCache runs on the host network: its ingress is not the pods' policies' to deny.
  if (servers.nodeLocal && allows(sides.egressTo(podIdx, servers.nodeLocal.address))) {
    return {};
  }
  const groups = servers.groups.flatMap((group) => backendsOf(group, servers, protocol));
  if (groups.length === 0) return unseenServersBlock(sides, podIdx, servers.unseen, protocol);
  const outcomes = groups.map((group) =>
    routedBlock(analysis, podIdx, group, protocol, (dns) => {
      if (!allowsDnsPod(sides.side('egress', podIdx, dns), dns)) return 'egress';
      return allowsDnsPod(sides.connection(podIdx, dns), dns) ? undefined : 'dns-ingress';
    }),
  );
  return agreedOutcome(outcomes);
}

/**
 * Where a pod's lookups fail, UDP and TCP 53 judged apart: DNS to neither a cluster DNS pod
 * (through its egress and the DNS pods' ingress) nor NodeLocal DNSCache (through its egress)
 * or, when the snapshot holds no DNS pods, no egress rule admitting port 53 at all. UDP first:
 * without it a pod cannot resolve names; with UDP but not TCP, answers too large for UDP fail.
 * Undefined when both pass, and for host-network pods (policies do not apply to them).
 */
export function podDnsBlock(
  sides: SidePorts,
  podIdx: number,
  servers: DnsServers,
): PodDnsBlock | undefined {
  if (sides.analysis.pods[podIdx]?.hostNetwork) return undefined;
  for (const protocol of ['UDP', 'TCP'] as const) {
    const { blockedBy, ...doubt } = dnsBlock(sides, podIdx, servers, protocol);
    if (!blockedBy) continue;
    return { protocol, blockedBy, ports: serverPorts(servers, protocol), ...doubt };
  }
  return undefined;
}
