import { returnsDirectly } from '../cni/cilium-direct-return.js';
import { objectId, type Protocol, type Service, type ServicePort } from '../model/types.js';
import type { Analysis } from './compile.js';

/**
 * An address and port that a Service takes in from outside its ClusterIP: a node's address on a
 * NodePort ("each node proxies that port (the same port number on every Node) into your
 * Service", Service docs, type NodePort), or one of its external addresses (spec.externalIPs,
 * a load balancer's ingress IP) on a Service port. The connection reaches the Service's backends,
 * whose policies decide, and with externalTrafficPolicy Cluster (the default) the node may
 * replace the client's address with its own ("kube-proxy ... may SNAT", Service docs,
 * "Traffic policies"), so no verdict holds for the address and port alone.
 */
export interface ServiceForwarding {
  readonly service: string;
  readonly servicePort: ServicePort;
  /** How the address reaches the Service: a node's address on a NodePort, or an external address. */
  readonly via: 'node-port' | 'external-address';
  /** Whether the backends' policies see the client's own address (externalTrafficPolicy Local). */
  readonly sourceKept: boolean;
}

/** Service types whose ports every node forwards (ServiceSpec.type, core/v1). */
const NODE_PORT_TYPES: ReadonlySet<string | undefined> = new Set(['NodePort', 'LoadBalancer']);

const nodeAddresses = (analysis: Analysis) =>
  new Set((analysis.cluster.nodes ?? []).flatMap((node) => node.addresses));

/** The Service an address and port outside its ClusterIP lead to, if any (the first found). */
export function serviceForwarding(
  analysis: Analysis,
  address: string,
  port: number,
  protocol: Protocol,
): ServiceForwarding | undefined {
  const onNode = nodeAddresses(analysis).has(address);
  const matching = (service: Service): Omit<ServiceForwarding, 'service'> | undefined => {
    const sourceKept = service.externalTrafficPolicy === 'Local';
    const ofProtocol = service.ports.filter((p) => p.protocol === protocol);
    const nodePort = NODE_PORT_TYPES.has(service.type)
      ? ofProtocol.find((p) => onNode && p.nodePort === port)
      : undefined;
    if (nodePort) return { servicePort: nodePort, via: 'node-port', sourceKept };
    const external = (service.externalAddresses ?? []).includes(address)
      ? ofProtocol.find((p) => p.port === port)
      : undefined;
    return external ? { servicePort: external, via: 'external-address', sourceKept } : undefined;
  };
  for (const service of analysis.services.values()) {
    const found = matching(service);
    if (found) return { ...found, service: objectId(service.namespace, service.name) };
  }
  return undefined;
}

/**
 * Whether a client outside the cluster's pods reaches a Service's backends by its own address
 * on a connection of a protocol. kube-proxy masquerades such a client to a node's address on
 * the way to a ClusterIP (it tells pod traffic apart by the cluster CIDR: "This masquerades
 * off-cluster traffic to a service VIP", kubernetes pkg/proxy/iptables/proxier.go) and on a
 * NodePort or load balancer unless externalTrafficPolicy is Local ("the client source IP is
 * preserved", Service docs, "Traffic policies"), or Cilium's load balancer serves it in DSR
 * mode (cni/cilium-direct-return.ts); whether policies see the address before or after that is
 * the network plugin's ("it is not defined whether this happens before or after NetworkPolicy
 * processing", NetworkPolicy docs, "Behavior of to: and from: selectors"). Such a client is
 * taken to come through the Service's external entry where it has one.
 */
export function keepsOutsideClientAddress(
  analysis: Analysis,
  service: Service,
  protocol: Protocol,
): boolean {
  if (!externallyReached(service)) return false;
  return (
    service.externalTrafficPolicy === 'Local' ||
    returnsDirectly(analysis.ciliumDirectReturn, protocol)
  );
}

/**
 * Whether clients outside the cluster reach a Service by node ports, a load balancer or
 * external IPs, and its backends may see some of them by a node's address.
 */
export function masksOutsideClients(analysis: Analysis, service: Service): boolean {
  return (
    externallyReached(service) &&
    service.ports.some(({ protocol }) => !keepsOutsideClientAddress(analysis, service, protocol))
  );
}

/** Whether clients outside the cluster reach a Service by node ports, a load balancer or external IPs. */
function externallyReached(service: Service): boolean {
  return NODE_PORT_TYPES.has(service.type) || (service.externalAddresses ?? []).length > 0;
}
