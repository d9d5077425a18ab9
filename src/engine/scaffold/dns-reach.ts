import { detectNodeLocalDns, type NodeLocalDns } from '../cni/node-local-dns.js';
import { type Analysis, policiesSelecting } from '../compile/compile.js';
import {
  type ClientScope,
  clientScope,
  findServicePort,
  selectorRouting,
} from '../compile/services.js';
import type { SidePorts } from '../evaluate/side-ports.js';
import type { Pod, Service } from '../model/types.js';
import { portSetAllows } from '../primitives/port-set.js';
import { DNS_SERVICE_PORT, dnsPodPort, isClusterDnsPod } from './dns-ports.js';
import { CLUSTER_DNS } from './scaffold.js';

/** Where DNS over one protocol is cut off for a pod. */
export type DnsBlock =
  /** Its egress admits port 53 to none of the cluster DNS pods (nor to NodeLocal DNSCache). */
  | 'egress'
  /** Its egress would allow it, but the DNS pods' ingress does not admit it. */
  | 'dns-ingress'
  /** No cluster DNS pods in the snapshot, and no egress rule admits port 53 at all. */
  | 'no-port-53'
  /**
   * The DNS Service has internalTrafficPolicy Local and no DNS pod on the pod's node answers
   * it: kube-proxy sends its lookups to none, and drops them.
   */
  | 'no-local-dns';

/** The protocols DNS runs over: UDP first, TCP for answers too large for UDP. */
export type DnsProtocol = 'UDP' | 'TCP';

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
}

/** The cluster DNS Service when kube-proxy narrows its pods by client (see `clientScope`). */
export interface DnsRoute {
  readonly service: Service;
  readonly scope: ClientScope;
}

/** Where the DNS servers are: the cluster DNS pods, and NodeLocal DNSCache when it runs. */
export interface DnsServers {
  readonly pods: readonly number[];
  /** The port each DNS pod takes lookups on, by protocol (dnsPodPort): policies see that one. */
  readonly ports: ReadonlyMap<number, Readonly<Record<DnsProtocol, number>>>;
  readonly nodeLocal?: NodeLocalDns;
  /** Set when the DNS Service sends a client's lookups to some of `pods` only. */
  readonly route?: DnsRoute;
}

/** The cluster DNS Service (kube-system/kube-dns) when it routes by client; else undefined. */
function dnsRoute(analysis: Analysis): DnsRoute | undefined {
  const service = analysis.services.get(`${CLUSTER_DNS.namespace}/${CLUSTER_DNS.serviceName}`);
  const scope = service?.selector ? clientScope(analysis, service) : undefined;
  return service && scope ? { service, scope } : undefined;
}

/** The cluster DNS pods (off the host network) and NodeLocal DNSCache of an analysis. */
export function dnsServers(analysis: Analysis): DnsServers {
  const pods = (analysis.podsByNamespace.get(CLUSTER_DNS.namespace) ?? []).filter((idx) => {
    const pod = analysis.pods[idx];
    return pod && !pod.hostNetwork && isClusterDnsPod(pod);
  });
  const { services } = analysis.cluster;
  const ports = new Map(
    pods.map((idx) => {
      const pod = analysis.pods[idx] as Pod;
      return [
        idx,
        { UDP: dnsPodPort(services, pod, 'UDP'), TCP: dnsPodPort(services, pod, 'TCP') },
      ];
    }),
  );
  const nodeLocal = detectNodeLocalDns(analysis.cluster.workloads ?? []);
  const route = dnsRoute(analysis);
  return { pods, ports, ...(nodeLocal ? { nodeLocal } : {}), ...(route ? { route } : {}) };
}

/** The ports the DNS pods take lookups on over a protocol, ascending; 53 when there are none. */
function serverPorts(servers: DnsServers, protocol: DnsProtocol): number[] {
  const ports = new Set([...servers.ports.values()].map((byProtocol) => byProtocol[protocol]));
  return ports.size === 0 ? [DNS_SERVICE_PORT] : [...ports].sort((a, b) => a - b);
}

/** Where a pod's lookups over one protocol are cut off (`blockedBy`), and whether surely. */
interface DnsOutcome {
  readonly blockedBy?: DnsBlock;
  readonly routeUnknown?: ClientScope;
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
  servers: DnsServers,
  protocol: DnsProtocol,
  blockOf: (dns: number) => DnsPodBlock,
): DnsOutcome {
  const all = servers.pods.map(blockOf);
  const { route } = servers;
  const servicePort = route && findServicePort(route.service, DNS_SERVICE_PORT, protocol);
  if (!route || !servicePort) return { blockedBy: setBlock(all) };
  if (route.scope === 'internal-traffic-local') {
    const client = { node: analysis.pods[podIdx]?.nodeName };
    const routing = selectorRouting(analysis, route.service, servicePort, client);
    if (routing.nodeLocal?.node !== undefined) {
      const local = routing.backends.flatMap((b) =>
        servers.ports.has(b.podIdx) ? [b.podIdx] : [],
      );
      return { blockedBy: local.length === 0 ? 'no-local-dns' : setBlock(local.map(blockOf)) };
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
  if (servers.pods.length === 0) {
    const egress = policiesSelecting(analysis, podIdx, 'egress');
    const admits53 = egress.some((policy) =>
      policy.egress.some((rule) => allows(sides.ruleAdmits(rule.ports, undefined))),
    );
    return egress.length === 0 || admits53 ? {} : { blockedBy: 'no-port-53' };
  }
  return routedBlock(analysis, podIdx, servers, protocol, (dns) => {
    if (!allowsDnsPod(sides.side('egress', podIdx, dns), dns)) return 'egress';
    return allowsDnsPod(sides.connection(podIdx, dns), dns) ? undefined : 'dns-ingress';
  });
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
    const { blockedBy, routeUnknown } = dnsBlock(sides, podIdx, servers, protocol);
    if (!blockedBy) continue;
    const ports = serverPorts(servers, protocol);
    return { protocol, blockedBy, ports, ...(routeUnknown ? { routeUnknown } : {}) };
  }
  return undefined;
}
