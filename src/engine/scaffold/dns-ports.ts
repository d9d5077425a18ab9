import { resolveTargetPort } from '../compile/services.js';
import type { Cluster, Pod, Protocol, Service } from '../model/types.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import {
  type ClusterDns,
  clusterDnsPeer,
  DNS_SERVICE_PORT,
  type DnsPods,
  type DnsServerPods,
  findClusterDns,
  servesDns,
} from './cluster-dns.js';
import type { TemplateRequest } from './cluster-scaffold.js';

export { DNS_SERVICE_PORT } from './cluster-dns.js';

/** A port the cluster DNS pods take lookups on, over one protocol (a policy port by number). */
export interface DnsPort {
  readonly protocol: Protocol;
  readonly port: number;
}

const DNS_PROTOCOLS: readonly Protocol[] = ['UDP', 'TCP'];

/** Whether a Service sends its traffic to a pod: same namespace, a selector that matches it. */
function servesPod(service: Service, pod: Pod): boolean {
  return (
    service.namespace === pod.namespace &&
    service.type !== 'ExternalName' &&
    service.selector !== undefined &&
    selectorMatches(labelsSelector(service.selector), pod.labels)
  );
}

/**
 * The port a cluster DNS pod takes lookups on over a protocol: the targetPort of port 53 of a
 * Service that selects it, else 53. Clients send to the Service's port 53, but a policy port is
 * "a numerical or named port on a pod" (NetworkPolicyPort, networking.k8s.io/v1 API reference),
 * seen after the Service translation, and a DNS deployment may map 53 to another targetPort.
 */
export function dnsPodPort(services: readonly Service[], pod: Pod, protocol: Protocol): number {
  for (const service of services) {
    if (!servesPod(service, pod)) continue;
    const servicePort = service.ports.find(
      (p) => p.port === DNS_SERVICE_PORT && p.protocol === protocol,
    );
    const target = servicePort && resolveTargetPort(servicePort, pod);
    if (target !== undefined) return target;
  }
  return DNS_SERVICE_PORT;
}

/** The Services that may carry a candidate's lookups: its own when it has one, else any. */
export function candidateServices(
  candidate: DnsServerPods,
  services: readonly Service[],
): readonly Service[] {
  return candidate.service ? [candidate.service] : services;
}

/**
 * The ports an allow-dns rule admits, UDP then TCP: those the cluster's DNS pods take lookups
 * on (dnsPodPort), 53 for a protocol when the cluster shows no DNS pod.
 */
export function clusterDnsPorts(
  cluster: Pick<Cluster, 'pods' | 'services'>,
  dns: ClusterDns = findClusterDns(cluster),
): DnsPort[] {
  const candidate = clusterDnsPeer(dns);
  const services = candidateServices(candidate, cluster.services);
  const pods = cluster.pods.filter((pod) => !pod.hostNetwork && servesDns(candidate, pod));
  return DNS_PROTOCOLS.flatMap((protocol) => {
    const ports = new Set(pods.map((pod) => dnsPodPort(services, pod, protocol)));
    if (ports.size === 0) ports.add(DNS_SERVICE_PORT);
    return [...ports].sort((a, b) => a - b).map((port) => ({ protocol, port }));
  });
}

/** What an allow-dns rule is written against: the cluster's DNS pods and their ports. */
export interface DnsRuleTarget {
  readonly dnsPods: DnsPods;
  readonly dnsPorts: readonly DnsPort[];
}

/**
 * The DNS pods an allow-dns rule selects (the one set the input tells, see clusterDnsPeer) and
 * the ports they take lookups on.
 */
export function dnsRuleTarget(
  cluster: Pick<Cluster, 'pods' | 'services'>,
  dns: ClusterDns = findClusterDns(cluster),
): DnsRuleTarget {
  const { namespace, podLabels } = clusterDnsPeer(dns);
  return { dnsPods: { namespace, podLabels }, dnsPorts: clusterDnsPorts(cluster, dns) };
}

/** A request that writes an allow-dns rule, given the cluster's DNS pods; others as they are. */
export function withClusterDnsPorts(
  request: TemplateRequest,
  cluster: Pick<Cluster, 'pods' | 'services'>,
): TemplateRequest {
  const writesDns = request.kind === 'allow-dns' || ('allowDns' in request && request.allowDns);
  return writesDns ? { ...request, ...dnsRuleTarget(cluster) } : request;
}
