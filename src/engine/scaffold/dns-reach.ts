import { detectNodeLocalDns, type NodeLocalDns } from '../cni/node-local-dns.js';
import { type Analysis, policiesSelecting } from '../compile/compile.js';
import type { SidePorts } from '../evaluate/side-ports.js';
import type { Pod } from '../model/types.js';
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
  | 'no-port-53';

/** The protocols DNS runs over: UDP first, TCP for answers too large for UDP. */
export type DnsProtocol = 'UDP' | 'TCP';

/** Where a pod's lookups fail: over UDP (no lookups at all), or over TCP only. */
export interface PodDnsBlock {
  readonly protocol: DnsProtocol;
  readonly blockedBy: DnsBlock;
  /** The ports the cluster DNS pods take lookups on over the protocol (53 when none is known). */
  readonly ports: readonly number[];
}

/** Where the DNS servers are: the cluster DNS pods, and NodeLocal DNSCache when it runs. */
export interface DnsServers {
  readonly pods: readonly number[];
  /** The port each DNS pod takes lookups on, by protocol (dnsPodPort): policies see that one. */
  readonly ports: ReadonlyMap<number, Readonly<Record<DnsProtocol, number>>>;
  readonly nodeLocal?: NodeLocalDns;
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
  return { pods, ports, ...(nodeLocal ? { nodeLocal } : {}) };
}

/** The ports the DNS pods take lookups on over a protocol, ascending; 53 when there are none. */
function serverPorts(servers: DnsServers, protocol: DnsProtocol): number[] {
  const ports = new Set([...servers.ports.values()].map((byProtocol) => byProtocol[protocol]));
  return ports.size === 0 ? [DNS_SERVICE_PORT] : [...ports].sort((a, b) => a - b);
}

/** Where a pod's lookups over one protocol are cut off; undefined when they pass. */
function dnsBlock(
  sides: SidePorts,
  podIdx: number,
  servers: DnsServers,
  protocol: DnsProtocol,
): DnsBlock | undefined {
  const { analysis } = sides;
  const allows = (id: number, port = DNS_SERVICE_PORT) =>
    portSetAllows(sides.get(id), protocol, port);
  const allowsDnsPod = (id: number, dns: number) =>
    allows(id, servers.ports.get(dns)?.[protocol] ?? DNS_SERVICE_PORT);
  // NodeLocal DNSCache runs on the host network: its ingress is not the pods' policies' to deny.
  if (servers.nodeLocal && allows(sides.egressTo(podIdx, servers.nodeLocal.address))) {
    return undefined;
  }
  if (servers.pods.length === 0) {
    const egress = policiesSelecting(analysis, podIdx, 'egress');
    const admits53 = egress.some((policy) =>
      policy.egress.some((rule) => allows(sides.ruleAdmits(rule.ports, undefined))),
    );
    return egress.length === 0 || admits53 ? undefined : 'no-port-53';
  }
  if (!servers.pods.some((dns) => allowsDnsPod(sides.side('egress', podIdx, dns), dns))) {
    return 'egress';
  }
  return servers.pods.some((dns) => allowsDnsPod(sides.connection(podIdx, dns), dns))
    ? undefined
    : 'dns-ingress';
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
  const udp = dnsBlock(sides, podIdx, servers, 'UDP');
  if (udp) return { protocol: 'UDP', blockedBy: udp, ports: serverPorts(servers, 'UDP') };
  const tcp = dnsBlock(sides, podIdx, servers, 'TCP');
  return tcp ? { protocol: 'TCP', blockedBy: tcp, ports: serverPorts(servers, 'TCP') } : undefined;
}
