import { findServicePort, resolveTargetPort } from '../compile/services.js';
import type { Cluster, Pod, Protocol, Service } from '../model/types.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import {
  type ClusterDns,
  DNS_SERVICE_PORT,
  type DnsAssumed,
  type DnsFound,
  type DnsRuleTarget,
  type DnsServerPods,
  type DnsServerRef,
  dnsRuleTargetOf,
  findClusterDns,
  type PortlessDnsPods,
  servesDns,
  UNREAD_DNS_TARGET,
  type UnresolvedDnsPort,
} from './cluster-dns.js';
import { isClusterPolicy, scaffoldTemplate, type TemplateRequest } from './cluster-scaffold.js';

export { DNS_SERVICE_PORT, type DnsPort } from './cluster-dns.js';

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
 * Service that selects it, else 53 (no Service translates). Clients send to the Service's port
 * 53, but a policy port is "a numerical or named port on a pod" (NetworkPolicyPort,
 * networking.k8s.io/v1 API reference), seen after the Service translation, and a DNS deployment
 * may map 53 to another targetPort. Undefined when that targetPort is a name the pod does not
 * declare: kube-proxy sends it no lookups (see PortlessDnsPods).
 */
export function dnsPodPort(
  services: readonly Service[],
  pod: Pod,
  protocol: Protocol,
): number | undefined {
  let portless = false;
  for (const service of services) {
    if (!servesPod(service, pod)) continue;
    const servicePort = findServicePort(service, DNS_SERVICE_PORT, protocol);
    if (!servicePort) continue;
    const target = resolveTargetPort(servicePort, pod);
    if (target !== undefined) return target;
    portless = true;
  }
  return portless ? undefined : DNS_SERVICE_PORT;
}

/** The Services that may carry a candidate's lookups: its own when it has one, else any. */
export function candidateServices(
  candidate: DnsServerPods,
  services: readonly Service[],
): readonly Service[] {
  return candidate.service ? [candidate.service] : services;
}

/** What the input tells of the cluster DNS: the Services and pods, and the Services' EndpointSlices. */
export type DnsInput = Pick<Cluster, 'pods' | 'services' | 'endpointSlices'>;

/**
 * The ports a Service's port 53 sends lookups to over a protocol when the input holds none of
 * its pods: a numeric targetPort; for a named one, the ports its EndpointSlices list under that
 * Service port's name (the EndpointSlice controller resolves the name on each pod and writes
 * the number: k8s.io/endpointslice utils.go, getEndpointPorts and findPort); else 53, the name
 * left unresolved.
 */
function portsWithoutPods(
  cluster: DnsInput,
  service: Service | undefined,
  protocol: Protocol,
): { ports: number[]; unresolved?: UnresolvedDnsPort } {
  const servicePort = service && findServicePort(service, DNS_SERVICE_PORT, protocol);
  if (!service || !servicePort) return { ports: [DNS_SERVICE_PORT] };
  const target = servicePort.targetPort;
  if (typeof target === 'number') return { ports: [target] };
  const listed = (cluster.endpointSlices ?? [])
    .filter((slice) => slice.namespace === service.namespace && slice.service === service.name)
    .flatMap((slice) =>
      slice.ports.filter((p) => p.name === (servicePort.name ?? '') && p.protocol === protocol),
    )
    .map((p) => p.port);
  if (listed.length > 0) return { ports: listed };
  return { ports: [DNS_SERVICE_PORT], unresolved: { protocol, targetPort: target } };
}

/** What a candidate's DNS pods tell of one protocol: the ports they take lookups on, and who takes none. */
function podPorts(
  services: readonly Service[],
  pods: readonly Pod[],
  protocol: Protocol,
): { ports: number[]; portless: Pod[] } {
  const ports: number[] = [];
  const portless: Pod[] = [];
  for (const pod of pods) {
    const port = dnsPodPort(services, pod, protocol);
    if (port === undefined) portless.push(pod);
    else ports.push(port);
  }
  return { ports, portless };
}

/** The named targetPort of a candidate's Service port 53 over a protocol; undefined when numeric. */
function namedTargetPort(candidate: DnsServerPods, protocol: Protocol): string | undefined {
  const { service } = candidate;
  const target = service && findServicePort(service, DNS_SERVICE_PORT, protocol)?.targetPort;
  return typeof target === 'string' ? target : undefined;
}

/**
 * The ports a candidate's DNS pods take lookups on, UDP then TCP (dnsPodPort), and the pods that
 * take none for lacking the named targetPort; where none of its pods in the input take lookups
 * over a protocol, its Service's (portsWithoutPods).
 */
function candidatePorts(
  cluster: DnsInput,
  candidate: DnsServerPods,
): Pick<DnsServerRef, 'ports' | 'unresolvedPorts' | 'portlessPods'> {
  const services = candidateServices(candidate, cluster.services);
  const pods = cluster.pods.filter((pod) => !pod.hostNetwork && servesDns(candidate, pod));
  const unresolved: UnresolvedDnsPort[] = [];
  const portlessPods: PortlessDnsPods[] = [];
  const ports = DNS_PROTOCOLS.flatMap((protocol) => {
    const taking = podPorts(services, pods, protocol);
    const targetPort = namedTargetPort(candidate, protocol);
    if (taking.portless.length > 0 && targetPort !== undefined) {
      portlessPods.push({ protocol, targetPort, pods: taking.portless.map((pod) => pod.id) });
    }
    const withoutPods =
      taking.ports.length === 0
        ? portsWithoutPods(cluster, candidate.service, protocol)
        : undefined;
    if (withoutPods?.unresolved) unresolved.push(withoutPods.unresolved);
    const found = withoutPods?.ports ?? taking.ports;
    return [...new Set(found)].sort((a, b) => a - b).map((port) => ({ protocol, port }));
  });
  return {
    ports,
    ...(unresolved.length > 0 ? { unresolvedPorts: unresolved } : {}),
    ...(portlessPods.length > 0 ? { portlessPods } : {}),
  };
}

/** The plain-data account of a ClusterDns, for findings, words and rules: each candidate's ports. */
export function dnsFound(dns: ClusterDns, cluster: DnsInput): DnsFound {
  const servers = dns.candidates.map((candidate) => {
    const { namespace, podLabels, service, distributions } = candidate;
    return {
      namespace,
      podLabels,
      ...(service ? { service: `${service.namespace}/${service.name}` } : {}),
      ...(distributions ? { distributions } : {}),
      ...candidatePorts(cluster, candidate),
    };
  });
  return { ...(dns.foundBy ? { foundBy: dns.foundBy } : {}), servers };
}

/**
 * What an allow-dns rule is written against in a cluster: its DNS pods and the ports they take
 * lookups on, and what the input left to assume (dnsRuleTargetOf).
 */
export function dnsRuleTarget(cluster: DnsInput): DnsRuleTarget {
  return dnsRuleTargetOf(dnsFound(findClusterDns(cluster), cluster));
}

/** A request that writes an allow-dns rule, against `target` (dnsRuleTarget); others as they are. */
export function withDnsTarget(request: TemplateRequest, target: DnsRuleTarget): TemplateRequest {
  return writesDnsRule(request) ? { ...request, dns: target } : request;
}

/** A request that writes an allow-dns rule, against the cluster's DNS pods; others as they are. */
export function withClusterDns(request: TemplateRequest, cluster: DnsInput): TemplateRequest {
  return writesDnsRule(request) ? withDnsTarget(request, dnsRuleTarget(cluster)) : request;
}

/** A request of a template that can write an allow-dns rule. */
type DnsRuleRequest = Extract<
  TemplateRequest,
  { kind: 'allow-dns' | 'default-deny' | 'baseline-deny' | 'admin-deny' }
>;

/** Whether a request writes an allow-dns rule: allow-dns, or a template asked to keep DNS. */
function writesDnsRule(request: TemplateRequest): request is DnsRuleRequest {
  return request.kind === 'allow-dns' || ('allowDns' in request && request.allowDns === true);
}

/** What a scaffold assumed of the cluster DNS (DnsAssumed), and where its DNS rule is. */
export interface DnsAssumption {
  readonly assumed: DnsAssumed;
  /** The DNS pods its rule admits lookups to, each on its ports. */
  readonly servers: readonly DnsServerRef[];
  /** The policy that holds the DNS rule: a NetworkPolicy's namespace and name, a cluster policy's name. */
  readonly policy: { readonly namespace?: string; readonly name: string };
}

/** What a request's allow-dns rule assumes of the cluster DNS; undefined when nothing is assumed. */
export function dnsAssumption(request: TemplateRequest): DnsAssumption | undefined {
  if (!writesDnsRule(request)) return undefined;
  const { servers, assumed } = request.dns ?? UNREAD_DNS_TARGET;
  // The DNS rule is in the last policy: allow-dns's own, the one beside a default-deny, or the
  // cluster policy's.
  const last = scaffoldTemplate(request).at(-1);
  if (!assumed || !last) return undefined;
  const { name } = last;
  const policy = isClusterPolicy(last) ? { name } : { namespace: last.namespace, name };
  return { assumed, servers, policy };
}
