import { isIsolated } from '../compile/chain-isolation.js';
import type { RuleChain } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import type { ClientScope } from '../compile/services.js';
import { SidePorts } from '../evaluate/side-ports.js';
import type { Pod } from '../model/types.js';
import { labelsSelector } from '../primitives/selector.js';
import type { AnalysisDns } from '../scaffold/analysis-dns.js';
import { DNS_PORTS, type DnsRuleTarget } from '../scaffold/cluster-dns.js';
import {
  type DnsBlock,
  type DnsProtocol,
  type DnsServerDoubt,
  type DnsServers,
  type PodDnsBlock,
  podDnsBlock,
} from '../scaffold/dns-reach.js';
import type { ScaffoldRequest } from '../scaffold/scaffold.js';
import { DnsDenyTracer, type DnsEarlyDenies } from './dns-denies.js';
import type { AuditFinding, FixAction } from './types.js';
import { podObject } from './walk.js';

function fixesFor(
  namespace: string,
  blockedBy: DnsBlock,
  servers: DnsServers,
  target: DnsRuleTarget,
): FixAction[] {
  // No policy drops those lookups: kube-proxy does, for want of a DNS pod on the node.
  if (blockedBy === 'no-local-dns') return [];
  if (blockedBy === 'dns-ingress') {
    return target.servers.map((server) => ({
      kind: 'scaffold',
      fix: {
        kind: 'allow',
        namespace: server.namespace,
        name: 'allow-dns-ingress',
        direction: 'ingress',
        pods: labelsSelector(server.podLabels),
        peers: [],
        ports: server.ports,
      },
    }));
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
  const allowDns: ScaffoldRequest = { kind: 'allow-dns', namespace, dns: target };
  return [...nodeLocal, { kind: 'scaffold', fix: allowDns }];
}

/** The finding a DNS block makes: UDP blocked (error), TCP blocked, or either possibly (warnings). */
function dnsCode(
  protocol: DnsProtocol,
  routeUnknown: ClientScope | undefined,
  serverUnknown: DnsServerDoubt | undefined,
) {
  if (serverUnknown) {
    return {
      code: 'dns-server-unknown' as const,
      severity: 'warning' as const,
      protocol,
      serverUnknown,
    };
  }
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
 * Whether a rule of a chain denies some traffic (a cluster policy's, Calico's or Cilium's), the
 * drops of Cilium's datapath aside (SCTP, never DNS).
 */
function deniesSome(chain: RuleChain): boolean {
  return chain.rules.some((rule) => rule.action === 'deny' && rule.tier !== 'cilium-datapath');
}

/**
 * Pods some enforced layer isolates for egress (a NetworkPolicy, Cilium or Calico policy), or
 * whose egress some rule denies (an Admin or Baseline cluster policy's), whose lookups fail, UDP and TCP 53 judged apart (podDnsBlock). Without
 * UDP a pod cannot resolve names (an error: nearly everything starts with a lookup); with UDP
 * but not TCP, answers too large for UDP fail (a warning). Grouped per namespace, protocol and
 * cause. Where a deny before NetworkPolicies cuts the lookups (DnsDenyTracer), the fix is at that
 * deny, then allow-dns only where NetworkPolicies cut them too. `dns` is the analysis's cluster DNS.
 */
export function dnsFindings(analysis: Analysis, dns: AnalysisDns): AuditFinding[] {
  const servers = dns.servers();
  const { nodeLocal } = servers;
  const sides = new SidePorts(analysis);
  const tracer = new DnsDenyTracer(sides, servers);
  const groups = new Map<
    string,
    PodDnsBlock & {
      namespace: string;
      isolated: boolean;
      early: DnsEarlyDenies | undefined;
      pods: Pod[];
    }
  >();
  analysis.pods.forEach((pod, idx) => {
    const chain = analysis.chains.of('egress', idx);
    const isolated = isIsolated(chain);
    if (!isolated && !deniesSome(chain)) return;
    const block = podDnsBlock(sides, idx, servers);
    if (!block) return;
    const { protocol, blockedBy, routeUnknown, serverUnknown, onTheirNode } = block;
    // Only a sure block names the deny that decides it.
    const early = blockedBy === 'egress' && !serverUnknown ? tracer.of(idx, protocol) : undefined;
    const key = `${pod.namespace}/${protocol}/${blockedBy}/${routeUnknown}/${serverUnknown}/${onTheirNode}/${isolated}/${JSON.stringify(early)}`;
    const group = groups.get(key) ?? {
      namespace: pod.namespace,
      ...block,
      isolated,
      early,
      pods: [],
    };
    group.pods.push(pod);
    groups.set(key, group);
  });
  const dnsPodList = servers.pods.flatMap((idx) => analysis.pods[idx] ?? []);
  const found = dns.found();
  const target = dns.target();
  return [...groups.values()].map(
    ({
      namespace,
      protocol,
      blockedBy,
      ports,
      routeUnknown,
      serverUnknown,
      onTheirNode,
      isolated,
      early,
      pods,
    }) => ({
      ...dnsCode(protocol, routeUnknown, serverUnknown),
      namespace,
      pods: pods.map((pod) => pod.id),
      blockedBy,
      // `ports` may not be 53 (a Service's targetPort): said with its protocol, for every code.
      ...(blockedBy === 'no-port-53' ? { protocol } : {}),
      ports,
      dnsPods: dnsPodList.map((pod) => pod.id),
      dnsFound: found,
      ...(onTheirNode ? { onTheirNode } : {}),
      ...(nodeLocal ? { nodeLocal: nodeLocal.address } : {}),
      objects: [
        ...pods.map(podObject),
        ...(blockedBy === 'dns-ingress' ? dnsPodList.map(podObject) : []),
        ...(nodeLocal && blockedBy === 'egress' ? nodeLocal.workloads : []),
      ],
      // An allow-dns NetworkPolicy cannot overrule a deny before NetworkPolicies, and would
      // isolate a pod that only a deny of another tier cuts.
      fixes: [
        ...(early?.denies.map((deny): FixAction => ({ kind: 'allow-dns-before-deny', deny })) ??
          []),
        ...(isolated && (early?.laterToo ?? true)
          ? fixesFor(namespace, blockedBy, servers, target)
          : []),
      ],
    }),
  );
}
