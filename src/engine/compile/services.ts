import type { EndpointSlice, Pod, Protocol, Service, ServicePort } from '../model/types.js';
import { type CompiledIpBlock, ipBlockVerdict, parseIpAddress } from '../primitives/ip-block.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import type { Analysis } from './compile.js';
import { addressEndpoint, type Endpoint, endpointId } from './endpoint.js';
import { slicesOf } from './service-slices.js';

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
  /** Not ready but serving and terminating: kube-proxy's fallback when no endpoint is ready. */
  readonly terminating?: true;
}

/** The EndpointSlices of a Service (those labelled with its name, in its namespace). */
export function serviceSlices(analysis: Analysis, service: Service): readonly EndpointSlice[] {
  return slicesOf(analysis.slicesByService, service);
}

/** An endpoint kube-proxy sends no traffic to: an EndpointSlice's address, or a selected pod. */
export type NotReadyEndpoint =
  | { readonly address: string; readonly slice: string }
  /** `namespace/name` of a pod the Service selects. */
  | { readonly pod: string };

/**
 * How internalTrafficPolicy Local narrowed a Service port's endpoints for a client of its
 * ClusterIP: to those on the client's node, or (no `node`) not at all, because the client's node
 * or an endpoint's is unknown.
 */
export interface NodeLocalRouting {
  readonly node?: string;
}

/** Where kube-proxy sends a Service port's traffic (to `T`), and what it leaves out. */
export interface Routing<T> {
  readonly backends: readonly T[];
  readonly notReady: readonly NotReadyEndpoint[];
  /** Set for a client of a Service with internalTrafficPolicy Local. */
  readonly nodeLocal?: NodeLocalRouting;
}

/** Where kube-proxy sends a Service port's traffic by its EndpointSlices, and what it leaves out. */
export type SliceRouting = Routing<SliceBackend>;

/** A client of a Service's ClusterIP, by the node it sends from; undefined when unknown. */
export interface ServiceClient {
  readonly node: string | undefined;
}

/** An endpoint as a client of a Service: a pod sends from its node; anything else is unknown. */
export function clientAt(endpoint: Endpoint): ServiceClient {
  return { node: endpoint.kind === 'pod' ? endpoint.pod.nodeName : undefined };
}

/** An endpoint of one address family with the conditions kube-proxy reads. */
interface RoutingCandidate<T> {
  readonly item: T;
  /** undefined for a pod without an address yet (read from a manifest). */
  readonly family: 4 | 6 | undefined;
  readonly ready: boolean;
  readonly servingTerminating: boolean;
  /** The node it runs on; undefined when unknown. */
  readonly node: string | undefined;
}

interface Picked<T> {
  readonly used: { item: T; ready: boolean }[];
  readonly left: T[];
  readonly nodeLocal?: NodeLocalRouting;
}

/**
 * The endpoints kube-proxy sends to, of each address family: the ready ones, or, when none is
 * ready, those both serving and terminating (kubernetes/kubernetes pkg/proxy/topology.go@v1.31.0,
 * CategorizeEndpoints; one proxier per family). `key` names an endpoint across families.
 */
function kubeProxyPick<T>(
  candidates: readonly RoutingCandidate<T>[],
  key: (item: T) => string,
): Picked<T> {
  const readyFamilies = new Set(candidates.filter((c) => c.ready).map((c) => c.family));
  const isUsed = (c: RoutingCandidate<T>) =>
    c.ready || (!readyFamilies.has(c.family) && c.servingTerminating);
  const seen = new Set<string>();
  // A dual-stack endpoint used in both families is one backend.
  const used = candidates.filter(isUsed).flatMap(({ item, ready }) => {
    if (seen.has(key(item))) return [];
    seen.add(key(item));
    return [{ item, ready }];
  });
  return { used, left: candidates.filter((c) => !isUsed(c)).map(({ item }) => item) };
}

/**
 * kube-proxy's pick for a client (see `kubeProxyPick`). With internalTrafficPolicy Local, a
 * client's ClusterIP traffic goes only to endpoints on its own node: the ready ones there, else
 * the serving terminating ones there, else none, and the connection is dropped ("Service
 * Internal Traffic Policy", kubernetes.io/docs/concepts/services-networking/
 * service-traffic-policy/; pkg/proxy/topology.go@v1.37.1, CategorizeEndpoints, its Local
 * branch, an endpoint being local when its nodeName is the proxy's node).
 */
function pickForClient<T>(
  service: Service,
  candidates: readonly RoutingCandidate<T>[],
  key: (item: T) => string,
  client: ServiceClient | undefined,
): Picked<T> {
  if (!service.internalTrafficPolicyLocal || !client) return kubeProxyPick(candidates, key);
  const { node } = client;
  if (node === undefined || candidates.some((c) => c.node === undefined))
    return { ...kubeProxyPick(candidates, key), nodeLocal: {} };
  const local = candidates.filter((c) => c.node === node);
  return { ...kubeProxyPick(local, key), nodeLocal: { node } };
}

/**
 * Whether kube-proxy load-balances a Service: it has a ClusterIP, or none was written and it is
 * not headless. ServiceSpec.clusterIP (core/v1): it "is usually assigned randomly"; "Setting
 * this to "None" makes a "headless service" (no virtual IP)", whose name resolves to the pods'
 * own addresses. So one written without it (a manifest) gets one from the API server.
 */
export function proxiedByClusterIp(service: Service): boolean {
  if (service.type === 'ExternalName') return false;
  return (
    service.clusterIPs.some((ip) => parseIpAddress(ip) !== undefined) ||
    (service.clusterIPs.length === 0 && !service.headless)
  );
}

/** Whether kube-proxy may route a Service by topology hints: it gets them, or its slices have some. */
function routedByHints(analysis: Analysis, service: Service): boolean {
  return (
    service.topologyHints === true ||
    serviceSlices(analysis, service).some((slice) => slice.endpoints.some((e) => e.hinted))
  );
}

/**
 * How kube-proxy may choose a Service's backends by client, for traffic to its ClusterIP:
 * only those on the client's node (internalTrafficPolicy Local, see `pickForClient`), or those
 * hinted for the client's zone or node (pkg/proxy/topology.go@v1.37.1, topologyModeFromHints);
 * undefined when every client may reach every backend. A Service's backends listed without a
 * client are then not each reachable from every client.
 */
export type ClientScope = 'internal-traffic-local' | 'topology-hints';

/** How kube-proxy may narrow a Service's backends by client (see `ClientScope`). */
export function clientScope(analysis: Analysis, service: Service): ClientScope | undefined {
  if (!proxiedByClusterIp(service)) return undefined;
  // kube-proxy routes Local traffic by node alone; Cluster traffic may follow topology hints.
  if (service.internalTrafficPolicyLocal) return 'internal-traffic-local';
  return routedByHints(analysis, service) ? 'topology-hints' : undefined;
}

/** A pick as a routing: the backends, those of the terminating fallback marked so. */
function routingOf<T extends { readonly terminating?: true }>(
  { used, nodeLocal }: Picked<T>,
  notReady: readonly NotReadyEndpoint[],
): Routing<T> {
  return {
    backends: used.map(({ item, ready }) => (ready ? item : { ...item, terminating: true })),
    notReady,
    ...(nodeLocal ? { nodeLocal } : {}),
  };
}

/** Each endpoint of a Service port's slices once, by its first address, as kube-proxy lists them. */
function sliceCandidates(
  analysis: Analysis,
  service: Service,
  servicePort: ServicePort,
): RoutingCandidate<SliceBackend>[] {
  const seen = new Set<string>();
  return serviceSlices(analysis, service).flatMap((slice) => {
    const port = slice.ports.find(
      (p) => p.name === (servicePort.name ?? '') && p.protocol === servicePort.protocol,
    );
    if (!port) return [];
    return slice.endpoints.flatMap((sliceEndpoint): RoutingCandidate<SliceBackend>[] => {
      // kube-proxy takes an endpoint's first address only (endpointslicecache.go@v1.31.0).
      const address = sliceEndpoint.addresses[0] ?? '';
      const family = parseIpAddress(address)?.family;
      const endpoint = addressEndpoint(analysis, address);
      // Each family's proxier lists an address and port once (the first slice's conditions).
      const key = endpoint && `${family} ${endpointId(endpoint)}:${port.port}`;
      if (!endpoint || !family || !key || seen.has(key)) return [];
      seen.add(key);
      const { ready, serving, terminating, nodeName } = sliceEndpoint;
      const item = {
        endpoint,
        address,
        protocol: port.protocol,
        port: port.port,
        slice: slice.name,
      };
      const servingTerminating = serving && terminating;
      return [{ item, family, ready, servingTerminating, node: nodeName }];
    });
  });
}

/**
 * The addresses a Service port sends to by its EndpointSlices, as kube-proxy picks them for
 * `client` (see `pickForClient`): a slice port of the Service port's name and protocol gives
 * the port; host names (FQDN slices) and slices without that port give nothing. Each endpoint
 * and port once.
 */
export function sliceRouting(
  analysis: Analysis,
  service: Service,
  servicePort: ServicePort,
  client?: ServiceClient,
): SliceRouting {
  const picked = pickForClient(
    service,
    sliceCandidates(analysis, service, servicePort),
    (backend) => `${endpointId(backend.endpoint)}:${backend.port}`,
    client,
  );
  const notReady = picked.left.map(({ address, slice }) => ({ address, slice }));
  return routingOf(picked, notReady);
}

/** A selected pod behind a Service port that kube-proxy sends to. */
export interface RoutedPod extends ServiceBackend {
  readonly port: number;
  /** Not ready but serving and terminating: kube-proxy's fallback when no pod is ready. */
  readonly terminating?: true;
}

/**
 * Selected pods with no address of any of a Service's IP families: the EndpointSlice controller
 * writes no endpoint for them (see `podFamilies`).
 */
export interface PodsWithoutFamily {
  /** `namespace/name` of each pod. */
  readonly pods: readonly string[];
  /** The Service's families. */
  readonly families: readonly (4 | 6)[];
}

/** Where kube-proxy sends a Service port's traffic among the pods its selector matches. */
export interface SelectorRouting extends Routing<RoutedPod> {
  /** Set when selected pods with the port are left out for their address family. */
  readonly withoutFamily?: PodsWithoutFamily;
}

/**
 * The conditions the EndpointSlice controller writes for a selected pod's endpoint: serving is
 * the pod's Ready condition, terminating its deletionTimestamp, ready is serving and not
 * terminating, or always with publishNotReadyAddresses (k8s.io/endpointslice@v0.31.0 utils.go,
 * podToEndpoint). A pod read without status.conditions counts as ready, as it did before.
 */
function podConditions(pod: Pod, service: Service) {
  const serving = pod.ready !== false;
  const terminating = pod.terminating === true;
  const ready = service.publishNotReadyAddresses === true || (serving && !terminating);
  return { ready, servingTerminating: serving && terminating };
}

/**
 * The address families a Service's objects name: its spec.ipFamilies, else its ClusterIPs';
 * undefined when neither is written (a headless Service, or a manifest leaving them to the API
 * server).
 */
export function writtenServiceFamilies(service: Service): ReadonlySet<4 | 6> | undefined {
  if (service.ipFamilies) return new Set(service.ipFamilies);
  const ofClusterIPs = service.clusterIPs.flatMap((ip) => parseIpAddress(ip)?.family ?? []);
  return ofClusterIPs.length > 0 ? new Set(ofClusterIPs) : undefined;
}

/**
 * The address families a Service has EndpointSlices of: its spec.ipFamilies, else its
 * ClusterIPs', else (headless) both (k8s.io/endpointslice@v0.37.1 utils.go,
 * getAddressTypesForService).
 */
function serviceFamilies(service: Service): ReadonlySet<4 | 6> {
  return writtenServiceFamilies(service) ?? new Set([4, 6]);
}

/**
 * The address families a pod is an endpoint of a Service in: the controller writes a slice per
 * family of the Service, with each pod's addresses of that family, and no endpoint for a pod
 * with none (k8s.io/endpointslice@v0.37.1 utils.go, getEndpointAddresses; reconciler.go,
 * `len(endpoint.Addresses) > 0`). `[undefined]` for a pod without any address (a manifest's),
 * kept as before.
 */
function podFamilies(pod: Pod, ofService: ReadonlySet<4 | 6>): (4 | 6 | undefined)[] {
  if (pod.ips.length === 0) return [undefined];
  return pod.ips.flatMap((ip) => {
    const family = parseIpAddress(ip)?.family;
    return family && ofService.has(family) ? [family] : [];
  });
}

/** The selected pods that are endpoints of a Service port, one candidate per address family. */
function podCandidates(
  analysis: Analysis,
  service: Service,
  selected: readonly ServiceBackend[],
): RoutingCandidate<RoutedPod>[] {
  const families = serviceFamilies(service);
  return selected.flatMap((backend) => {
    const { port } = backend;
    if (port === undefined) return [];
    const pod = analysis.pods[backend.podIdx] as Pod;
    const conditions = podConditions(pod, service);
    return podFamilies(pod, families).map((family) => ({
      item: { ...backend, port },
      family,
      node: pod.nodeName,
      ...conditions,
    }));
  });
}

/**
 * The selected pods a Service port sends to, as kube-proxy picks them for `client` from the
 * EndpointSlices the controller writes for them (see `podConditions`, `pickForClient`). Pods
 * without the named targetPort, or without an address of the Service's families, are no
 * endpoints of the port and are neither used nor named.
 */
export function selectorRouting(
  analysis: Analysis,
  service: Service,
  servicePort: ServicePort,
  client?: ServiceClient,
): SelectorRouting {
  const selected = serviceBackends(analysis, service, servicePort);
  const picked = pickForClient(
    service,
    podCandidates(analysis, service, selected),
    (backend) => String(backend.podIdx),
    client,
  );
  const { used, left } = picked;
  // A pod is named once, also when left out in both families or used in the other one.
  const notReady = [...new Set(left.map((backend) => backend.podIdx))]
    .filter((podIdx) => !used.some(({ item }) => item.podIdx === podIdx))
    .map((podIdx) => ({ pod: (analysis.pods[podIdx] as Pod).id }));
  const withoutFamily = podsWithoutFamily(analysis, service, selected);
  return { ...routingOf(picked, notReady), ...(withoutFamily ? { withoutFamily } : {}) };
}

/** The selected pods with the port that are no endpoints for their address family; none: undefined. */
function podsWithoutFamily(
  analysis: Analysis,
  service: Service,
  selected: readonly ServiceBackend[],
): PodsWithoutFamily | undefined {
  const families = serviceFamilies(service);
  const pods = selected.flatMap(({ podIdx, port }) => {
    const pod = analysis.pods[podIdx] as Pod;
    return port !== undefined && podFamilies(pod, families).length === 0 ? [pod.id] : [];
  });
  return pods.length > 0 ? { pods, families: [...families].sort() } : undefined;
}

/**
 * The selected pods cluster DNS answers a headless Service's names with: those with a ready
 * endpoint (see `podConditions`; not ready ones only with publishNotReadyAddresses), as CoreDNS
 * keeps only an EndpointSlice's ready endpoints (coredns/coredns
 * plugin/kubernetes/object/endpoint.go@v1.11.3, EndpointSliceToEndpoints), with no terminating
 * fallback.
 */
export function dnsAnsweredPods(analysis: Analysis, service: Service): number[] {
  const families = serviceFamilies(service);
  return selectedPods(analysis, service).filter((podIdx) => {
    const pod = analysis.pods[podIdx] as Pod;
    return podConditions(pod, service).ready && podFamilies(pod, families).length > 0;
  });
}

/**
 * A routing as cluster DNS answers a headless Service's name: its ready endpoints only, with no
 * terminating fallback (coredns/coredns plugin/kubernetes/object/endpoint.go@v1.11.3,
 * EndpointSliceToEndpoints). `named` names a backend so left out.
 */
export function dnsAnswered<R extends Routing<{ readonly terminating?: true }>>(
  routing: R,
  named: (backend: R['backends'][number]) => NotReadyEndpoint,
): R {
  const draining = routing.backends.filter((backend) => backend.terminating);
  return {
    ...routing,
    backends: routing.backends.filter((backend) => !backend.terminating),
    notReady: [...routing.notReady, ...draining.map(named)],
  };
}

/** The addresses a Service port sends to by its EndpointSlices (see `sliceRouting`). */
export function sliceBackends(
  analysis: Analysis,
  service: Service,
  servicePort: ServicePort,
): readonly SliceBackend[] {
  return sliceRouting(analysis, service, servicePort).backends;
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

/** A Service port every selected pod has: its targetPort is a number. */
const NUMBERED_PORT: ServicePort = { port: 1, protocol: 'TCP', targetPort: 1 };

/** The backends of a Service over all its ports, each once. */
export function serviceBackendSet(analysis: Analysis, service: Service): ServiceBackendSet {
  // Its selector is "Ignored if type is ExternalName" (ServiceSpec, core/v1): no pod answers it.
  if (service.type === 'ExternalName') return { kind: 'selected', podIdxs: [] };
  if (service.selector) {
    // A Service without ports (a headless one may have none) still has its pods as endpoints.
    const ports = service.ports.length > 0 ? service.ports : [NUMBERED_PORT];
    const routed = ports.flatMap((port) => selectorRouting(analysis, service, port).backends);
    return { kind: 'selected', podIdxs: [...new Set(routed.map((b) => b.podIdx))] };
  }
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
  /** Set when a client's traffic to the ClusterIP goes to some of `backends` only. */
  readonly clientScope?: ClientScope;
  /** Set when `backends` are those on this node, the client's (internalTrafficPolicy Local). */
  readonly clientNode?: string;
}

/** The addresses a Service's ports send `client` to: its selected pods' or its EndpointSlices'. */
function backendAddresses(
  analysis: Analysis,
  service: Service,
  client: ServiceClient | undefined,
): { addresses: string[]; node?: string } {
  const routings = service.ports.map((port) =>
    service.selector
      ? selectorRouting(analysis, service, port, client)
      : sliceRouting(analysis, service, port, client),
  );
  const addresses = routings.flatMap((routing: Routing<RoutedPod | SliceBackend>) =>
    routing.backends.map((b) =>
      'address' in b ? [b.address] : (analysis.pods[b.podIdx] as Pod).ips,
    ),
  );
  const node = routings.find((routing) => routing.nodeLocal?.node)?.nodeLocal?.node;
  return { addresses: [...new Set(addresses.flat())], ...(node ? { node } : {}) };
}

/** A Service's part of a ServiceAddresses for one client: all but the ClusterIPs a block holds. */
type ServiceRouting = Omit<ServiceAddresses, 'clusterIPs'>;

/**
 * The Services' parts servicesInIpBlock has found for one client, by Service: blocks that hold
 * the same Services (templates repeat a cluster-wide range in every namespace) route each once.
 */
export type ServiceRoutingMemo = Map<Service, ServiceRouting>;

/** Where a Service's traffic goes for `client` (see `ServiceAddresses`). */
function serviceRouting(
  analysis: Analysis,
  service: Service,
  client: ServiceClient | undefined,
): ServiceRouting {
  const { addresses: backends, node } = backendAddresses(analysis, service, client);
  const scope = clientScope(analysis, service);
  return {
    service: `${service.namespace}/${service.name}`,
    backends,
    ...(scope ? { clientScope: scope } : {}),
    ...(node ? { clientNode: node } : {}),
  };
}

/**
 * The Services whose ClusterIPs an ipBlock admits, with their backends: those kube-proxy sends
 * `client` to, when given (see `pickForClient`), else all. A block covering a whole address
 * family names none: it is about everything, not about a Service. `memo` is for one client.
 */
export function servicesInIpBlock(
  analysis: Analysis,
  ipBlock: CompiledIpBlock,
  client?: ServiceClient,
  memo: ServiceRoutingMemo = new Map(),
): ServiceAddresses[] {
  if (ipBlock.range.prefixLength === 0) return [];
  return analysis.clusterIps.servicesInside(ipBlock).map((service): ServiceAddresses => {
    const clusterIPs = service.clusterIPs.filter((ip) => {
      const address = parseIpAddress(ip);
      return address !== undefined && ipBlockVerdict(ipBlock, address).kind === 'inside';
    });
    let routing = memo.get(service);
    if (!routing) {
      routing = serviceRouting(analysis, service, client);
      memo.set(service, routing);
    }
    // The fields in the order they always had, which JSON output keeps.
    const { service: id, ...routed } = routing;
    return { service: id, clusterIPs, ...routed };
  });
}
