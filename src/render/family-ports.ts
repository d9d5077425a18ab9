import {
  EMPTY_PORT_SET,
  type FamilyName,
  type FamilyReach,
  type FamilyReaches,
  intersectPortSets,
  isEmptyPortSet,
  type PortSet,
  subtractPortSets,
} from '../engine/index.js';
import { portSetText } from './ports.js';

/** The ports surely allowed, and those whose answer is UNKNOWN. */
export interface PortsAnswer {
  readonly allowed: PortSet;
  readonly unknown: PortSet;
}

/** Ports, and the one address family they hold over (absent: each family the pair can use). */
export interface FamilyPart {
  readonly ports: PortSet;
  readonly only?: FamilyName;
}

/** An answer in parts: of the ports surely allowed, and of those whose answer is UNKNOWN. */
export interface AnswerParts {
  readonly allowed: readonly FamilyPart[];
  readonly unknown: readonly FamilyPart[];
}

/** What both families hold, then what IPv4 only does, then IPv6 only; empty parts left out. */
export function byFamilyParts(ipv4: PortSet, ipv6: PortSet): FamilyPart[] {
  const parts: FamilyPart[] = [
    { ports: intersectPortSets(ipv4, ipv6) },
    { ports: subtractPortSets(ipv4, ipv6), only: 'IPv4' },
    { ports: subtractPortSets(ipv6, ipv4), only: 'IPv6' },
  ];
  return parts.filter((part) => !isEmptyPortSet(part.ports));
}

/** The parts of an answer the families agree on (or that one family gives). */
export function commonParts({ allowed, unknown }: PortsAnswer): AnswerParts {
  const part = (ports: PortSet) => (isEmptyPortSet(ports) ? [] : [{ ports }]);
  return { allowed: part(allowed), unknown: part(unknown) };
}

/**
 * The parts of an answer that differs by family: the ports both families get, and those one
 * family only gets, allowed and UNKNOWN apart.
 */
export function familyParts(families: Readonly<Record<FamilyName, PortsAnswer>>): AnswerParts {
  return {
    allowed: byFamilyParts(families.IPv4.allowed, families.IPv6.allowed),
    unknown: byFamilyParts(families.IPv4.unknown, families.IPv6.unknown),
  };
}

/** What a pair admits (its connections, some of them UNKNOWN) as the ports of an answer. */
function reachAnswer({ connections, unknown }: FamilyReach): PortsAnswer {
  return unknown
    ? { allowed: subtractPortSets(connections, unknown), unknown }
    : { allowed: connections, unknown: EMPTY_PORT_SET };
}

/** The parts of what each family admits between a pair. */
export function familyReachParts(families: FamilyReaches): AnswerParts {
  return familyParts({ IPv4: reachAnswer(families.IPv4), IPv6: reachAnswer(families.IPv6) });
}

/** The parts of what a pair admits, each family's apart when they differ. */
export function reachParts(
  reach: FamilyReach & { readonly families?: FamilyReaches },
): AnswerParts {
  return reach.families ? familyReachParts(reach.families) : commonParts(reachAnswer(reach));
}

/** Parts in words: `TCP 80; TCP 5432 (IPv4 only)`, each protocol of a family's part marked. */
export function partsText(parts: readonly FamilyPart[]): string {
  if (parts.length === 0) return 'nothing';
  return parts
    .map(({ ports, only }) => portSetText(ports, only ? ` (${only} only)` : ''))
    .join('; ');
}

/**
 * An answer in words: `TCP 80`, `TCP 5432 (IPv4 only)`, `TCP 80; UNKNOWN: TCP 443`, and a note
 * when every port it names is UNKNOWN.
 */
export function answerPartsText({ allowed, unknown }: AnswerParts): string {
  if (unknown.length === 0) return partsText(allowed);
  if (allowed.length === 0) return `${partsText(unknown)}  (UNKNOWN: ports not surely denied)`;
  return `${partsText(allowed)}; UNKNOWN: ${partsText(unknown)}`;
}
