import type { EndpointSlice, Pod, Protocol, Service, ServicePort } from '../model/types.js';
import { type CompiledIpBlock, ipBlockVerdict, parseIpAddress } from '../primitives/ip-block.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import type { Analysis } from './compile.js';
import { addressEndpoint, type Endpoint, endpointId } from './endpoint.js';

/** A pod behind a Service port, with the container port the traffic lands on. */
export interface ServiceBackend {
  readonly podIdx: number;
  readonly protocol: Protocol;
  /** undefined when a named targetPort does not exist on this pod. */
  readonly port: number | undefined;
}

/** Finds a Service port by number or name, and by protocol when one is given. */
export function findServicePort(
  service: Service,
  port: number | string,
  protocol?: Protocol,
): ServicePort | undefined {
  return service.ports.find(
    (p) =>
      (typeof port === 'number' ? p.port === port : p.name === port) &&
      (protocol === undefined || p.protocol === protocol),
  );
}

/** The container port a Service port's targetPort resolves to on a pod. */
export function resolveTargetPort(servicePort: ServicePort, pod: Pod): number | undefined {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return target;
  return pod.ports.find((p) => p.name === target && p.protocol === servicePort.protocol)?.port;
}

/** The pods a Service's selector matches in its namespace; none without a selector. */
export function selectedPods(analysis: Analysis, service: Service): number[] {
  const selector = service.selector;
  if (!selector) return [];
  return (analysis.podsByNamespace.get(service.namespace) ?? []).filter((podIdx) =>
    selectorMatches(labelsSelector(selector), (analysis.pods[podIdx] as Pod).labels),
  );
}

/** The pods a Service selects (in its namespace), each with the resolved target port. */
export function serviceBackends(
  analysis: Analysis,
  service: Service,
  servicePort: ServicePort,
): ServiceBackend[] {
  return selectedPods(analysis, service).map((podIdx) => ({
    podIdx,
    protocol: servicePort.protocol,
    port: resolveTargetPort(servicePort, analysis.pods[podIdx] as Pod),
  }));
}

/** An address behind a Service port, from an EndpointSlice, with the port it receives on. */
export interface SliceBackend {
  /** A pod when a pod has the address, else the address itself. */
  readonly endpoint: Endpoint;
  /** The address as the slice lists it. */
  readonly address: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly slice: string;
}

/** The EndpointSlices of a Service (those labelled with its name, in its namespace). */
export function serviceSlices(analysis: Analysis, service: Service): EndpointSlice[] {
  return (analysis.cluster.endpointSlices ?? []).filter(
    (slice) => slice.namespace === service.namespace && slice.service === service.name,
  );
}

/**
 * The addresses a Service port sends to by its EndpointSlices, as kube-proxy pairs them: a
 * slice port of the Service port's name and protocol gives the port; host names (FQDN slices)
 * and slices without that port give nothing. Each address and port once.
 */
export function sliceBackends(
  analysis: Analysis,
  service: Service,
  servicePort: ServicePort,
): SliceBackend[] {
  const seen = new Set<string>();
  return serviceSlices(analysis, service).flatMap((slice) => {
    const port = slice.ports.find(
      (p) => p.name === (servicePort.name ?? '') && p.protocol === servicePort.protocol,
    );
    if (!port) return [];
    return slice.addresses.flatMap((address) => {
      const endpoint = addressEndpoint(analysis, address);
      const key = endpoint && `${endpointId(endpoint)}:${port.port}`;
      if (!endpoint || !key || seen.has(key)) return [];
      seen.add(key);
      return [{ endpoint, address, protocol: port.protocol, port: port.port, slice: slice.name }];
    });
  });
}

/**
 * Who answers a Service, as a check resolves `svc/NAME`: the pods its selector matches (none for
 * an ExternalName Service), else the endpoints its EndpointSlices list for its ports, else
 * nobody known.
 */
export type ServiceBackendSet =
  | { readonly kind: 'selected'; readonly podIdxs: readonly number[] }
  | { readonly kind: 'endpoint-slices'; readonly endpoints: readonly Endpoint[] }
  | { readonly kind: 'unknown' };

/** The backends of a Service over all its ports, each once. */
export function serviceBackendSet(analysis: Analysis, service: Service): ServiceBackendSet {
  // Its selector is "Ignored if type is ExternalName" (ServiceSpec, core/v1): no pod answers it.
  if (service.type === 'ExternalName') return { kind: 'selected', podIdxs: [] };
  if (service.selector) return { kind: 'selected', podIdxs: selectedPods(analysis, service) };
  if (serviceSlices(analysis, service).length === 0) return { kind: 'unknown' };
  const endpoints = new Map<string, Endpoint>();
  for (const port of service.ports) {
    for (const backend of sliceBackends(analysis, service, port))
      endpoints.set(endpointId(backend.endpoint), backend.endpoint);
  }
  return { kind: 'endpoint-slices', endpoints: [...endpoints.values()] };
}

/** A Service an ipBlock names by ClusterIP, and where its traffic really goes. */
export interface ServiceAddresses {
  /** `namespace/name`. */
  readonly service: string;
  /** Its ClusterIPs inside the ipBlock. */
  readonly clusterIPs: readonly string[];
  /** Its backends' addresses (selected pods or EndpointSlice addresses); empty when unknown. */
  readonly backends: readonly string[];
}

/** The addresses a Service's ports send to: its selected pods' or its EndpointSlices'. */
function backendAddresses(analysis: Analysis, service: Service): string[] {
  const addresses = service.ports.flatMap((port) =>
    service.selector
      ? serviceBackends(analysis, service, port).flatMap(
          (b) => (analysis.pods[b.podIdx] as Pod).ips,
        )
      : sliceBackends(analysis, service, port).map((b) => b.address),
  );
  return [...new Set(addresses)];
}

/**
 * The Services whose ClusterIPs an ipBlock admits, with their backends. A block covering a
 * whole address family names none: it is about everything, not about a Service.
 */
export function servicesInIpBlock(
  analysis: Analysis,
  ipBlock: CompiledIpBlock,
): ServiceAddresses[] {
  if (ipBlock.range.prefixLength === 0) return [];
  return [...analysis.services.values()].flatMap((service): ServiceAddresses[] => {
    const clusterIPs = service.clusterIPs.filter((ip) => {
      const address = parseIpAddress(ip);
      return address !== undefined && ipBlockVerdict(ipBlock, address).kind === 'inside';
    });
    if (clusterIPs.length === 0) return [];
    const id = `${service.namespace}/${service.name}`;
    return [{ service: id, clusterIPs, backends: backendAddresses(analysis, service) }];
  });
}
