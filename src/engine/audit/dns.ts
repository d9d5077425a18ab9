import { isIsolated } from '../compile/chain-isolation.js';
import type { Analysis } from '../compile/compile.js';
import type { ClientScope } from '../compile/services.js';
import { SidePorts } from '../evaluate/side-ports.js';
import type { Pod } from '../model/types.js';
import { labelsSelector } from '../primitives/selector.js';
import { clusterDnsPorts } from '../scaffold/dns-ports.js';
import {
  type DnsBlock,
  type DnsProtocol,
  type DnsServers,
  dnsServers,
  podDnsBlock,
} from '../scaffold/dns-reach.js';
import { CLUSTER_DNS, DNS_PORTS, type ScaffoldRequest } from '../scaffold/scaffold.js';
import type { AuditFinding, FixAction } from './types.js';
import { podObject } from './walk.js';

const DNS_SELECTOR = labelsSelector(CLUSTER_DNS.podLabels);

function fixesFor(
  analysis: Analysis,
  namespace: string,
  blockedBy: DnsBlock,
  servers: DnsServers,
): FixAction[] {
  // No policy drops those lookups: kube-proxy does, for want of a DNS pod on the node.
  if (blockedBy === 'no-local-dns') return [];
  if (blockedBy === 'dns-ingress') {
    const fix: ScaffoldRequest = {
      kind: 'allow',
      namespace: CLUSTER_DNS.namespace,
      name: 'allow-dns-ingress',
      direction: 'ingress',
      pods: DNS_SELECTOR,
      peers: [],
      ports: clusterDnsPorts(analysis.cluster),
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

/** The finding a DNS block makes: UDP blocked (error), TCP blocked, or either possibly (warnings). */
function dnsCode(protocol: DnsProtocol, routeUnknown: ClientScope | undefined) {
  if (routeUnknown) {
    return {
      code: 'dns-route-unknown' as const,
      severity: 'warning' as const,
      protocol,
      routeUnknown,
    };
  }
  return protocol === 'UDP'
    ? { code: 'dns-blocked' as const, severity: 'error' as const }
    : { code: 'dns-tcp-blocked' as const, severity: 'warning' as const };
}

/**
 * Pods some enforced layer isolates for egress (a NetworkPolicy, Cilium or Calico policy) whose
 * lookups fail, UDP and TCP 53 judged apart (podDnsBlock). Without
 * UDP a pod cannot resolve names (an error: nearly everything starts with a lookup); with UDP
 * but not TCP, answers too large for UDP fail (a warning). Grouped per namespace, protocol and
 * cause.
 */
export function dnsFindings(analysis: Analysis): AuditFinding[] {
  const servers = dnsServers(analysis);
  const { nodeLocal } = servers;
  const sides = new SidePorts(analysis);
  const groups = new Map<
    string,
    {
      namespace: string;
      protocol: DnsProtocol;
      blockedBy: DnsBlock;
      ports: readonly number[];
      routeUnknown?: ClientScope;
      pods: Pod[];
    }
  >();
  analysis.pods.forEach((pod, idx) => {
    const chain = analysis.chains.egress[idx];
    if (!chain || !isIsolated(chain)) return;
    const block = podDnsBlock(sides, idx, servers);
    if (!block) return;
    const key = `${pod.namespace}/${block.protocol}/${block.blockedBy}/${block.routeUnknown}`;
    const group = groups.get(key) ?? { namespace: pod.namespace, ...block, pods: [] };
    group.pods.push(pod);
    groups.set(key, group);
  });
  const dnsPodList = servers.pods.flatMap((idx) => analysis.pods[idx] ?? []);
  return [...groups.values()].map(
    ({ namespace, protocol, blockedBy, ports, routeUnknown, pods }) => ({
      ...dnsCode(protocol, routeUnknown),
      namespace,
      pods: pods.map((pod) => pod.id),
      blockedBy,
      ports,
      dnsPods: dnsPodList.map((pod) => pod.id),
      ...(nodeLocal ? { nodeLocal: nodeLocal.address } : {}),
      objects: [
        ...pods.map(podObject),
        ...(blockedBy === 'dns-ingress' ? dnsPodList.map(podObject) : []),
        ...(nodeLocal && blockedBy === 'egress' ? nodeLocal.workloads : []),
      ],
      fixes: fixesFor(analysis, namespace, blockedBy, servers),
    }),
  );
}
