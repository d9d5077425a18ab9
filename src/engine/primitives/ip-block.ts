import ipaddr from 'ipaddr.js';
import type { IpBlock } from '../model/types.js';

/** An address as a family and an integer, for range arithmetic. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** An inclusive range of addresses of one family (a CIDR). */
export interface IpRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  readonly prefixLength: number;
}

function bytesToBigInt(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function toAddress(parsed: ipaddr.IPv4 | ipaddr.IPv6): IpAddress {
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return toAddress(v6.toIPv4Address());
    return { family: 6, value: bytesToBigInt(v6.toByteArray()) };
  }
  return { family: 4, value: bytesToBigInt(parsed.toByteArray()) };
}

/** An IPv4 address as four decimal parts without leading zeros, the one form Kubernetes takes. */
const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * The address of a dotted quad (undefined when a part is over 255), read directly: pod and
 * Service IPs are all of this form, and ipaddr.js's parser costs some 2.5 µs each (measured).
 */
function dottedQuadAddress(quad: RegExpExecArray): IpAddress | undefined {
  let value = 0;
  for (let part = 1; part <= 4; part++) {
    const byte = Number(quad[part]);
    if (byte > 255) return undefined;
    value = value * 256 + byte;
  }
  return { family: 4, value: BigInt(value) };
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const quad = DOTTED_QUAD.exec(text);
  if (quad) return dottedQuadAddress(quad);
  // Zones ("fe80::1%eth0") are not addresses to Kubernetes.
  if (!ipaddr.isValid(text) || text.includes('%')) return undefined;
  // ipaddr.isValid accepts legacy forms such as "10.1" or octal; Kubernetes does not.
  if (!ipaddr.IPv4.isValidFourPartDecimal(text) && !ipaddr.IPv6.isValid(text)) return undefined;
  return toAddress(ipaddr.parse(withEmbeddedIpv4AsHex(text)));
}

/**
 * Rewrites an IPv4 tail of an IPv6 address ("::10.0.0.0") as two hextets ("::a00:0"), as Go
 * reads it: ipaddr.js would otherwise take every such address for an IPv4-mapped one.
 */
function withEmbeddedIpv4AsHex(text: string): string {
  const colon = text.lastIndexOf(':');
  if (colon < 0 || !text.includes('.')) return text;
  const bytes = ipaddr.IPv4.parse(text.slice(colon + 1)).toByteArray();
  const hextet = (high: number, low: number) => ((high << 8) | low).toString(16);
  return `${text.slice(0, colon + 1)}${hextet(bytes[0] ?? 0, bytes[1] ?? 0)}:${hextet(bytes[2] ?? 0, bytes[3] ?? 0)}`;
}

/**
 * Why a CIDR is not written the canonical way the API server now requires for new objects
 * (no host bits, no leading zeros); empty when canonical or not a CIDR at all.
 */
export function nonCanonicalCidrErrors(text: string): string[] {
  const range = parseCidr(text);
  if (!range) return [];
  const [ip = '', length = ''] = text.split('/');
  if (/^0\d/.test(length) || ip.split('.').some((octet) => /^0\d/.test(octet))) {
    return ['must not have leading 0s in IP or prefix length'];
  }
  return parseIpAddress(ip)?.value === range.first
    ? []
    : ['must not have bits set beyond the prefix length'];
}

/** An address of a family as text, IPv6 in its compact form. */
export function addressText(family: 4 | 6, value: bigint): string {
  const length = family === 4 ? 4 : 16;
  const bytes = Array.from({ length }, (_, i) =>
    Number((value >> BigInt(8 * (length - 1 - i))) & 0xffn),
  );
  return ipaddr.fromByteArray(bytes).toString();
}

/** A CIDR as the API server requires it of new objects ("10.0.0.0/24" for "10.0.0.5/24"). */
export function canonicalCidr(text: string): string | undefined {
  const range = parseCidr(text);
  return range && `${addressText(range.family, range.first)}/${range.prefixLength}`;
}

/** The single-address CIDR of a CIDR's address ("10.0.0.5/32" for "10.0.0.5/24"). */
export function hostCidr(text: string): string | undefined {
  const address = parseIpAddress(text.split('/')[0] ?? '');
  return (
    address && `${addressText(address.family, address.value)}/${address.family === 4 ? 32 : 128}`
  );
}

/** Parses a CIDR ("10.0.0.0/8", "2001:db8::/32"); host bits are masked off. */
export function parseCidr(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpAddress(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  const bits = address.family === 4 ? 32 : 128;
  if (prefixLength > bits) return undefined;
  const hostBits = BigInt(bits - prefixLength);
  const first = (address.value >> hostBits) << hostBits;
  return { family: address.family, first, last: first + (1n << hostBits) - 1n, prefixLength };
}

/** Whether an address lies in a range. */
export function rangeContains(range: IpRange, address: IpAddress): boolean {
  return (
    range.family === address.family && address.value >= range.first && address.value <= range.last
  );
}

/** An ipBlock compiled to ranges; cidr and excepts must be valid CIDRs. */
export interface CompiledIpBlock {
  readonly block: IpBlock;
  readonly range: IpRange;
  readonly excepts: readonly IpRange[];
}

/** Compiles a validated ipBlock. */
export function compileIpBlock(block: IpBlock): CompiledIpBlock {
  const range = parseCidr(block.cidr);
  if (!range) throw new Error(`internal: unvalidated CIDR ${block.cidr}`);
  const excepts = block.except.map((cidr) => {
    const except = parseCidr(cidr);
    if (!except) throw new Error(`internal: unvalidated CIDR ${cidr}`);
    return except;
  });
  return { block, range, excepts };
}

/** How an address relates to an ipBlock. */
export type IpBlockVerdict =
  | { readonly kind: 'inside' }
  | { readonly kind: 'outside' }
  | { readonly kind: 'excepted'; readonly except: string };

/** Whether an ipBlock admits an address, and why not. */
export function ipBlockVerdict(compiled: CompiledIpBlock, address: IpAddress): IpBlockVerdict {
  if (!rangeContains(compiled.range, address)) return { kind: 'outside' };
  const index = compiled.excepts.findIndex((except) => rangeContains(except, address));
  if (index >= 0) return { kind: 'excepted', except: compiled.block.except[index] as string };
  return { kind: 'inside' };
}

/** How much of some address ranges an ipBlock admits. */
export type RangeCoverage = 'all' | 'none' | 'part';

/** The excepts overlapping a range, cut to it, ascending by their first address. */
function exceptsWithin(range: IpRange, excepts: readonly IpRange[]): AddressInterval[] {
  return excepts
    .filter((e) => e.family === range.family && e.first <= range.last && e.last >= range.first)
    .map((e) => ({
      first: e.first < range.first ? range.first : e.first,
      last: e.last > range.last ? range.last : e.last,
    }))
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
}

/** How many addresses of a range the excepts take out, counting overlapping excepts once. */
function exceptedSize(range: IpRange, excepts: readonly IpRange[]): bigint {
  let size = 0n;
  let end = range.first - 1n;
  for (const { first, last } of exceptsWithin(range, excepts)) {
    if (last <= end) continue;
    size += last - (first > end ? first : end + 1n) + 1n;
    end = last;
  }
  return size;
}

/** An inclusive interval of addresses of a family known from context. */
export interface AddressInterval {
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * The addresses an ipBlock admits (of its CIDR's family): its CIDR without its excepts, as
 * disjoint intervals in ascending order.
 */
export function admittedIntervals(compiled: CompiledIpBlock): AddressInterval[] {
  const { range } = compiled;
  const intervals: AddressInterval[] = [];
  let next = range.first;
  for (const { first, last } of exceptsWithin(range, compiled.excepts)) {
    if (first > next) intervals.push({ first: next, last: first - 1n });
    if (last >= next) next = last + 1n;
  }
  if (next <= range.last) intervals.push({ first: next, last: range.last });
  return intervals;
}

/** How many addresses of a range an ipBlock admits. */
function admittedSize(compiled: CompiledIpBlock, range: IpRange): bigint {
  const { range: block } = compiled;
  if (block.family !== range.family || block.first > range.last || block.last < range.first) {
    return 0n;
  }
  const common = block.prefixLength > range.prefixLength ? block : range;
  return common.last - common.first + 1n - exceptedSize(common, compiled.excepts);
}

/** Whether an ipBlock admits all, none or part of the addresses of the given ranges. */
export function ipBlockCoverage(
  compiled: CompiledIpBlock,
  ranges: readonly IpRange[],
): RangeCoverage {
  const admitted = ranges.map((range) => ({ range, size: admittedSize(compiled, range) }));
  if (admitted.every(({ size }) => size === 0n)) return 'none';
  return admitted.every(({ range, size }) => size === range.last - range.first + 1n)
    ? 'all'
    : 'part';
}

/** Whether an ipBlock admits every address of its family: its CIDR is /0 and it has no except. */
export function admitsWholeFamily(compiled: CompiledIpBlock): boolean {
  return compiled.range.prefixLength === 0 && compiled.excepts.length === 0;
}

/** A family's every address (0.0.0.0/0, ::/0). */
function wholeFamily(family: 4 | 6): IpRange {
  const bits = BigInt(family === 4 ? 32 : 128);
  return { family, first: 0n, last: (1n << bits) - 1n, prefixLength: 0 };
}

/**
 * Where an address may be when nothing narrows it: anywhere in either family. Not parsed from
 * text: parsing `::/0` ran ipaddr.js (some 5 ms of its code cold) as the engine was evaluated,
 * for commands (a shell's Tab) that parse no address at all.
 */
export const EVERY_ADDRESS: readonly IpRange[] = [wholeFamily(4), wholeFamily(6)];

/**
 * One address of each region that some CIDRs cut a set of ranges into: within a region every
 * CIDR holds all addresses or none. Undefined beyond `limit` regions.
 */
export function regionAddresses(
  ranges: readonly IpRange[],
  cidrs: readonly IpRange[],
  limit: number,
): IpAddress[] | undefined {
  const addresses: IpAddress[] = [];
  for (const range of ranges) {
    const starts = new Set<bigint>([range.first]);
    for (const cidr of cidrs) {
      if (cidr.family !== range.family) continue;
      for (const start of [cidr.first, cidr.last + 1n]) {
        if (start > range.first && start <= range.last) starts.add(start);
      }
    }
    for (const value of starts) addresses.push({ family: range.family, value });
    if (addresses.length > limit) return undefined;
  }
  return addresses;
}
