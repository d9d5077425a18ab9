import { resolveTargetPort } from '../compile/services.js';
import type { Cluster, Pod, Protocol, Service } from '../model/types.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import type { TemplateRequest } from './cluster-scaffold.js';
import { CLUSTER_DNS } from './scaffold.js';

/** The port clients send lookups to: the cluster DNS Service's port. */
export const DNS_SERVICE_PORT = 53;

/** A port the cluster DNS pods take lookups on, over one protocol (a policy port by number). */
export interface DnsPort {
  readonly protocol: Protocol;
  readonly port: number;
}

/** Whether a pod is a cluster DNS pod (CoreDNS or kube-dns, k8s-app=kube-dns in kube-system). */
export function isClusterDnsPod(pod: Pod): boolean {
  return (
    pod.namespace === CLUSTER_DNS.namespace &&
    selectorMatches(labelsSelector(CLUSTER_DNS.podLabels), pod.labels)
  );
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

/**
 * The ports an allow-dns rule admits, UDP then TCP: those the cluster's DNS pods take lookups
 * on (dnsPodPort), 53 for a protocol when the cluster shows no DNS pod.
 */
export function clusterDnsPorts(cluster: Pick<Cluster, 'pods' | 'services'>): DnsPort[] {
  const pods = cluster.pods.filter((pod) => !pod.hostNetwork && isClusterDnsPod(pod));
  return DNS_PROTOCOLS.flatMap((protocol) => {
    const ports = new Set(pods.map((pod) => dnsPodPort(cluster.services, pod, protocol)));
    if (ports.size === 0) ports.add(DNS_SERVICE_PORT);
    return [...ports].sort((a, b) => a - b).map((port) => ({ protocol, port }));
  });
}

/** A request that writes an allow-dns rule, given the DNS ports of a cluster; others as they are. */
export function withClusterDnsPorts(
  request: TemplateRequest,
  cluster: Pick<Cluster, 'pods' | 'services'>,
): TemplateRequest {
  const writesDns = request.kind === 'allow-dns' || ('allowDns' in request && request.allowDns);
  return writesDns ? { ...request, dnsPorts: clusterDnsPorts(cluster) } : request;
}
