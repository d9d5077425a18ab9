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
import type { Outcome } from './evaluate.js';
import { computeMatrix } from './family-matrix.js';
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
}

/** A pair of pods, present in both snapshots, whose answer changes. */
export interface PairDiff {
  readonly from: string;
  readonly to: string;
  readonly before: PairAnswer;
  readonly after: PairAnswer;
  /** Each change of outcome, with its ports; never empty. */
  readonly transitions: readonly FlowTransition[];
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

/** Each change of outcome between two answers of a pair, allowed first. */
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
 * Every pair of pods present in both analyses (by pod id) whose answer changes, computed with
 * one connectivity matrix per analysis. Pods in one analysis only have no pair to compare.
 */
export function diffFlows(before: Analysis, after: Analysis): PairDiff[] {
  const table = new PortSetTable();
  const all = (analysis: Analysis) => analysis.pods.map((_, idx) => idx);
  const was = computeMatrix(before, all(before), buildPeerIndex(before), table);
  const is = computeMatrix(after, all(after), buildPeerIndex(after), table);
  const afterIdx = before.pods.map((pod) => after.podIndex.get(pod.id));
  const answer = (matrix: typeof was, from: number, to: number): PairAnswer => {
    if (!matrix.undecided(from, to))
      return { allowed: matrix.connections(from, to), unknown: EMPTY_PORT_SET };
    const unknown = matrix.undecidedConnections(from, to);
    return { allowed: subtractPortSets(matrix.connections(from, to), unknown), unknown };
  };
  const changes: PairDiff[] = [];
  const compare = (from: number, to: number) => {
    const [i, j] = [afterIdx[from], afterIdx[to]];
    if (i === undefined || j === undefined) return;
    const certain = !was.undecided(from, to) && !is.undecided(i, j);
    if (certain && was.connectionId(from, to) === is.connectionId(i, j)) return;
    const a = answer(was, from, to);
    const b = answer(is, i, j);
    const key = (x: PairAnswer) => `${portSetKey(x.allowed)}|${portSetKey(x.unknown)}`;
    if (key(a) === key(b)) return;
    const pair = { from: before.pods[from]?.id ?? '', to: before.pods[to]?.id ?? '' };
    changes.push({ ...pair, before: a, after: b, transitions: transitions(a, b) });
  };
  const everyone = all(before);
  for (const from of everyone) for (const to of everyone) compare(from, to);
  return changes;
}
