import type { Analysis } from '../compile/compile.js';
import { policiesSelecting } from '../compile/compile.js';
import { podEndpoint } from '../compile/endpoint.js';
import { ConnectionEvaluator, endpointPeerPredicate } from '../evaluate/connections.js';
import { rulePortSet } from '../evaluate/port-match.js';
import type { Pod } from '../model/types.js';
import { portSetAllows } from '../primitives/port-set.js';
import { labelsSelector } from '../primitives/selector.js';
import { CLUSTER_DNS, DNS_PORTS, type ScaffoldRequest } from '../scaffold/scaffold.js';
import { isClusterDnsPod } from '../scaffold/scaffold-fix.js';
import type { AuditFinding, DnsBlock, FixAction } from './types.js';
import { podObject } from './walk.js';

const DNS_SELECTOR = labelsSelector(CLUSTER_DNS.podLabels);

/** The pods serving cluster DNS, off the host network. */
function dnsPodIndexes(analysis: Analysis): number[] {
  return (analysis.podsByNamespace.get(CLUSTER_DNS.namespace) ?? []).filter((idx) => {
    const pod = analysis.pods[idx];
    return pod && !pod.hostNetwork && isClusterDnsPod(pod);
  });
}

/** Where DNS is cut off for an egress-isolated pod, or undefined when it resolves. */
function dnsBlock(
  analysis: Analysis,
  evaluator: ConnectionEvaluator,
  podIdx: number,
  dnsPods: readonly number[],
): DnsBlock | undefined {
  if (dnsPods.length === 0) {
    const admits53 = policiesSelecting(analysis, podIdx, 'egress').some((policy) =>
      policy.egress.some((rule) => portSetAllows(rulePortSet(rule.ports, undefined), 'UDP', 53)),
    );
    return admits53 ? undefined : 'no-port-53';
  }
  const source = podEndpoint(analysis, podIdx);
  const resolves = (ids: (dns: ReturnType<typeof podEndpoint>) => number) =>
    dnsPods.some((idx) =>
      portSetAllows(evaluator.table.get(ids(podEndpoint(analysis, idx))), 'UDP', 53),
    );
  const egress = resolves((dns) =>
    evaluator.side('egress', source, endpointPeerPredicate(analysis, dns), dns.pod.ports),
  );
  if (!egress) return 'egress';
  return resolves((dns) => evaluator.connectionId(source, dns)) ? undefined : 'dns-ingress';
}

function fixFor(namespace: string, blockedBy: DnsBlock): FixAction {
  const fix: ScaffoldRequest =
    blockedBy === 'dns-ingress'
      ? {
          kind: 'allow',
          namespace: CLUSTER_DNS.namespace,
          name: 'allow-dns-ingress',
          direction: 'ingress',
          pods: DNS_SELECTOR,
          peers: [],
          ports: DNS_PORTS,
        }
      : { kind: 'allow-dns', namespace };
  return { kind: 'scaffold', fix };
}

/**
 * Egress-isolated pods that cannot resolve names: no UDP 53 to any cluster DNS pod (through
 * their egress and the DNS pods' ingress), or, when the snapshot holds no DNS pods, no egress
 * rule admitting UDP 53 at all. Errors: nearly everything a pod does starts with a lookup.
 * Pods are grouped per namespace and cause.
 */
export function dnsFindings(analysis: Analysis): AuditFinding[] {
  const dnsPods = dnsPodIndexes(analysis);
  const evaluator = new ConnectionEvaluator(analysis);
  const groups = new Map<string, { namespace: string; blockedBy: DnsBlock; pods: Pod[] }>();
  analysis.pods.forEach((pod, idx) => {
    if (pod.hostNetwork || (analysis.egressPolicies[idx] ?? []).length === 0) return;
    const blockedBy = dnsBlock(analysis, evaluator, idx, dnsPods);
    if (!blockedBy) return;
    const key = `${pod.namespace}/${blockedBy}`;
    const group = groups.get(key) ?? { namespace: pod.namespace, blockedBy, pods: [] };
    group.pods.push(pod);
    groups.set(key, group);
  });
  const dnsPodList = dnsPods.flatMap((idx) => analysis.pods[idx] ?? []);
  return [...groups.values()].map(({ namespace, blockedBy, pods }) => ({
    code: 'dns-blocked',
    severity: 'error',
    namespace,
    pods: pods.map((pod) => pod.id),
    blockedBy,
    dnsPods: dnsPodList.map((pod) => pod.id),
    objects: [
      ...pods.map(podObject),
      ...(blockedBy === 'dns-ingress' ? dnsPodList.map(podObject) : []),
    ],
    fixes: [fixFor(namespace, blockedBy)],
  }));
}
