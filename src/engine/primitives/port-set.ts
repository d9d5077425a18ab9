import { PROTOCOLS, type Protocol } from '../model/types.js';

/** An inclusive range of port numbers. */
export type PortRange = readonly [number, number];

/** Allowed ports per protocol: sorted, merged, inclusive ranges. */
export type PortSet = Readonly<Record<Protocol, readonly PortRange[]>>;

/** The lowest and highest port numbers. */
export const MIN_PORT = 1;
/** The highest port number. */
export const MAX_PORT = 65535;

const NO_RANGES: readonly PortRange[] = [];
const ALL_RANGES: readonly PortRange[] = [[MIN_PORT, MAX_PORT]];

/** No traffic at all. */
export const EMPTY_PORT_SET: PortSet = { TCP: NO_RANGES, UDP: NO_RANGES, SCTP: NO_RANGES };

/** Every port of every protocol. */
export const FULL_PORT_SET: PortSet = { TCP: ALL_RANGES, UDP: ALL_RANGES, SCTP: ALL_RANGES };

/** A port set holding one range of one protocol. */
export function portSetOf(protocol: Protocol, from: number, to: number): PortSet {
  return { ...EMPTY_PORT_SET, [protocol]: [[from, to]] };
}

function mergeRanges(ranges: PortRange[]): PortRange[] {
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [[...(ranges[0] as PortRange)]];
  for (let i = 1; i < ranges.length; i++) {
    const [from, to] = ranges[i] as PortRange;
    const last = merged[merged.length - 1] as [number, number];
    if (from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

function intersectRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [aFrom, aTo] = a[i] as PortRange;
    const [bFrom, bTo] = b[j] as PortRange;
    const from = Math.max(aFrom, bFrom);
    const to = Math.min(aTo, bTo);
    if (from <= to) out.push([from, to]);
    if (aTo < bTo) i++;
    else j++;
  }
  return out;
}

/** The union of port sets. */
export function unionPortSets(sets: readonly PortSet[]): PortSet {
  if (sets.length === 1) return sets[0] as PortSet;
  const result = {} as Record<Protocol, readonly PortRange[]>;
  for (const protocol of PROTOCOLS) {
    result[protocol] = mergeRanges(sets.flatMap((set) => set[protocol]));
  }
  return result;
}

/** The intersection of two port sets. */
export function intersectPortSets(a: PortSet, b: PortSet): PortSet {
  const result = {} as Record<Protocol, readonly PortRange[]>;
  for (const protocol of PROTOCOLS) result[protocol] = intersectRanges(a[protocol], b[protocol]);
  return result;
}

/** True when the set allows nothing. */
export function isEmptyPortSet(set: PortSet): boolean {
  return PROTOCOLS.every((protocol) => set[protocol].length === 0);
}

/** True when the set allows every port of every protocol. */
export function isFullPortSet(set: PortSet): boolean {
  return PROTOCOLS.every((protocol) => {
    const ranges = set[protocol];
    return ranges.length === 1 && ranges[0]?.[0] === MIN_PORT && ranges[0]?.[1] === MAX_PORT;
  });
}

/** Whether the set allows one port of one protocol. */
export function portSetAllows(set: PortSet, protocol: Protocol, port: number): boolean {
  return set[protocol].some(([from, to]) => port >= from && port <= to);
}

/** A canonical text key, equal for equal sets. */
export function portSetKey(set: PortSet): string {
  return PROTOCOLS.map((protocol) => set[protocol].map(([f, t]) => `${f}-${t}`).join(',')).join(
    '|',
  );
}

function subtractRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let j = 0;
  for (const [aFrom, aTo] of a) {
    let from = aFrom;
    while (j < b.length && (b[j] as PortRange)[1] < from) j++;
    let k = j;
    while (k < b.length && from <= aTo) {
      const [bFrom, bTo] = b[k] as PortRange;
      if (bFrom > aTo) break;
      if (bFrom > from) out.push([from, bFrom - 1]);
      from = Math.max(from, bTo + 1);
      k++;
    }
    if (from <= aTo) out.push([from, aTo]);
  }
  return out;
}

/** The ports of `a` that are not in `b`. */
export function subtractPortSets(a: PortSet, b: PortSet): PortSet {
  const result = {} as Record<Protocol, readonly PortRange[]>;
  for (const protocol of PROTOCOLS) result[protocol] = subtractRanges(a[protocol], b[protocol]);
  return result;
}
