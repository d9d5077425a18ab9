import { isSinglePod, type Pod } from '../model/types.js';
import type { IpAddress } from '../primitives/ip-block.js';
import { parseIpAddress } from '../primitives/ip-block.js';
import type { RuleChain } from './chains.js';
import type { Analysis, Direction } from './compile.js';
import { NO_NAMED_PORTS, type PortResolver } from './named-ports.js';
import type { AddressFamily } from './pod-addresses.js';

/**
 * One side of a connection: a pod of the cluster, an address outside its pods, or a host
 * outside the cluster known only by its name (its addresses are DNS's to say).
 */
export type Endpoint =
  | {
      readonly kind: 'pod';
      readonly podIdx: number;
      readonly pod: Pod;
      /** Set when the pod was named by one of its addresses: a connection to it uses its family. */
      readonly family?: AddressFamily;
    }
  | { readonly kind: 'external'; readonly ip: string; readonly address: IpAddress }
  | { readonly kind: 'hostname'; readonly hostname: string };

/** An endpoint that is a pod of the cluster. */
export type PodEndpoint = Extract<Endpoint, { kind: 'pod' }>;

/** The endpoint for a pod by index. */
export function podEndpoint(analysis: Analysis, podIdx: number): PodEndpoint {
  const pod = analysis.pods[podIdx];
  if (!pod) throw new Error(`internal: no pod at index ${podIdx}`);
  return { kind: 'pod', podIdx, pod };
}

/**
 * The endpoint for an address: the pod that has it (hostNetwork pods share their node's
 * address, so they are not chosen), else an external endpoint; undefined if not an address.
 */
export function addressEndpoint(analysis: Analysis, ip: string): Endpoint | undefined {
  const address = parseIpAddress(ip);
  if (!address) return undefined;
  const podIdx = analysis.podAddresses.podWith(address);
  return podIdx !== undefined
    ? { ...podEndpoint(analysis, podIdx), family: address.family }
    : { kind: 'external', ip, address };
}

/** A stable name for an endpoint in outputs: the pod id, the address or the host name. */
export function endpointId(endpoint: Endpoint): string {
  if (endpoint.kind === 'pod') return endpoint.pod.id;
  return endpoint.kind === 'external' ? endpoint.ip : endpoint.hostname;
}

/**
 * The chain governing an endpoint in a direction: addresses and hosts outside the known pods
 * have no rules.
 */
export function endpointChain(
  analysis: Analysis,
  endpoint: Endpoint,
  direction: Direction,
): RuleChain {
  return endpoint.kind === 'pod'
    ? analysis.chains.of(direction, endpoint.podIdx)
    : analysis.chains.external[direction];
}

/** How named ports resolve on an endpoint as a destination. */
export function endpointPorts(analysis: Analysis, endpoint: Endpoint): PortResolver {
  return endpoint.kind === 'pod'
    ? (analysis.namedPorts.resolvers[endpoint.podIdx] as PortResolver)
    : NO_NAMED_PORTS;
}

/**
 * Whether a connection is a pod's traffic to itself, which policies never restrict. A workload
 * of several replicas to itself is traffic between two of its pods, which they do.
 */
export function isTrafficToItself(source: Endpoint, destination: Endpoint): boolean {
  return (
    source.kind === 'pod' &&
    destination.kind === 'pod' &&
    source.podIdx === destination.podIdx &&
    isSinglePod(source.pod)
  );
}
