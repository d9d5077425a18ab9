import type { PortRange, PortSet } from '../engine/index.js';
import { isFullPortSet, type PolicyPort, PROTOCOLS, type Protocol } from '../engine/index.js';
import { terminalText } from './terminal-text.js';

/** A port entry of a rule: `TCP 8080`, `TCP 8000-8080`, `TCP http`, `UDP (all ports)`. */
export function policyPortText(port: PolicyPort): string {
  if (port.port === undefined) return `${port.protocol} (all ports)`;
  // A named port is a string from the input.
  const start = terminalText(`${port.port}`);
  const range = port.endPort !== undefined ? `${start}-${port.endPort}` : start;
  return `${port.protocol} ${range}`;
}

/** A rule's port list; an empty list admits everything. */
export function policyPortsText(ports: readonly PolicyPort[]): string {
  return ports.length === 0 ? 'all ports' : ports.map(policyPortText).join(', ');
}

function rangeText([from, to]: PortRange): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

/**
 * A port set in words: `all ports`, `TCP 80,8080-8090; UDP 53`, `nothing`; `each` ends every
 * protocol's entry (`TCP 80 (IPv4 only); UDP 53 (IPv4 only)`).
 */
export function portSetText(set: PortSet, each = ''): string {
  if (isFullPortSet(set)) return `all ports${each}`;
  const parts = PROTOCOLS.filter((p) => set[p].length > 0).map(
    (p) => `${p} ${set[p].map(rangeText).join(',')}${each}`,
  );
  return parts.length > 0 ? parts.join('; ') : 'nothing';
}

/** A port set in the matrix JSON contract: protocols with ranges only, in protocol order. */
export function portSetJson(set: PortSet): { protocol: Protocol; ranges: [number, number][] }[] {
  return PROTOCOLS.filter((p) => set[p].length > 0).map((protocol) => ({
    protocol,
    ranges: set[protocol].map(([from, to]) => [from, to] as [number, number]),
  }));
}
