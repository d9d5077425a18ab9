import { calicoPolicies } from '../compile/chain-isolation.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { SidePorts } from '../evaluate/side-ports.js';
import type { CalicoPolicy } from '../model/calico-policy.js';
import { calicoPolicyName } from '../model/calico-policy.js';
import type { Pod } from '../model/types.js';
import type { AnalysisDns } from '../scaffold/analysis-dns.js';
import type { DnsFound } from '../scaffold/cluster-dns.js';
import { type DnsServers, podDnsBlock } from '../scaffold/dns-reach.js';
import { recompile } from './recompile.js';
import type { AuditFinding } from './types.js';
import { podObject } from './walk.js';

/** Whether the Calico policies governing a pod's side differ between two analyses. */
function governedOtherwise(
  before: Analysis,
  after: Analysis,
  direction: Direction,
  podIdx: number,
): boolean {
  const names = (analysis: Analysis) =>
    calicoPolicies(analysis.chains.of(direction, podIdx)).join('\n');
  return names(before) !== names(after);
}

/** The findings of one staged policy: pods resolving names today that it would cut off. */
function cutsOf(
  analysis: Analysis,
  today: { sides: SidePorts; servers: DnsServers; found: DnsFound },
  policy: CalicoPolicy,
): AuditFinding[] {
  const name = calicoPolicyName(policy);
  const previewed = recompile(analysis, analysis.cluster, [name]);
  const sides = new SidePorts(previewed);
  // The same cluster compiled again: the same pods, at the same indexes, and the same Services,
  // so the same DNS servers; only the policies differ.
  const { servers } = today;
  // A staged policy on the DNS pods' ingress may cut every pod; else only those it governs.
  const everyPod = today.servers.pods.some((idx) =>
    governedOtherwise(analysis, previewed, 'ingress', idx),
  );
  const groups = new Map<
    string,
    { pods: Pod[]; protocol: 'UDP' | 'TCP'; ports: readonly number[]; namespace: string }
  >();
  analysis.pods.forEach((pod, idx) => {
    if (!everyPod && !governedOtherwise(analysis, previewed, 'egress', idx)) return;
    if (podDnsBlock(today.sides, idx, today.servers)) return;
    const block = podDnsBlock(sides, idx, servers);
    // A possible block (kube-proxy's route, or DNS pods the input does not tell) is not a sure cut.
    if (!block || block.routeUnknown || block.serverUnknown) return;
    const key = `${pod.namespace}/${block.protocol}`;
    const group = groups.get(key) ?? {
      pods: [],
      protocol: block.protocol,
      ports: block.ports,
      namespace: pod.namespace,
    };
    group.pods.push(pod);
    groups.set(key, group);
  });
  const object = {
    kind: policy.kind,
    ...(policy.namespace ? { namespace: policy.namespace } : {}),
    name: policy.name,
  };
  return [...groups.values()].map(({ pods, protocol, ports, namespace }) => ({
    code: 'staged-policy-cuts-dns',
    severity: 'warning',
    namespace,
    policy: name,
    protocol,
    ports,
    pods: pods.map((pod) => pod.id),
    dnsFound: today.found,
    objects: [object, ...pods.map(podObject)],
    fixes: [],
  }));
}

/**
 * Staged Calico policies (never enforced) that, if enforced, would cut DNS off for pods that
 * resolve names today: each is turned real in turn and the pods it would govern (all of them
 * when it governs the DNS pods' ingress) are asked again, UDP then TCP 53, through the kernel.
 * `dns` is the analysis's cluster DNS.
 */
export function stagedDnsFindings(analysis: Analysis, dns: AnalysisDns): AuditFinding[] {
  if (!analysis.calico.layer) return [];
  const staged = (analysis.cluster.calicoPolicies ?? []).filter((policy) => policy.staged);
  if (staged.length === 0) return [];
  const today = { sides: new SidePorts(analysis), servers: dns.servers(), found: dns.found() };
  return staged.flatMap((policy) => cutsOf(analysis, today, policy));
}
