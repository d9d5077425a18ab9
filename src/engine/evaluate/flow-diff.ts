import type { Analysis } from '../compile/compile.js';
import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  intersectPortSets,
  isEmptyPortSet,
  type PortSet,
  portSetKey,
  subtractPortSets,
  unionPortSets,
} from '../primitives/port-set.js';
import { FAMILY_NAMES, type FamilyName } from './address-families.js';
import type { Outcome } from './evaluate.js';
import { computeMatrix } from './family-matrix.js';
import { type ConnectivityMatrix, DECIDED_PAIR, type FamilyIds, type PairIds } from './matrix.js';
import { buildPeerIndex } from './peer-index.js';
import { PortSetTable } from './port-set-table.js';

/** What a snapshot answers for a pair of pods: ports surely allowed, ports UNKNOWN; the rest is denied. */
export interface PairAnswer {
  readonly allowed: PortSet;
  readonly unknown: PortSet;
}

/** Ports of a pair whose outcome goes from `before` to `after`. */
export interface FlowTransition {
  readonly ports: PortSet;
  readonly before: Outcome;
  readonly after: Outcome;
  /**
   * The address families whose connections change so, when not every family the pair's
   * connections can use does (a dual-stack pair: one family opens or closes, not the other).
   */
  readonly families?: readonly FamilyName[];
}

/**
 * An address family a pair's connections can use in one snapshot only: a pod gained or lost
 * its address of that family. Its connections are new or gone with the address, whatever the
 * policies say, so they are no flow the change opens or closes.
 */
export interface FamilyChange {
  readonly family: FamilyName;
  readonly change: 'gained' | 'lost';
  /** The pair's answer over the family, in the snapshot that has it. */
  readonly answer: PairAnswer;
}

/** A pair of pods, present in both snapshots, whose answer changes. */
export interface PairDiff {
  readonly from: string;
  readonly to: string;
  readonly before: PairAnswer;
  readonly after: PairAnswer;
  /** Each change of outcome over a family both snapshots give the pair, with its ports. */
  readonly transitions: readonly FlowTransition[];
  /** Set when a family is the pair's in one snapshot only; `transitions` may then be empty. */
  readonly familyChanges?: readonly FamilyChange[];
}

/**
 * Whether a transition opens a flow (it ends ALLOWED, or a denied flow becomes UNKNOWN) or
 * closes one (it ends DENIED, or an allowed flow becomes UNKNOWN).
 */
export function transitionOpens(transition: FlowTransition): boolean {
  return (
    transition.after === 'ALLOWED' ||
    (transition.after === 'UNKNOWN' && transition.before === 'DENIED')
  );
}

const OUTCOMES: readonly Outcome[] = ['ALLOWED', 'UNKNOWN', 'DENIED'];

/** The ports of each outcome of a pair. */
function outcomePorts(answer: PairAnswer): Record<Outcome, PortSet> {
  return {
    ALLOWED: answer.allowed,
    UNKNOWN: answer.unknown,
    DENIED: subtractPortSets(FULL_PORT_SET, unionPortSets([answer.allowed, answer.unknown])),
  };
}

/** Each change of outcome between two answers of a pair (over one family), allowed first. */
function transitions(before: PairAnswer, after: PairAnswer): FlowTransition[] {
  const was = outcomePorts(before);
  const is = outcomePorts(after);
  return OUTCOMES.flatMap((b) =>
    OUTCOMES.flatMap((a) => {
      if (a === b) return [];
      const ports = intersectPortSets(was[b], is[a]);
      return isEmptyPortSet(ports) ? [] : [{ ports, before: b, after: a }];
    }),
  );
}

/**
 * Each change of outcome of a dual-stack pair, from each family's answers: the ports both
 * families change alike, then those IPv4 alone changes so, then IPv6 alone.
 */
function familyTransitions(
  before: Readonly<Record<FamilyName, PairAnswer>>,
  after: Readonly<Record<FamilyName, PairAnswer>>,
): FlowTransition[] {
  const ipv4 = transitions(before.IPv4, after.IPv4);
  const ipv6 = transitions(before.IPv6, after.IPv6);
  /** The ports of the transition of `of` between the same outcomes as `t`. */
  const portsLike = (of: readonly FlowTransition[], t: FlowTransition) =>
    of.find((o) => o.before === t.before && o.after === t.after)?.ports ?? EMPTY_PORT_SET;
  const somePorts = (t: FlowTransition) => !isEmptyPortSet(t.ports);
  const alone = (
    own: readonly FlowTransition[],
    other: readonly FlowTransition[],
    family: FamilyName,
  ) =>
    own
      .map((t) => ({
        ...t,
        ports: subtractPortSets(t.ports, portsLike(other, t)),
        families: [family],
      }))
      .filter(somePorts);
  return [
    ...ipv4
      .map((t) => ({ ...t, ports: intersectPortSets(t.ports, portsLike(ipv6, t)) }))
      .filter(somePorts),
    ...alone(ipv4, ipv6, 'IPv4'),
    ...alone(ipv6, ipv4, 'IPv6'),
  ];
}

/**
 * The families a pair's connections can use in an analysis: those both pods have an address
 * of; undefined when a pod's IP is unknown (its family too).
 */
function usableFamilies(analysis: Analysis, from: number, to: number): FamilyName[] | undefined {
  const [source, destination] = [from, to].map((idx) => analysis.podAddresses.familiesOf(idx));
  if (!source?.length || !destination?.length) return undefined;
  return source.filter((f) => destination.includes(f)).map((f) => FAMILY_NAMES[f]);
}

/**
 * The changes of a pair whose families differ between the snapshots: each family both give it
 * compared (marked with it), each family one gives it alone named as gained or lost.
 */
function familyShiftChanges(
  was: Readonly<Record<FamilyName, PairAnswer>>,
  is: Readonly<Record<FamilyName, PairAnswer>>,
  before: readonly FamilyName[],
  after: readonly FamilyName[],
): Pick<PairDiff, 'transitions' | 'familyChanges'> {
  const shared = before.filter((family) => after.includes(family));
  const alone = (of: readonly FamilyName[], other: readonly FamilyName[]) =>
    of.filter((family) => !other.includes(family));
  return {
    transitions: shared.flatMap((family) =>
      transitions(was[family], is[family]).map((t) => ({ ...t, families: [family] })),
    ),
    familyChanges: [
      ...alone(after, before).map((family) => ({
        family,
        change: 'gained' as const,
        answer: is[family],
      })),
      ...alone(before, after).map((family) => ({
        family,
        change: 'lost' as const,
        answer: was[family],
      })),
    ],
  };
}

/** A pair's answer from its ids in a matrix of the diff's port-set table. */
function pairAnswer(table: PortSetTable, { connectionId, undecidedId }: PairIds): PairAnswer {
  const connections = table.get(connectionId);
  if (undecidedId === DECIDED_PAIR) return { allowed: connections, unknown: EMPTY_PORT_SET };
  const unknown = table.get(undecidedId);
  return { allowed: subtractPortSets(connections, unknown), unknown };
}

/** A pair's ids in a matrix, over every family its connections can use. */
function pairIds(matrix: ConnectivityMatrix, from: number, to: number): PairIds {
  return { connectionId: matrix.connectionId(from, to), undecidedId: matrix.undecidedId(from, to) };
}

/**
 * Every pair of pods present in both analyses (by pod id) whose answer changes, computed with
 * one connectivity matrix per analysis. Pods in one analysis only have no pair to compare. A
 * dual-stack pair is compared family by family, as the matrix answers it: a change one family
 * makes (an ipBlock now admitting the IPv4 address only) is a change, of that family.
 */
export function diffFlows(before: Analysis, after: Analysis): PairDiff[] {
  const table = new PortSetTable();
  const all = (analysis: Analysis) => analysis.pods.map((_, idx) => idx);
  const was = computeMatrix(before, all(before), buildPeerIndex(before), table);
  const is = computeMatrix(after, all(after), buildPeerIndex(after), table);
  const afterIdx = before.pods.map((pod) => after.podIndex.get(pod.id));
  const key = (x: PairAnswer) => `${portSetKey(x.allowed)}|${portSetKey(x.unknown)}`;
  /** The pair's answer over each family, when one analysis answers it family by family. */
  const byFamily = (ids: PairIds, families: FamilyIds | undefined) => ({
    IPv4: pairAnswer(table, families?.IPv4 ?? ids),
    IPv6: pairAnswer(table, families?.IPv6 ?? ids),
  });
  const changes: PairDiff[] = [];
  const compare = (from: number, to: number) => {
    const [i, j] = [afterIdx[from], afterIdx[to]];
    if (i === undefined || j === undefined) return;
    const wasFamilies = was.familyIds?.(from, to);
    const isFamilies = is.familyIds?.(i, j);
    const split = wasFamilies !== undefined || isFamilies !== undefined;
    const certain = !split && !was.undecided(from, to) && !is.undecided(i, j);
    if (certain && was.connectionId(from, to) === is.connectionId(i, j)) return;
    const [wasIds, isIds] = [pairIds(was, from, to), pairIds(is, i, j)];
    const a = pairAnswer(table, wasIds);
    const b = pairAnswer(table, isIds);
    const pair = { from: before.pods[from]?.id ?? '', to: before.pods[to]?.id ?? '' };
    const [wasUsable, isUsable] = [usableFamilies(before, from, to), usableFamilies(after, i, j)];
    if (wasUsable && isUsable && wasUsable.join() !== isUsable.join()) {
      const shift = familyShiftChanges(
        byFamily(wasIds, wasFamilies),
        byFamily(isIds, isFamilies),
        wasUsable,
        isUsable,
      );
      changes.push({ ...pair, before: a, after: b, ...shift });
      return;
    }
    if (!split) {
      if (key(a) !== key(b))
        changes.push({ ...pair, before: a, after: b, transitions: transitions(a, b) });
      return;
    }
    const found = familyTransitions(byFamily(wasIds, wasFamilies), byFamily(isIds, isFamilies));
    if (found.length > 0) changes.push({ ...pair, before: a, after: b, transitions: found });
  };
  const everyone = all(before);
  for (const from of everyone) for (const to of everyone) compare(from, to);
  return changes;
}
