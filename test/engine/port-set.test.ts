import { describe, expect, it } from 'vitest';
import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  intersectPortSets,
  isEmptyPortSet,
  isFullPortSet,
  MAX_PORT,
  MIN_PORT,
  type PortSet,
  portSetAllows,
  portSetKey,
  portSetOf,
  unionPortSets,
} from '../../src/engine/primitives/port-set.js';

const set = (
  tcp: [number, number][] = [],
  udp: [number, number][] = [],
  sctp: [number, number][] = [],
): PortSet => ({
  TCP: tcp,
  UDP: udp,
  SCTP: sctp,
});

describe('constants', () => {
  it('port numbers run from 1 to 65535', () => {
    expect([MIN_PORT, MAX_PORT]).toEqual([1, 65535]);
  });

  it('the empty set allows nothing and the full set allows every port of every protocol', () => {
    expect(isEmptyPortSet(EMPTY_PORT_SET)).toBe(true);
    expect(isFullPortSet(EMPTY_PORT_SET)).toBe(false);
    expect(isFullPortSet(FULL_PORT_SET)).toBe(true);
    expect(isEmptyPortSet(FULL_PORT_SET)).toBe(false);
    for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
      expect(portSetAllows(FULL_PORT_SET, protocol, 1)).toBe(true);
      expect(portSetAllows(FULL_PORT_SET, protocol, 65535)).toBe(true);
      expect(portSetAllows(EMPTY_PORT_SET, protocol, 80)).toBe(false);
    }
  });

  it('a set with every port of only some protocols is neither empty nor full', () => {
    const tcpOnly = portSetOf('TCP', 1, 65535);
    expect(isFullPortSet(tcpOnly)).toBe(false);
    expect(isEmptyPortSet(tcpOnly)).toBe(false);
  });
});

describe('portSetOf and portSetAllows', () => {
  it('allows exactly the inclusive range of the one protocol', () => {
    const s = portSetOf('UDP', 5000, 5010);
    expect(portSetAllows(s, 'UDP', 4999)).toBe(false);
    expect(portSetAllows(s, 'UDP', 5000)).toBe(true);
    expect(portSetAllows(s, 'UDP', 5010)).toBe(true);
    expect(portSetAllows(s, 'UDP', 5011)).toBe(false);
    expect(portSetAllows(s, 'TCP', 5005)).toBe(false);
    expect(portSetAllows(s, 'SCTP', 5005)).toBe(false);
  });
});

describe('unionPortSets', () => {
  it('of nothing is empty', () => {
    expect(isEmptyPortSet(unionPortSets([]))).toBe(true);
  });

  it('merges overlapping and adjacent ranges, keeps gaps, and sorts', () => {
    const u = unionPortSets([set([[90, 100]]), set([[10, 20]]), set([[15, 30]]), set([[31, 40]])]);
    expect(u.TCP).toEqual([
      [10, 40],
      [90, 100],
    ]);
  });

  it('keeps protocols apart', () => {
    const u = unionPortSets([portSetOf('TCP', 80, 80), portSetOf('UDP', 53, 53)]);
    expect(u).toEqual(set([[80, 80]], [[53, 53]], []));
  });

  it('absorbs ranges contained in others', () => {
    const u = unionPortSets([set([[1, 1000]]), set([[10, 20]]), set([[500, 600]])]);
    expect(u.TCP).toEqual([[1, 1000]]);
  });

  it('with the full set is full', () => {
    expect(isFullPortSet(unionPortSets([portSetOf('TCP', 80, 80), FULL_PORT_SET]))).toBe(true);
  });

  it('does not change its inputs', () => {
    const a = set([[50, 60]]);
    const b = set([[1, 10]]);
    unionPortSets([a, b]);
    expect(a.TCP).toEqual([[50, 60]]);
    expect(b.TCP).toEqual([[1, 10]]);
  });
});

describe('intersectPortSets', () => {
  it('keeps only ports in both, per protocol', () => {
    const a = set(
      [
        [1, 10],
        [20, 30],
      ],
      [[53, 53]],
    );
    const b = set(
      [
        [5, 25],
        [30, 40],
      ],
      [[54, 60]],
    );
    expect(intersectPortSets(a, b)).toEqual(
      set(
        [
          [5, 10],
          [20, 25],
          [30, 30],
        ],
        [],
        [],
      ),
    );
  });

  it('with the full set is the identity, with the empty set is empty', () => {
    const a = set([[80, 90]], [], [[1, 2]]);
    expect(intersectPortSets(a, FULL_PORT_SET)).toEqual(a);
    expect(intersectPortSets(FULL_PORT_SET, a)).toEqual(a);
    expect(isEmptyPortSet(intersectPortSets(a, EMPTY_PORT_SET))).toBe(true);
  });

  it('of disjoint sets is empty', () => {
    expect(
      isEmptyPortSet(intersectPortSets(portSetOf('TCP', 1, 79), portSetOf('TCP', 80, 80))),
    ).toBe(true);
    expect(
      isEmptyPortSet(intersectPortSets(portSetOf('TCP', 80, 80), portSetOf('UDP', 80, 80))),
    ).toBe(true);
  });
});

describe('portSetKey', () => {
  it('is equal for equal sets however they were built', () => {
    const built = unionPortSets([portSetOf('TCP', 1, 100), portSetOf('TCP', 101, 65535)]);
    expect(portSetKey(built)).toBe(portSetKey(portSetOf('TCP', 1, 65535)));
    const all = unionPortSets([
      portSetOf('TCP', 1, 65535),
      portSetOf('UDP', 1, 65535),
      portSetOf('SCTP', 1, 65535),
    ]);
    expect(portSetKey(all)).toBe(portSetKey(FULL_PORT_SET));
  });

  it('differs when the protocol or the ports differ', () => {
    const keys = [
      portSetOf('TCP', 80, 80),
      portSetOf('UDP', 80, 80),
      portSetOf('SCTP', 80, 80),
      portSetOf('TCP', 80, 81),
      set([
        [80, 80],
        [82, 82],
      ]),
      EMPTY_PORT_SET,
    ].map(portSetKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
