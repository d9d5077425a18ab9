import type { Protocol, Service } from '../model/types.js';
import type { Analysis } from './compile.js';
import { addressEndpoint, type Endpoint, endpointId, podEndpoint } from './endpoint.js';
import { findServicePort, serviceBackends } from './services.js';

/** What the user named cannot be resolved; the message says why in one line. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

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

/** Parses a port: a number 1-65535 or a name; throws TargetError otherwise. */
export function parsePortSpec(text: string | number): PortSpec {
  if (typeof text === 'number' || /^\d+$/.test(text)) {
    const port = Number(text);
    if (port < 1 || port > 65535)
      throw new TargetError(`--port ${text}: must be between 1 and 65535`);
    return port;
  }
  if (text === '') throw new TargetError('--port is empty');
  return text;
}

function findPod(analysis: Analysis, id: string, text: string): number {
  const podIdx = analysis.podIndex.get(id);
  if (podIdx === undefined) throw new TargetError(`${text}: no pod ${id} in the input`);
  return podIdx;
}

function findService(analysis: Analysis, namespace: string, name: string, text: string): Service {
  const service = analysis.services.get(`${namespace}/${name}`);
  if (!service) throw new TargetError(`${text}: no service ${namespace}/${name} in the input`);
  if (!service.selector) {
    throw new TargetError(
      `${text}: service ${namespace}/${name} has no selector, so its backing pods are unknown`,
    );
  }
  return service;
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

function serviceTargets(
  analysis: Analysis,
  service: Service,
  port: PortSpec,
  protocol: Protocol | undefined,
  text: string,
): ResolvedEndpoint[] {
  const servicePort = findServicePort(service, port, protocol);
  if (!servicePort) {
    const known = service.ports
      .map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`))
      .join(', ');
    const wanted = protocol ? `${protocol} port ${port}` : `port ${port}`;
    throw new TargetError(`${text}: service has no ${wanted}; it has ${known || 'no ports'}`);
  }
  const backends = serviceBackends(analysis, service, servicePort);
  if (backends.length === 0)
    throw new TargetError(`${text}: the service selects no pod in the input`);
  return backends.map((backend) => ({
    endpoint: podEndpoint(analysis, backend.podIdx),
    port: backend.port,
    protocol: backend.protocol,
    via: `service port ${servicePort.port} -> targetPort ${servicePort.targetPort}`,
  }));
}

/**
 * Resolves what the user named into endpoints; throws TargetError, a user's mistake, when
 * it names nothing in the analysis. `port` and `protocol` matter for destinations:
 * a Service maps its port to each backing pod's targetPort (the protocol, when not given,
 * is the service port's); a named port resolves on the pod; elsewhere the protocol is TCP.
 */
export function resolveTarget(
  analysis: Analysis,
  text: string,
  namespace: string,
  port: PortSpec,
  requestedProtocol: Protocol | undefined,
): ResolvedTarget {
  const protocol = requestedProtocol ?? 'TCP';
  // A ClusterIP is rewritten to a backing pod before any policy sees the packet.
  const serviceByIp = [...analysis.services.values()].find((svc) => svc.clusterIPs.includes(text));
  if (serviceByIp?.selector) {
    return {
      text,
      endpoints: serviceTargets(analysis, serviceByIp, port, requestedProtocol, text),
    };
  }
  const address = addressEndpoint(analysis, text);
  if (address) {
    if (address.kind === 'pod')
      return { text, endpoints: [podTarget(analysis, address.podIdx, port, protocol)] };
    if (typeof port === 'string')
      throw new TargetError(`${text}: a named port needs a pod or a service`);
    return { text, endpoints: [{ endpoint: address, port, protocol }] };
  }
  const [first, second, ...rest] = text.split('/');
  if (!first || !second || rest.length > 0) {
    throw new TargetError(`${text}: expected NAMESPACE/POD, pod/NAME, svc/NAME or an IP address`);
  }
  const kind = first.toLowerCase();
  if (kind === 'svc' || kind === 'service' || kind === 'services') {
    const service = findService(analysis, namespace, second, text);
    return { text, endpoints: serviceTargets(analysis, service, port, requestedProtocol, text) };
  }
  const id = kind === 'pod' || kind === 'pods' || kind === 'po' ? `${namespace}/${second}` : text;
  return { text, endpoints: [podTarget(analysis, findPod(analysis, id, text), port, protocol)] };
}

/** The id printed for a resolved endpoint. */
export function resolvedId(resolved: ResolvedEndpoint): string {
  return endpointId(resolved.endpoint);
}
