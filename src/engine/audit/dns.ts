import { detectNodeLocalDns, type NodeLocalDns } from '../cni/node-local-dns.js';
import type { Analysis } from '../compile/compile.js';
import { policiesSelecting } from '../compile/compile.js';
import type { Pod } from '../model/types.js';
import { portSetAllows } from '../primitives/port-set.js';
import { labelsSelector } from '../primitives/selector.js';
import { CLUSTER_DNS, DNS_PORTS, type ScaffoldRequest } from '../scaffold/scaffold.js';
import { isClusterDnsPod } from '../scaffold/scaffold-fix.js';
import { SidePorts } from './side-ports.js';
import type { AuditFinding, DnsBlock, DnsProtocol, FixAction } from './types.js';
import { podObject } from './walk.js';

const DNS_SELECTOR = labelsSelector(CLUSTER_DNS.podLabels);

/** The pods serving cluster DNS, off the host network. */
function dnsPodIndexes(analysis: Analysis): number[] {
  return (analysis.podsByNamespace.get(CLUSTER_DNS.namespace) ?? []).filter((idx) => {
    const pod = analysis.pods[idx];
    return pod && !pod.hostNetwork && isClusterDnsPod(pod);
  });
}

/** Where the DNS servers are: the cluster DNS pods, and NodeLocal DNSCache when it runs. */
interface DnsServers {
  readonly pods: readonly number[];
  readonly nodeLocal?: NodeLocalDns;
}

/** Where lookups over one protocol are cut off for an egress-isolated pod; undefined when they pass. */
function dnsBlock(
  sides: SidePorts,
  podIdx: number,
  servers: DnsServers,
  protocol: DnsProtocol,
): DnsBlock | undefined {
  const allows = (id: number) => portSetAllows(sides.get(id), protocol, 53);
  // NodeLocal DNSCache runs on the host network: its ingress is not the pods' policies' to deny.
  if (servers.nodeLocal && allows(sides.egressTo(podIdx, servers.nodeLocal.address))) {
    return undefined;
  }
  if (servers.pods.length === 0) {
    const admits53 = policiesSelecting(sides.analysis, podIdx, 'egress').some((policy) =>
      policy.egress.some((rule) => allows(sides.ruleAdmits(rule.ports, undefined))),
    );
    return admits53 ? undefined : 'no-port-53';
  }
  if (!servers.pods.some((dns) => allows(sides.side('egress', podIdx, dns)))) return 'egress';
  return servers.pods.some((dns) => allows(sides.connection(podIdx, dns)))
    ? undefined
    : 'dns-ingress';
}

function fixesFor(namespace: string, blockedBy: DnsBlock, servers: DnsServers): FixAction[] {
  if (blockedBy === 'dns-ingress') {
    const fix: ScaffoldRequest = {
      kind: 'allow',
      namespace: CLUSTER_DNS.namespace,
      name: 'allow-dns-ingress',
      direction: 'ingress',
      pods: DNS_SELECTOR,
      peers: [],
      ports: DNS_PORTS,
    };
    return [{ kind: 'scaffold', fix }];
  }
  const address = servers.nodeLocal?.address;
  const nodeLocal: FixAction[] = address
    ? [
        {
          kind: 'scaffold',
          fix: {
            kind: 'allow',
            namespace,
            name: 'allow-node-local-dns',
            direction: 'egress',
            pods: labelsSelector({}),
            peers: [
              { ipBlock: { cidr: `${address}/${address.includes(':') ? 128 : 32}`, except: [] } },
            ],
            ports: DNS_PORTS,
          },
        },
      ]
    : [];
  return [...nodeLocal, { kind: 'scaffold', fix: { kind: 'allow-dns', namespace } }];
}

/** Where an egress-isolated pod's lookups fail: over UDP (no lookups), or over TCP only. */
function podDnsBlock(sides: SidePorts, podIdx: number, servers: DnsServers) {
  const udp = dnsBlock(sides, podIdx, servers, 'UDP');
  if (udp) return { protocol: 'UDP' as const, blockedBy: udp };
  const tcp = dnsBlock(sides, podIdx, servers, 'TCP');
  return tcp ? { protocol: 'TCP' as const, blockedBy: tcp } : undefined;
}

/**
 * Egress-isolated pods whose lookups fail, UDP and TCP 53 judged apart: DNS to neither a cluster
 * DNS pod (through their egress and the DNS pods' ingress) nor NodeLocal DNSCache (through their
 * egress) or, when the snapshot holds no DNS pods, no egress rule admitting port 53 at all.
 * Without UDP a pod cannot resolve names (an error: nearly everything starts with a lookup);
 * with UDP but not TCP, answers too large for UDP fail (a warning). Grouped per namespace,
 * protocol and cause.
 */
export function dnsFindings(analysis: Analysis): AuditFinding[] {
  const nodeLocal = detectNodeLocalDns(analysis.cluster.workloads ?? []);
  const servers: DnsServers = {
    pods: dnsPodIndexes(analysis),
    ...(nodeLocal ? { nodeLocal } : {}),
  };
  const sides = new SidePorts(analysis);
  const groups = new Map<
    string,
    { namespace: string; protocol: DnsProtocol; blockedBy: DnsBlock; pods: Pod[] }
  >();
  analysis.pods.forEach((pod, idx) => {
    if (pod.hostNetwork || (analysis.egressPolicies[idx] ?? []).length === 0) return;
    const block = podDnsBlock(sides, idx, servers);
    if (!block) return;
    const key = `${pod.namespace}/${block.protocol}/${block.blockedBy}`;
    const group = groups.get(key) ?? { namespace: pod.namespace, ...block, pods: [] };
    group.pods.push(pod);
    groups.set(key, group);
  });
  const dnsPodList = servers.pods.flatMap((idx) => analysis.pods[idx] ?? []);
  return [...groups.values()].map(({ namespace, protocol, blockedBy, pods }) => ({
    ...(protocol === 'UDP'
      ? { code: 'dns-blocked' as const, severity: 'error' as const }
      : { code: 'dns-tcp-blocked' as const, severity: 'warning' as const }),
    namespace,
    pods: pods.map((pod) => pod.id),
    blockedBy,
    dnsPods: dnsPodList.map((pod) => pod.id),
    ...(nodeLocal ? { nodeLocal: nodeLocal.address } : {}),
    objects: [
      ...pods.map(podObject),
      ...(blockedBy === 'dns-ingress' ? dnsPodList.map(podObject) : []),
      ...(nodeLocal && blockedBy === 'egress' ? nodeLocal.workloads : []),
    ],
    fixes: fixesFor(namespace, blockedBy, servers),
  }));
}
