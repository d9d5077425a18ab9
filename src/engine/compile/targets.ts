import { fail, ok, type Result } from '../model/result.js';
import type { Protocol, Service, ServicePort } from '../model/types.js';
import type { Analysis } from './compile.js';
import { addressEndpoint, type Endpoint, endpointId, podEndpoint } from './endpoint.js';
import { findServicePort, serviceBackends } from './services.js';

/** One concrete endpoint a target stands for, with the port traffic lands on when it receives. */
export interface ResolvedEndpoint {
  readonly endpoint: Endpoint;
  /** The destination port and protocol; undefined when a named port does not resolve. */
  readonly port: number | undefined;
  readonly protocol: Protocol;
  /** Why the port is what it is, e.g. "svc/api port 80 -> targetPort http". */
  readonly via?: string;
}

/** What the user named: `ns/pod`, `pod/NAME`, `svc/NAME` or an IP address. */
export interface ResolvedTarget {
  readonly text: string;
  readonly endpoints: readonly ResolvedEndpoint[];
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
  | { readonly kind: 'no-such-pod'; readonly text: string; readonly pod: string }
  | { readonly kind: 'no-such-service'; readonly text: string; readonly service: string }
  | { readonly kind: 'service-without-selector'; readonly text: string; readonly service: string }
  | {
      readonly kind: 'no-such-service-port';
      readonly text: string;
      readonly port: PortSpec;
      /** The protocol asked for; undefined when any would do. */
      readonly protocol: Protocol | undefined;
      /** The ports the service does declare. */
      readonly known: readonly ServicePort[];
    }
  | { readonly kind: 'service-selects-no-pod'; readonly text: string }
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

function findPod(analysis: Analysis, id: string, text: string): Resolved<number> {
  const podIdx = analysis.podIndex.get(id);
  return podIdx === undefined ? fail({ kind: 'no-such-pod', text, pod: id }) : ok(podIdx);
}

function findService(
  analysis: Analysis,
  namespace: string,
  name: string,
  text: string,
): Resolved<Service> {
  const id = `${namespace}/${name}`;
  const service = analysis.services.get(id);
  if (!service) return fail({ kind: 'no-such-service', text, service: id });
  if (!service.selector) return fail({ kind: 'service-without-selector', text, service: id });
  return ok(service);
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

function serviceTarget(
  analysis: Analysis,
  service: Service,
  port: PortSpec,
  protocol: Protocol | undefined,
  text: string,
): Resolved<ResolvedTarget> {
  const servicePort = findServicePort(service, port, protocol);
  if (!servicePort) {
    return fail({ kind: 'no-such-service-port', text, port, protocol, known: service.ports });
  }
  const backends = serviceBackends(analysis, service, servicePort);
  if (backends.length === 0) return fail({ kind: 'service-selects-no-pod', text });
  const endpoints = backends.map((backend) => ({
    endpoint: podEndpoint(analysis, backend.podIdx),
    port: backend.port,
    protocol: backend.protocol,
    via: `service port ${servicePort.port} -> targetPort ${servicePort.targetPort}`,
  }));
  return ok({ text, endpoints });
}

/**
 * Resolves what the user named into endpoints, or says why it names nothing in the analysis.
 * `port` and `protocol` matter for destinations: a Service maps its port to each backing pod's
 * targetPort (the protocol, when not given, is the service port's); a named port resolves on
 * the pod; elsewhere the protocol is TCP.
 */
export function resolveTarget(
  analysis: Analysis,
  text: string,
  namespace: string,
  port: PortSpec,
  requestedProtocol: Protocol | undefined,
): Resolved<ResolvedTarget> {
  const protocol = requestedProtocol ?? 'TCP';
  // A ClusterIP is rewritten to a backing pod before any policy sees the packet.
  const serviceByIp = [...analysis.services.values()].find((svc) => svc.clusterIPs.includes(text));
  if (serviceByIp?.selector) {
    return serviceTarget(analysis, serviceByIp, port, requestedProtocol, text);
  }
  const address = addressEndpoint(analysis, text);
  if (address) {
    if (address.kind === 'pod')
      return ok({ text, endpoints: [podTarget(analysis, address.podIdx, port, protocol)] });
    if (typeof port === 'string') return fail({ kind: 'named-port-needs-workload', text });
    return ok({ text, endpoints: [{ endpoint: address, port, protocol }] });
  }
  const [first, second, ...rest] = text.split('/');
  if (!first || !second || rest.length > 0) return fail({ kind: 'unrecognised-target', text });
  const kind = first.toLowerCase();
  if (kind === 'svc' || kind === 'service' || kind === 'services') {
    const service = findService(analysis, namespace, second, text);
    if (!service.ok) return service;
    return serviceTarget(analysis, service.value, port, requestedProtocol, text);
  }
  const id = kind === 'pod' || kind === 'pods' || kind === 'po' ? `${namespace}/${second}` : text;
  const podIdx = findPod(analysis, id, text);
  if (!podIdx.ok) return podIdx;
  return ok({ text, endpoints: [podTarget(analysis, podIdx.value, port, protocol)] });
}

/** The id printed for a resolved endpoint. */
export function resolvedId(resolved: ResolvedEndpoint): string {
  return endpointId(resolved.endpoint);
}
