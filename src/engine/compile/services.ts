import type { Pod, Protocol, Service, ServicePort } from '../model/types.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import type { Analysis } from './compile.js';

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

/** The pods a Service selects (in its namespace), each with the resolved target port. */
export function serviceBackends(
  analysis: Analysis,
  service: Service,
  servicePort: ServicePort,
): ServiceBackend[] {
  const selector = service.selector;
  if (!selector) return [];
  return (analysis.podsByNamespace.get(service.namespace) ?? []).flatMap((podIdx) => {
    const pod = analysis.pods[podIdx] as Pod;
    if (!selectorMatches(labelsSelector(selector), pod.labels)) return [];
    return [{ podIdx, protocol: servicePort.protocol, port: resolveTargetPort(servicePort, pod) }];
  });
}
