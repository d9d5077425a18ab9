/** An answer in words where it differs by IP family: the ports of one family only are marked. */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  portSetOf,
  unionPortSets,
} from '../../src/engine/primitives/port-set.js';
import { answerPartsText, reachParts } from '../../src/render/family-ports.js';

const tcp = (port: number) => portSetOf('TCP', port, port);
const text = (...args: Parameters<typeof reachParts>) => answerPartsText(reachParts(...args));

describe('answerPartsText', () => {
  it('marks the ports one family only allows, after those both allow', () => {
    const families = {
      IPv4: { connections: unionPortSets([tcp(80), tcp(5432)]) },
      IPv6: { connections: tcp(80) },
    };
    expect(text({ connections: tcp(80), families })).toBe('TCP 80; TCP 5432 (IPv4 only)');
    const ipv6 = { IPv4: { connections: EMPTY_PORT_SET }, IPv6: { connections: FULL_PORT_SET } };
    expect(text({ connections: EMPTY_PORT_SET, families: ipv6 })).toBe('all ports (IPv6 only)');
  });

  it('marks each protocol of a family part, so that none reads as both families', () => {
    const dns = unionPortSets([tcp(53), portSetOf('UDP', 53, 53)]);
    const families = { IPv4: { connections: dns }, IPv6: { connections: EMPTY_PORT_SET } };
    expect(text({ connections: EMPTY_PORT_SET, families })).toBe(
      'TCP 53 (IPv4 only); UDP 53 (IPv4 only)',
    );
  });

  it('says which family an UNKNOWN port is UNKNOWN over', () => {
    // IPv4 surely allows 80; over IPv6 an unknown IP may or may not be in the block.
    const families = {
      IPv4: { connections: tcp(80) },
      IPv6: { connections: tcp(80), unknown: tcp(80) },
    };
    expect(text({ connections: tcp(80), unknown: tcp(80), families })).toBe(
      'TCP 80 (IPv4 only); UNKNOWN: TCP 80 (IPv6 only)',
    );
    const both = { connections: tcp(80), unknown: tcp(80) };
    const onlyUnknown = { IPv4: both, IPv6: { connections: EMPTY_PORT_SET } };
    expect(text({ connections: EMPTY_PORT_SET, families: onlyUnknown })).toBe(
      'TCP 80 (IPv4 only)  (UNKNOWN: ports not surely denied)',
    );
  });

  it('words an answer the families agree on as before', () => {
    expect(text({ connections: tcp(80) })).toBe('TCP 80');
    expect(text({ connections: unionPortSets([tcp(80), tcp(443)]), unknown: tcp(443) })).toBe(
      'TCP 80; UNKNOWN: TCP 443',
    );
    expect(text({ connections: tcp(443), unknown: tcp(443) })).toBe(
      'TCP 443  (UNKNOWN: ports not surely denied)',
    );
  });
});
