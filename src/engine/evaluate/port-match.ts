import type { PortResolver } from '../compile/named-ports.js';
import type { PolicyPort, Protocol } from '../model/types.js';
import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  MAX_PORT,
  MIN_PORT,
  type PortSet,
  portSetOf,
  unionPortSets,
} from '../primitives/port-set.js';

/** Why a port entry of a rule did not match the asked protocol and port. */
export type PortMiss =
  | { readonly kind: 'protocol'; readonly portIndex: number; readonly expected: Protocol }
  | {
      readonly kind: 'port';
      readonly portIndex: number;
      readonly protocol: Protocol;
      readonly from: number;
      readonly to: number;
    }
  | {
      /** The destination declares no container port of that name and protocol. */
      readonly kind: 'named-port-missing';
      readonly portIndex: number;
      readonly name: string;
      readonly protocol: Protocol;
    }
  | {
      readonly kind: 'named-port-other';
      readonly portIndex: number;
      readonly name: string;
      readonly protocol: Protocol;
      readonly resolved: number;
    };

/** The ports one policy port entry admits on a destination (named ports resolve there). */
export function resolvePolicyPort(port: PolicyPort, resolve: PortResolver): PortSet {
  if (port.port === undefined) return portSetOf(port.protocol, MIN_PORT, MAX_PORT);
  if (typeof port.port === 'number') {
    return portSetOf(port.protocol, port.port, port.endPort ?? port.port);
  }
  const resolved = resolve(port.port, port.protocol);
  return resolved === undefined ? EMPTY_PORT_SET : portSetOf(port.protocol, resolved, resolved);
}

/** The ports a rule's port list admits on a destination; an empty list admits all. */
export function rulePortSet(ports: readonly PolicyPort[], resolve: PortResolver): PortSet {
  if (ports.length === 0) return FULL_PORT_SET;
  return unionPortSets(ports.map((port) => resolvePolicyPort(port, resolve)));
}

/** Why a port entry does not admit protocol/port on the destination, or undefined if it does. */
export function portMiss(
  entry: PolicyPort,
  portIndex: number,
  resolve: PortResolver,
  protocol: Protocol,
  port: number,
): PortMiss | undefined {
  if (entry.protocol !== protocol) return { kind: 'protocol', portIndex, expected: entry.protocol };
  if (entry.port === undefined) return undefined;
  if (typeof entry.port === 'number') {
    const to = entry.endPort ?? entry.port;
    return port >= entry.port && port <= to
      ? undefined
      : { kind: 'port', portIndex, protocol, from: entry.port, to };
  }
  const resolved = resolve(entry.port, protocol);
  if (resolved === undefined) {
    return { kind: 'named-port-missing', portIndex, name: entry.port, protocol };
  }
  return resolved === port
    ? undefined
    : { kind: 'named-port-other', portIndex, name: entry.port, protocol, resolved };
}
