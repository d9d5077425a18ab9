import { fail, ok, type Result } from '../model/result.js';
import {
  objectId,
  type Pod,
  type Protocol,
  type Service,
  type ServicePort,
} from '../model/types.js';
import { closestNames } from '../primitives/closest-names.js';
import { canonicalDomainName } from '../primitives/domain-names.js';
import { addressText, type IpRange, parseCidr, parseIpAddress } from '../primitives/ip-block.js';
import { labelsSelector } from '../primitives/selector.js';
import type { Analysis } from './compile.js';
import { addressEndpoint, type Endpoint, endpointId, podEndpoint } from './endpoint.js';
import {
  type ScaledToZeroWorkload,
  scaledToZeroSelected,
  scaledToZeroTemplate,
} from './scaled-to-zero.js';
import { keepsOutsideClientAddress, type ServiceForwarding } from './service-forwarding.js';
import {
  clientScope,
  dnsAnswered,
  dnsAnsweredPods,
  findServicePort,
  type NotReadyEndpoint,
  type PodsWithoutFamily,
  proxiedByClusterIp,
  type Routing,
  type ServiceClient,
  selectedPods,
  selectorRouting,
  serviceBackends,
  serviceSlices,
  sliceRouting,
} from './services.js';
import { parseTargetName, policyKindOf, type TargetName } from './target-names.js';
import { namespaceWorkloads, type WorkloadPods, workloadTargetName } from './workloads.js';

/** One concrete endpoint a target stands for, with the port traffic lands on when it receives. */
export interface ResolvedEndpoint {
  readonly endpoint: Endpoint;
  /** The destination port and protocol; undefined when a named port does not resolve. */
  readonly port: number | undefined;
  readonly protocol: Protocol;
  /** Why the port is what it is, e.g. "svc/api port 80 -> targetPort http". */
  readonly via?: string;
  /** Reached through a Service ClusterIP the service proxy translates (not a headless name). */
  readonly throughServiceIp?: true;
  /**
   * `namespace/name` of the Service this is a terminating endpoint of, used through its
   * ClusterIP while none is ready (kube-proxy's fallback).
   */
  readonly terminatingOf?: string;
}

/** A Service ClusterIP the user typed: answered for the Service's backends, not the address. */
export interface ServiceAddress {
  readonly address: string;
  /** `namespace/name` of the Service. */
  readonly service: string;
  /** The Service port asked for. */
  readonly port: number;
  readonly protocol: Protocol;
}

/**
 * How a target that could name an object of the cluster or a host outside it was read:
 * NAME.NAMESPACE as the Service or pod NAME of that namespace, or a host name (NAME.NAMESPACE
 * when the namespace is not in the input or holds no such object: `suggestions` then lists
 * close names there).
 */
export type TargetReading =
  | {
      readonly kind: 'named-object';
      readonly text: string;
      /** `pod-dns`: HOSTNAME.SERVICE.NAMESPACE, the pod DNS names so under a headless Service. */
      readonly object: 'service' | 'pod' | 'pod-dns';
      readonly namespace: string;
      readonly name: string;
    }
  /** ADDRESS.NAMESPACE.pod: a pod's A/AAAA name, read as the address it spells. */
  | { readonly kind: 'pod-address'; readonly text: string; readonly address: string }
  | {
      readonly kind: 'hostname';
      readonly text: string;
      readonly hostname: string;
      /** For NAME.NAMESPACE: the namespace, and whether the input has it. */
      readonly namespace?: { readonly name: string; readonly known: boolean };
      readonly suggestions?: readonly string[];
    };

/**
 * What the user named (a pod, a workload, a Service, an address or a host name) and the
 * endpoints it stands for.
 */
export interface ResolvedTarget {
  readonly text: string;
  readonly endpoints: readonly ResolvedEndpoint[];
  /** Set when the target was a Service ClusterIP. */
  readonly serviceAddress?: ServiceAddress;
  /** Set when the target could have named an object or a host: how it was read. */
  readonly reading?: TargetReading;
  /** Set when the Service's EndpointSlices list endpoints kube-proxy sends nothing to. */
  readonly notReady?: NotReadyEndpoints;
  /** Set when pods the Service selects are no endpoints of it for their address family. */
  readonly withoutFamily?: ServicePodsWithoutFamily;
  /** Set for the ClusterIP of a Service with internalTrafficPolicy Local. */
  readonly nodeLocal?: NodeLocalTarget;
  /** Set for the ClusterIP of a Service whose endpoints may carry topology hints. */
  readonly topologyHints?: { readonly service: string };
  /**
   * Set for a Service whose backends may see a client outside the pods by a node's address
   * (keepsOutsideClientAddress).
   */
  readonly outsideClientMasked?: { readonly service: string };
}

/**
 * A Service whose ClusterIP traffic kube-proxy keeps on the client's node (internalTrafficPolicy
 * Local): the endpoints are those on `node`, the client's, or all of them when a node is unknown.
 */
export interface NodeLocalTarget {
  /** `namespace/name` of the Service. */
  readonly service: string;
  readonly node?: string;
}

/** Pods a Service selects that have no address of its IP families, so are no endpoints of it. */
export interface ServicePodsWithoutFamily extends PodsWithoutFamily {
  /** `namespace/name` of the Service. */
  readonly service: string;
}

/** The endpoints of a Service's EndpointSlices that are not ready, so get no traffic. */
export interface NotReadyEndpoints {
  /** `namespace/name` of the Service. */
  readonly service: string;
  readonly endpoints: readonly NotReadyEndpoint[];
  /** Set for a headless Service: cluster DNS, not kube-proxy, leaves them out. */
  readonly headless?: true;
}

/** The port the user asked for: a number, or a port name. */
export type PortSpec = number | string;

/** Why a port the user typed is no port; where it was typed is the edge's to say. */
export type PortSpecProblem =
  | { readonly kind: 'port-out-of-range'; readonly port: string | number }
  | { readonly kind: 'port-empty' };

/** Why a target the user typed (`text`) stands for no endpoint. */
export type TargetProblem =
  | { readonly kind: 'unrecognised-target'; readonly text: string }
  /** An address followed by a slash and no prefix length of its family (`10.0.0.0/33`). */
  | { readonly kind: 'invalid-address-block'; readonly text: string }
  /** An address block (`10.0.0.0/8`) of more than one address: a connection has one address. */
  | {
      readonly kind: 'address-block-target';
      readonly text: string;
      readonly first: string;
      readonly last: string;
    }
  /** A policy (`netpol/NAME`, `cnp/NAME`): no end of a connection. */
  | {
      readonly kind: 'policy-target';
      readonly text: string;
      readonly policyKind: 'NetworkPolicy' | 'ClusterNetworkPolicy';
    }
  | {
      readonly kind: 'no-such-pod';
      readonly text: string;
      readonly pod: string;
      /** Close names of pods and workloads there, as targets; absent when none is close. */
      readonly suggestions?: readonly string[];
    }
  | {
      readonly kind: 'no-such-service';
      readonly text: string;
      readonly service: string;
      readonly suggestions?: readonly string[];
    }
  | {
      readonly kind: 'no-such-workload';
      readonly text: string;
      /** `Kind namespace/name`. */
      readonly workload: string;
      readonly suggestions?: readonly string[];
      /**
       * The input holds pods and no workload object (a live read lists pods only): a workload
       * is known by its pods, and one scaled to zero has none.
       */
      readonly podsOnly?: true;
    }
  | { readonly kind: 'workload-has-no-pods'; readonly text: string; readonly workload: string }
  /**
   * A workload scaled to zero: no pod of it runs now. `template` stands for its pods once it
   * runs, which is what a question naming it asks about.
   */
  | {
      readonly kind: 'workload-scaled-to-zero';
      readonly text: string;
      readonly workload: ScaledToZeroWorkload;
      readonly template: Pod;
    }
  | {
      /** NAMESPACE/NAME names several workloads, or is the prefix of several pods' names. */
      readonly kind: 'ambiguous-target';
      readonly text: string;
      readonly candidates: readonly string[];
    }
  /** An ExternalName Service: its DNS name is an alias of an outside host, with no backends. */
  | { readonly kind: 'external-name-service'; readonly text: string; readonly service: string }
  /** A Service without a selector and without EndpointSlices: its backends are unknown. */
  | { readonly kind: 'service-without-selector'; readonly text: string; readonly service: string }
  /** Its EndpointSlices list no address for the port asked that kube-proxy sends to. */
  | {
      readonly kind: 'service-has-no-endpoints';
      readonly text: string;
      readonly service: string;
      /** The endpoints listed but not ready. */
      readonly notReady: readonly NotReadyEndpoint[];
      /** Set for a headless Service: cluster DNS, not kube-proxy, leaves them out. */
      readonly headless?: true;
      /** Set when internalTrafficPolicy Local left only the endpoints on this node, the client's. */
      readonly node?: string;
      /** Set when selected pods are no endpoints for their address family. */
      readonly withoutFamily?: PodsWithoutFamily;
    }
  /** A ClusterIP whose Service's backends are unknown: no verdict from the address alone. */
  /** A node's address on a NodePort, or a Service's external address: its backends decide. */
  | ({ readonly kind: 'service-forwarded-address'; readonly text: string } & ServiceForwarding)
  | {
      readonly kind: 'cluster-ip-backends-unknown';
      readonly text: string;
      readonly service: string;
    }
  | {
      readonly kind: 'no-such-service-port';
      readonly text: string;
      readonly port: PortSpec;
      /** The protocol asked for; undefined when any would do. */
      readonly protocol: Protocol | undefined;
      /** The ports the service does declare. */
      readonly known: readonly ServicePort[];
    }
  | {
      readonly kind: 'service-selects-no-pod';
      readonly text: string;
      /** The workloads scaled to zero it would select: it has no backend while they have no pod. */
      readonly scaledToZero?: readonly ScaledToZeroWorkload[];
    }
  /** A pod DNS name of a headless Service's pod that is not ready: cluster DNS does not answer it. */
  | {
      readonly kind: 'pod-dns-not-ready';
      readonly text: string;
      /** `namespace/name` of the pod and of the Service. */
      readonly pod: string;
      readonly service: string;
    }
  /** The Service port's named targetPort is declared by none of the pods it selects. */
  | {
      readonly kind: 'target-port-on-no-pod';
      readonly text: string;
      readonly service: string;
      readonly targetPort: string;
      readonly protocol: Protocol;
    }
  | { readonly kind: 'named-port-needs-workload'; readonly text: string };

/** Parses a port: a number 1-65535 or a name. */
export function parsePortSpec(text: string | number): Result<PortSpec, PortSpecProblem> {
  if (typeof text === 'number' || /^\d+$/.test(text)) {
    const port = Number(text);
    if (port < 1 || port > 65535) return fail({ kind: 'port-out-of-range', port: text });
    return ok(port);
  }
  if (text === '') return fail({ kind: 'port-empty' });
  return ok(text);
}

type Resolved<T> = Result<T, TargetProblem>;

/** `suggestions` for a problem, left out when there are none. */
function suggested(name: TargetName, names: Iterable<string>): { suggestions?: string[] } {
  const close = closestNames(name.name, names);
  return close.length > 0 ? { suggestions: close.map(name.rename) } : {};
}

/** At most this many other namespaces are offered for a name missing from its own. */
const OTHER_NAMESPACES_OFFERED = 3;

/**
 * The same name in another namespace, written as a target `check` takes; undefined for the DNS
 * forms, which spell a namespace of their own.
 */
function inNamespace(name: TargetName, namespace: string): string | undefined {
  switch (name.form) {
    case 'service':
      return `svc/${name.name}.${namespace}`;
    case 'pod':
    case 'namespaced':
      return `${namespace}/${name.name}`;
    case 'dotted':
      return `${name.name}.${namespace}`;
    case 'workload':
      return `${workloadTargetName(name.kind, name.name)} -n ${namespace}`;
    default:
      return undefined;
  }
}

/**
 * Names close to a missing one in its namespace; when none is, the same name where another
 * namespace holds it (`found`): a bare name is read in `default`, the pod runs in `production`.
 */
function suggestedHereOrElsewhere(
  analysis: Analysis,
  name: TargetName,
  names: Iterable<string>,
  found: (namespace: string) => boolean,
): { suggestions?: string[] } {
  const close = suggested(name, names);
  if (close.suggestions) return close;
  const namespaces = new Set([...analysis.namespaces.keys(), ...analysis.podsByNamespace.keys()]);
  const elsewhere = [...namespaces]
    .filter((namespace) => namespace !== name.namespace && found(namespace))
    .sort()
    .slice(0, OTHER_NAMESPACES_OFFERED)
    .flatMap((namespace) => inNamespace(name, namespace) ?? []);
  return elsewhere.length > 0 ? { suggestions: elsewhere } : {};
}

/** Whether a namespace holds a pod, or a workload, of a name. */
function holdsPodOrWorkload(analysis: Analysis, name: string, kind?: string) {
  return (namespace: string) =>
    (kind === undefined && analysis.podIndex.has(objectId(namespace, name))) ||
    namespaceWorkloads(analysis, namespace).some(
      (workload) => workload.name === name && (kind === undefined || workload.kind === kind),
    );
}

function podTarget(
  analysis: Analysis,
  podIdx: number,
  port: PortSpec,
  protocol: Protocol,
): ResolvedEndpoint {
  const endpoint = podEndpoint(analysis, podIdx);
  if (typeof port === 'number') return { endpoint, port, protocol };
  const named = endpoint.pod.ports.find((p) => p.name === port && p.protocol === protocol);
  return { endpoint, port: named?.port, protocol, via: `container port ${port}` };
}

function podsTarget(
  analysis: Analysis,
  text: string,
  podIdxs: readonly number[],
  port: PortSpec,
  protocol: Protocol,
): Resolved<ResolvedTarget> {
  return ok({ text, endpoints: podIdxs.map((idx) => podTarget(analysis, idx, port, protocol)) });
}

/** How a flow's "via" says its backend is a terminating one, kube-proxy's fallback. */
const TERMINATING_FALLBACK = ' (terminating: kube-proxy uses it while no endpoint is ready)';

/** The endpoints behind a Service port: its selected pods, else its EndpointSlices' addresses. */
function serviceTarget(
  analysis: Analysis,
  service: Service,
  port: PortSpec,
  protocol: Protocol | undefined,
  text: string,
  client: ServiceClient | undefined,
): Resolved<ResolvedTarget & { readonly servicePort: ServicePort }> {
  const id = objectId(service.namespace, service.name);
  // Its selector is "Ignored if type is ExternalName" (ServiceSpec, core/v1): cluster DNS answers
  // its name with a CNAME to spec.externalName, so its traffic goes to that host, not to pods.
  if (service.type === 'ExternalName')
    return fail({ kind: 'external-name-service', text, service: id });
  if (!service.selector && serviceSlices(analysis, service).length === 0) {
    return fail({ kind: 'service-without-selector', text, service: id });
  }
  // Only a Service with a ClusterIP is load-balanced by the service proxy; a headless one's
  // name resolves to the pods' own addresses.
  const proxied = proxiedByClusterIp(service) ? { throughServiceIp: true as const } : {};
  const servicePort = findServicePort(service, port, protocol);
  if (!servicePort) {
    return fail({ kind: 'no-such-service-port', text, port, protocol, known: service.ports });
  }
  const masked =
    proxied.throughServiceIp && !keepsOutsideClientAddress(analysis, service, servicePort.protocol)
      ? { outsideClientMasked: { service: id } }
      : {};
  // internalTrafficPolicy applies to traffic through the ClusterIP only.
  const viaClusterIp = proxied.throughServiceIp ? client : undefined;
  const scope = clientScope(analysis, service);
  const local = (node: string | undefined) => {
    if (scope === 'internal-traffic-local')
      return { nodeLocal: { service: id, ...(node ? { node } : {}) } };
    return scope === 'topology-hints' ? { topologyHints: { service: id } } : {};
  };
  // A headless Service's name is answered by cluster DNS, without kube-proxy's fallback.
  const headless = proxied.throughServiceIp ? {} : { headless: true as const };
  // Only a ClusterIP's backends include terminating ones: cluster DNS leaves them out.
  const fallback = (backend: { readonly terminating?: true }) =>
    backend.terminating ? { terminatingOf: id } : {};
  const byDns = <R extends Routing<{ readonly terminating?: true }>>(
    routing: R,
    named: (backend: R['backends'][number]) => NotReadyEndpoint,
  ) => (proxied.throughServiceIp ? routing : dnsAnswered(routing, named));
  const noEndpoints = (
    notReady: readonly NotReadyEndpoint[],
    node: string | undefined,
    withoutFamily?: PodsWithoutFamily,
  ) =>
    fail({
      kind: 'service-has-no-endpoints' as const,
      text,
      service: id,
      notReady,
      ...(node ? { node } : {}),
      ...(withoutFamily ? { withoutFamily } : {}),
      ...headless,
    });
  const skippedOf = (notReady: readonly NotReadyEndpoint[]) =>
    notReady.length > 0 ? { notReady: { service: id, endpoints: notReady, ...headless } } : {};
  if (!service.selector) {
    const routing = byDns(
      sliceRouting(analysis, service, servicePort, viaClusterIp),
      ({ address, slice }) => ({ address, slice }),
    );
    const { backends, notReady } = routing;
    const node = routing.nodeLocal?.node;
    if (backends.length === 0) return noEndpoints(notReady, node);
    const endpoints = backends.map((backend) => ({
      endpoint: backend.endpoint,
      port: backend.port,
      protocol: backend.protocol,
      via: `service port ${servicePort.port} -> endpoint port ${backend.port} of EndpointSlice ${backend.slice}${backend.terminating ? TERMINATING_FALLBACK : ''}`,
      ...proxied,
      ...fallback(backend),
    }));
    return ok({ text, endpoints, servicePort, ...skippedOf(notReady), ...local(node), ...masked });
  }
  const selected = serviceBackends(analysis, service, servicePort);
  if (selected.length === 0) {
    const idle = scaledToZeroSelected(
      analysis.cluster,
      [service.namespace],
      labelsSelector(service.selector),
    );
    return fail({
      kind: 'service-selects-no-pod',
      text,
      ...(idle.length > 0 ? { scaledToZero: idle } : {}),
    });
  }
  // As Kubernetes' Endpoints and EndpointSlice controllers list them (kubernetes/kubernetes,
  // pkg/controller/endpoint: FindPort fails, `continue`): a pod that does not declare the named
  // targetPort is no backend of this port.
  if (selected.every((backend) => backend.port === undefined)) {
    return fail({
      kind: 'target-port-on-no-pod',
      text,
      service: id,
      targetPort: String(servicePort.targetPort),
      protocol: servicePort.protocol,
    });
  }
  const routing = byDns(selectorRouting(analysis, service, servicePort, viaClusterIp), (b) => ({
    pod: (analysis.pods[b.podIdx] as Pod).id,
  }));
  const { backends, notReady, withoutFamily } = routing;
  const node = routing.nodeLocal?.node;
  if (backends.length === 0) return noEndpoints(notReady, node, withoutFamily);
  const endpoints = backends.map((backend) => ({
    endpoint: podEndpoint(analysis, backend.podIdx),
    port: backend.port,
    protocol: backend.protocol,
    via: `service port ${servicePort.port} -> targetPort ${servicePort.targetPort}${backend.terminating ? TERMINATING_FALLBACK : ''}`,
    ...proxied,
    ...fallback(backend),
  }));
  const leftOut = withoutFamily ? { withoutFamily: { service: id, ...withoutFamily } } : {};
  const ofClients = { ...local(node), ...masked };
  return ok({ text, endpoints, servicePort, ...skippedOf(notReady), ...leftOut, ...ofClients });
}

/** A ClusterIP stands for the Service's backends: the address is translated before policy sees it. */
function clusterIpTarget(
  analysis: Analysis,
  service: Service,
  port: PortSpec,
  protocol: Protocol | undefined,
  text: string,
  address: string,
  client: ServiceClient | undefined,
): Resolved<ResolvedTarget> {
  const resolved = serviceTarget(analysis, service, port, protocol, text, client);
  if (!resolved.ok) {
    return resolved.error.kind === 'service-without-selector'
      ? fail({ ...resolved.error, kind: 'cluster-ip-backends-unknown' })
      : resolved;
  }
  const { servicePort, ...target } = resolved.value;
  const serviceAddress: ServiceAddress = {
    address,
    service: objectId(service.namespace, service.name),
    port: servicePort.port,
    protocol: servicePort.protocol,
  };
  return ok({ ...target, serviceAddress });
}

function namedService(
  analysis: Analysis,
  name: TargetName,
  port: PortSpec,
  protocol: Protocol | undefined,
  text: string,
  client: ServiceClient | undefined,
): Resolved<ResolvedTarget> {
  const id = objectId(name.namespace, name.name);
  const service = analysis.services.get(id);
  if (!service) {
    const names = [...analysis.services.values()]
      .filter((svc) => svc.namespace === name.namespace)
      .map((svc) => svc.name);
    const found = (namespace: string) => analysis.services.has(objectId(namespace, name.name));
    const suggestions = suggestedHereOrElsewhere(analysis, name, names, found);
    return fail({ kind: 'no-such-service', text, service: id, ...suggestions });
  }
  const resolved = serviceTarget(analysis, service, port, protocol, text, client);
  if (!resolved.ok) return resolved;
  const { servicePort: _, ...target } = resolved.value;
  return ok(target);
}

function namespacePods(analysis: Analysis, namespace: string): number[] {
  return [...(analysis.podsByNamespace.get(namespace) ?? [])];
}

function podName(analysis: Analysis, podIdx: number): string {
  return (analysis.pods[podIdx] as Pod).name;
}

/** How a candidate workload is typed: `deploy/web`, with `-n` when in another namespace. */
function workloadCandidate(workload: WorkloadPods, namespace: string): string {
  const target = workloadTargetName(workload.kind, workload.name);
  return workload.namespace === namespace ? target : `${target} -n ${workload.namespace}`;
}

function workloadPods(
  analysis: Analysis,
  workload: WorkloadPods,
  text: string,
  port: PortSpec,
  protocol: Protocol,
): Resolved<ResolvedTarget> {
  if (workload.podIdxs.length === 0) {
    const { kind, namespace, name } = workload;
    const template = scaledToZeroTemplate(analysis.cluster, { kind, namespace, name });
    if (template) {
      return fail({
        kind: 'workload-scaled-to-zero',
        text,
        workload: { kind, namespace, name },
        template,
      });
    }
    const id = `${kind} ${objectId(namespace, name)}`;
    return fail({ kind: 'workload-has-no-pods', text, workload: id });
  }
  return podsTarget(analysis, text, workload.podIdxs, port, protocol);
}

/** `deploy/NAME` and the like: every pod of that workload in the namespace. */
function namedWorkload(
  analysis: Analysis,
  name: Extract<TargetName, { form: 'workload' }>,
  text: string,
  port: PortSpec,
  protocol: Protocol,
): Resolved<ResolvedTarget> {
  const ofKind = namespaceWorkloads(analysis, name.namespace).filter((w) => w.kind === name.kind);
  const workload = ofKind.find((w) => w.name === name.name);
  if (workload) return workloadPods(analysis, workload, text, port, protocol);
  const id = `${name.kind} ${objectId(name.namespace, name.name)}`;
  const names = ofKind.map((w) => w.name);
  const read = analysis.cluster.workloads ?? [];
  const podsOnly = read.length > 0 && read.every((w) => w.kind === 'Pod');
  return fail({
    kind: 'no-such-workload',
    text,
    workload: id,
    ...suggestedHereOrElsewhere(
      analysis,
      name,
      names,
      holdsPodOrWorkload(analysis, name.name, name.kind),
    ),
    ...(podsOnly ? { podsOnly: true as const } : {}),
  });
}

/**
 * NAMESPACE/NAME: the pod of that name; else the one workload of that name (all its pods);
 * else the one pod whose name starts with NAME- (a Deployment's pod, `web` for `web-7d4b9c-x2x`).
 */
function namespacedName(
  analysis: Analysis,
  name: TargetName,
  text: string,
  namespace: string,
  port: PortSpec,
  protocol: Protocol,
): Resolved<ResolvedTarget> {
  const podIdx = analysis.podIndex.get(objectId(name.namespace, name.name));
  if (podIdx !== undefined) return podsTarget(analysis, text, [podIdx], port, protocol);
  const workloads = namespaceWorkloads(analysis, name.namespace);
  const named = workloads.filter((w) => w.name === name.name);
  const [only] = named;
  if (only && named.length === 1) return workloadPods(analysis, only, text, port, protocol);
  if (named.length > 1) {
    const candidates = named.map((w) => workloadCandidate(w, namespace)).sort();
    return fail({ kind: 'ambiguous-target', text, candidates });
  }
  const pods = namespacePods(analysis, name.namespace);
  const prefixed = pods.filter((idx) => podName(analysis, idx).startsWith(`${name.name}-`));
  if (prefixed.length === 1) return podsTarget(analysis, text, prefixed, port, protocol);
  if (prefixed.length > 1) {
    const candidates = prefixed.map((idx) => name.rename(podName(analysis, idx)));
    return fail({ kind: 'ambiguous-target', text, candidates });
  }
  const names = [...pods.map((idx) => podName(analysis, idx)), ...workloads.map((w) => w.name)];
  const pod = objectId(name.namespace, name.name);
  const found = holdsPodOrWorkload(analysis, name.name);
  return fail({
    kind: 'no-such-pod',
    text,
    pod,
    ...suggestedHereOrElsewhere(analysis, name, names, found),
  });
}

/** The name cluster DNS gives a backend of a headless Service: its hostname, else its dashed address. */
function podDnsLabels(pod: Pod, service: string): string[] {
  const dashed = pod.ips.map((ip) => ip.replaceAll(/[.:]/g, '-'));
  return pod.dnsName?.subdomain === service ? [pod.dnsName.hostname, ...dashed] : dashed;
}

/**
 * The pod cluster DNS names HOSTNAME.SERVICE.NAMESPACE.svc: a pod headless Service SERVICE
 * selects whose spec.hostname is HOSTNAME and spec.subdomain SERVICE, or whose address, dashed
 * (10-0-0-5), is HOSTNAME (kubernetes.io, "DNS for Services and Pods", "A/AAAA records" of
 * Pods and of headless Services). A name in the cluster's own zone is never a host outside it.
 */
function podDnsTarget(
  analysis: Analysis,
  name: Extract<TargetName, { form: 'pod-dns' }>,
  text: string,
  port: PortSpec,
  protocol: Protocol,
): Resolved<ResolvedTarget> {
  const service = analysis.services.get(objectId(name.namespace, name.service));
  const backends = service?.headless ? dnsAnsweredPods(analysis, service) : [];
  const named = (podIdxs: readonly number[]) =>
    podIdxs.filter((idx) =>
      podDnsLabels(analysis.pods[idx] as Pod, name.service).includes(name.name),
    );
  const answered = named(backends);
  if (answered.length > 0) return podsTarget(analysis, text, answered, port, protocol);
  const [unanswered] = service?.headless ? named(selectedPods(analysis, service)) : [];
  if (service && unanswered !== undefined) {
    const pod = (analysis.pods[unanswered] as Pod).id;
    const id = objectId(service.namespace, service.name);
    return fail({ kind: 'pod-dns-not-ready', text, pod, service: id });
  }
  const labels = backends.map((idx) => podDnsLabels(analysis.pods[idx] as Pod, name.service));
  const pod = objectId(name.namespace, name.name);
  return fail({ kind: 'no-such-pod', text, pod, ...suggested(name, labels.flat()) });
}

/**
 * HOSTNAME.SERVICE.NAMESPACE without a final dot, read as a pod's DNS name when the input has
 * that pod: a pod's resolver tries its search domains first (svc.cluster.local among them) for
 * a name of fewer than five dots (kubernetes.io, "DNS for Services and Pods", ndots). Undefined
 * otherwise: the name may then be a host outside the cluster.
 */
function podDnsShortName(
  analysis: Analysis,
  text: string,
  port: PortSpec,
  protocol: Protocol,
): Resolved<ResolvedTarget> | undefined {
  const [name = '', service = '', namespace = '', ...rest] = text.split('.');
  if (rest.length > 0 || !analysis.namespaces.has(namespace)) return undefined;
  const rename = (n: string) => `${n}.${service}.${namespace}`;
  const podDns = { form: 'pod-dns', namespace, name, service, rename } as const;
  const resolved = podDnsTarget(analysis, podDns, text, port, protocol);
  if (!resolved.ok) return resolved.error.kind === 'pod-dns-not-ready' ? resolved : undefined;
  const reading: TargetReading = { kind: 'named-object', text, object: 'pod-dns', namespace, name };
  return ok({ ...resolved.value, reading });
}

/** A host outside the cluster, known by name: a destination that takes a port number. */
function hostnameTarget(
  text: string,
  hostname: string,
  port: PortSpec,
  protocol: Protocol,
  reading: TargetReading,
): Resolved<ResolvedTarget> {
  if (typeof port === 'string') return fail({ kind: 'named-port-needs-workload', text });
  const endpoint: Endpoint = { kind: 'hostname', hostname: canonicalDomainName(hostname) };
  return ok({ text, endpoints: [{ endpoint, port, protocol }], reading });
}

/**
 * NAME.NAMESPACE: the Service NAME of the namespace (cluster DNS resolves the name to it), else
 * its pod, workload or pod-name prefix NAME; when the namespace is not in the input or has
 * none of these, a host outside the cluster of that name.
 */
function dottedName(
  analysis: Analysis,
  name: Extract<TargetName, { form: 'dotted' }>,
  text: string,
  port: PortSpec,
  requestedProtocol: Protocol | undefined,
  client: ServiceClient | undefined,
): Resolved<ResolvedTarget> {
  const protocol = requestedProtocol ?? 'TCP';
  const { hostname, namespace } = name;
  const known = analysis.namespaces.has(namespace);
  if (!known) {
    const reading: TargetReading = {
      kind: 'hostname',
      text,
      hostname,
      namespace: { name: namespace, known },
    };
    return hostnameTarget(text, hostname, port, protocol, reading);
  }
  const object = (kind: 'service' | 'pod', target: ResolvedTarget): Resolved<ResolvedTarget> => {
    const reading: TargetReading = {
      kind: 'named-object',
      text,
      object: kind,
      namespace,
      name: name.name,
    };
    return ok({ ...target, reading });
  };
  if (analysis.services.has(objectId(namespace, name.name))) {
    const service = namedService(analysis, name, port, requestedProtocol, text, client);
    return service.ok ? object('service', service.value) : service;
  }
  const pods = namespacedName(analysis, name, text, namespace, port, protocol);
  if (pods.ok) return object('pod', pods.value);
  if (pods.error.kind !== 'no-such-pod') return pods;
  const services = [...analysis.services.values()]
    .filter((svc) => svc.namespace === namespace)
    .map((svc) => svc.name);
  const close = suggested(name, services).suggestions ?? [];
  const suggestions = [...close, ...(pods.error.suggestions ?? [])];
  const reading: TargetReading = {
    kind: 'hostname',
    text,
    hostname,
    namespace: { name: namespace, known },
    ...(suggestions.length > 0 ? { suggestions } : {}),
  };
  return hostnameTarget(text, hostname, port, protocol, reading);
}

/**
 * A target typed as an address (a pod's, or a Service ClusterIP) is reached over that address's
 * family: a dual-stack Service's `clusterIPs` hold one address of each family, and the service
 * proxy translates one to a backend's address of the same family (kubernetes.io, "IPv4/IPv6
 * dual-stack": "a single IPv4 and IPv6 address assignment per Pod", "IPv4 and IPv6 enabled
 * Services"), which is what policies see.
 */
function overAddressFamily(
  resolved: Resolved<ResolvedTarget>,
  address: string,
): Resolved<ResolvedTarget> {
  const family = resolved.ok ? parseIpAddress(address)?.family : undefined;
  if (!resolved.ok || !family) return resolved;
  const endpoints = resolved.value.endpoints.map((resolvedEndpoint) =>
    resolvedEndpoint.endpoint.kind === 'pod'
      ? { ...resolvedEndpoint, endpoint: { ...resolvedEndpoint.endpoint, family } }
      : resolvedEndpoint,
  );
  return ok({ ...resolved.value, endpoints });
}

/**
 * An address typed, or spelt by a pod's DNS name (`text`): a Service ClusterIP stands for its
 * backends, a pod's address for the pod, any other for itself. Undefined when `address` is no
 * address.
 */
function addressTarget(
  analysis: Analysis,
  address: string,
  text: string,
  port: PortSpec,
  requestedProtocol: Protocol | undefined,
  client: ServiceClient | undefined,
): Resolved<ResolvedTarget> | undefined {
  const protocol = requestedProtocol ?? 'TCP';
  // A ClusterIP is rewritten to a backend before (most) policy implementations see the packet.
  const service = [...analysis.services.values()].find((svc) => svc.clusterIPs.includes(address));
  if (service) {
    const resolved = clusterIpTarget(
      analysis,
      service,
      port,
      requestedProtocol,
      text,
      address,
      client,
    );
    return overAddressFamily(resolved, address);
  }
  const endpoint = addressEndpoint(analysis, address);
  if (!endpoint) return undefined;
  if (endpoint.kind === 'pod') {
    const pod = podsTarget(analysis, text, [endpoint.podIdx], port, protocol);
    return overAddressFamily(pod, address);
  }
  if (typeof port === 'string') return fail({ kind: 'named-port-needs-workload', text });
  return ok({ text, endpoints: [{ endpoint, port, protocol }] });
}

/** A CIDR typed as a target: the address of a one-address block (`10.0.0.5/32`), else a problem. */
function addressBlockTarget(
  analysis: Analysis,
  block: IpRange,
  text: string,
  port: PortSpec,
  requestedProtocol: Protocol | undefined,
  client: ServiceClient | undefined,
): Resolved<ResolvedTarget> {
  const first = addressText(block.family, block.first);
  if (block.first === block.last) {
    const resolved = addressTarget(analysis, first, text, port, requestedProtocol, client);
    if (resolved) return resolved;
  }
  const last = addressText(block.family, block.last);
  return fail({ kind: 'address-block-target', text, first, last });
}

/**
 * ADDRESS.NAMESPACE.pod[.CLUSTER-DOMAIN]: the address the name spells. CoreDNS in `pods insecure`
 * mode (the Corefile kubeadm writes) answers such a name with that address whether or not a pod
 * has it, once the namespace exists (coredns/coredns plugin/kubernetes/kubernetes.go@v1.11.3,
 * findPods); in `pods verified` mode only for a pod of that namespace, else not at all. Either
 * way a connection made by the name goes to that address, so it is answered as the address.
 */
function podAddressTarget(
  analysis: Analysis,
  name: Extract<TargetName, { form: 'pod-address' }>,
  text: string,
  port: PortSpec,
  requestedProtocol: Protocol | undefined,
  client: ServiceClient | undefined,
): Resolved<ResolvedTarget> {
  const reading: TargetReading = { kind: 'pod-address', text, address: name.address };
  const resolved = addressTarget(analysis, name.address, text, port, requestedProtocol, client);
  if (!resolved) return fail({ kind: 'unrecognised-target', text });
  return resolved.ok ? ok({ ...resolved.value, reading }) : resolved;
}

/**
 * Resolves what the user named into endpoints, or says why it names nothing in the analysis.
 * `port` and `protocol` matter for destinations: a Service maps its port to each backend's
 * port (the protocol, when not given, is the service port's); a named port resolves on the
 * pod; elsewhere the protocol is TCP. `client`, where the traffic comes from, matters for a
 * Service with internalTrafficPolicy Local reached by its ClusterIP (see `NodeLocalTarget`).
 */
export function resolveTarget(
  analysis: Analysis,
  text: string,
  namespace: string,
  port: PortSpec,
  requestedProtocol: Protocol | undefined,
  client?: ServiceClient,
): Resolved<ResolvedTarget> {
  const protocol = requestedProtocol ?? 'TCP';
  const byAddress = addressTarget(analysis, text, text, port, requestedProtocol, client);
  if (byAddress) return byAddress;
  if (parseIpAddress(text.split('/')[0] ?? '')) {
    const block = parseCidr(text);
    if (!block) return fail({ kind: 'invalid-address-block', text });
    return addressBlockTarget(analysis, block, text, port, requestedProtocol, client);
  }
  const policyKind = policyKindOf(text);
  if (policyKind) return fail({ kind: 'policy-target', text, policyKind });
  const name = parseTargetName(text, namespace);
  if (!name) return fail({ kind: 'unrecognised-target', text });
  switch (name.form) {
    case 'service':
      return namedService(analysis, name, port, requestedProtocol, text, client);
    case 'workload':
      return namedWorkload(analysis, name, text, port, protocol);
    case 'pod': {
      const id = objectId(name.namespace, name.name);
      const podIdx = analysis.podIndex.get(id);
      if (podIdx !== undefined) return podsTarget(analysis, text, [podIdx], port, protocol);
      const names = namespacePods(analysis, name.namespace).map((idx) => podName(analysis, idx));
      const found = (namespace: string) => analysis.podIndex.has(objectId(namespace, name.name));
      const suggestions = suggestedHereOrElsewhere(analysis, name, names, found);
      return fail({ kind: 'no-such-pod', text, pod: id, ...suggestions });
    }
    case 'pod-dns':
      return podDnsTarget(analysis, name, text, port, protocol);
    case 'pod-address':
      return podAddressTarget(analysis, name, text, port, requestedProtocol, client);
    case 'namespaced':
      return namespacedName(analysis, name, text, namespace, port, protocol);
    case 'dotted':
      return dottedName(analysis, name, text, port, requestedProtocol, client);
    case 'hostname':
      return (
        podDnsShortName(analysis, text, port, protocol) ??
        hostnameTarget(text, name.hostname, port, protocol, {
          kind: 'hostname',
          text,
          hostname: name.hostname,
        })
      );
  }
}

/** The id printed for a resolved endpoint. */
export function resolvedId(resolved: ResolvedEndpoint): string {
  return endpointId(resolved.endpoint);
}
