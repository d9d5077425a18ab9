import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { ChainAnswers } from './chain-answers.js';
import { regionAnswers } from './region-answers.js';

/** Marks classes, a fresh mark per rule, with no clearing between rules or chains. */
export class ClassMarks {
  private readonly marks: Int32Array;
  private mark = 0;

  constructor(classCount: number) {
    this.marks = new Int32Array(classCount);
  }

  /** Starts a new mark, which no class has yet. */
  next(): void {
    this.mark++;
  }

  /** Gives a class the current mark; false if it had it already. */
  add(cls: number): boolean {
    if (this.marks[cls] === this.mark) return false;
    this.marks[cls] = this.mark;
    return true;
  }
}

/** How the classes of the side a chain looks at are matched by its peers. */
export interface ClassLookups {
  /** The classes a peer surely matches (an inverted index). */
  readonly classesOf: (peer: CompiledPeer) => readonly number[];
  /** The classes whose unknown IP a peer may or may not match. */
  readonly partlyOf: (peer: CompiledPeer) => readonly number[];
  /** The pod whose named ports an answer towards a class resolves on. */
  readonly destinationOf: (cls: number) => number;
  /** A pod of the class itself, for the regions of its unknown IP. */
  readonly otherPodOf: (cls: number) => number;
}

/**
 * Scratch space for one chain's hit sets and answers, a cell per class, shared between chains:
 * hit sets stay 0 outside the classes a chain reaches, and `release` puts them back to 0.
 */
export class ClassScratch {
  readonly sureHits: Int32Array;
  readonly possibleHits: Int32Array;
  readonly sure: Int32Array;
  readonly possible: Int32Array;

  constructor(
    classCount: number,
    readonly marks: ClassMarks,
  ) {
    this.sureHits = new Int32Array(classCount);
    this.possibleHits = new Int32Array(classCount);
    this.sure = new Int32Array(classCount);
    this.possible = new Int32Array(classCount);
  }

  /** Puts the hit sets of the classes a chain reached back to 0. */
  release(reached: readonly number[]): void {
    for (const cls of reached) {
      this.sureHits[cls] = 0;
      this.possibleHits[cls] = 0;
    }
  }
}

/**
 * Adds to `nodes` (0 for a class no rule reached yet) each class's hit set: the chain's rules
 * with a peer that `classesOf` says matches it, numbered in ascending rule order. Returns the
 * classes reached, each once.
 */
function collectHits(
  answers: ChainAnswers,
  chain: RuleChain,
  classesOf: (peer: CompiledPeer) => readonly number[],
  marks: ClassMarks,
  nodes: Int32Array,
): number[] {
  const reached: number[] = [];
  chain.rules.forEach((rule, k) => {
    marks.next();
    for (const peer of rule.peers) {
      for (const cls of classesOf(peer)) {
        if (!marks.add(cls)) continue;
        const node = nodes[cls] as number;
        // A hit set with a rule in it is never node 0, so a class is listed on its first hit.
        if (node === 0) reached.push(cls);
        nodes[cls] = answers.extend(node, k);
      }
    }
  });
  return reached;
}

/**
 * A chain's answers towards classes of the other side, as interned ports: `sure` with the peers
 * that surely match and what every reading admits, `possible` adding the peers an unknown IP may
 * match and what any reading admits (the same array when neither IPs nor readings can change
 * the answer).
 */
export interface ClassAnswers {
  readonly sure: Int32Array;
  readonly possible: Int32Array;
}

/**
 * A chain's answers towards one destination: those of the classes in `reached` (valid until the
 * scratch space is used again), and `rest`, the answer for every other class, which no rule's
 * peer reaches.
 */
export interface SparseClassAnswers extends ClassAnswers {
  readonly reached: readonly number[];
  readonly rest: { readonly sure: number; readonly possible: number };
}

/**
 * Answers a chain into `out` for every class (`answerAll`) or only for those its peers reach,
 * memoised on hit sets; returns the classes its peers reach.
 */
function answerClasses(
  analysis: Analysis,
  answers: ChainAnswers,
  chain: RuleChain,
  lookups: ClassLookups,
  scratch: ClassScratch,
  out: ClassAnswers,
  answerAll: boolean,
): readonly number[] {
  const { classesOf, partlyOf, destinationOf, otherPodOf } = lookups;
  const dependsOnIp = chain.rules.some((rule) => rule.peers.some((p) => partlyOf(p).length > 0));
  const uncertain = dependsOnIp || chain.readings.length > 0;
  const { sureHits, marks } = scratch;
  const reachedSurely = collectHits(answers, chain, classesOf, marks, sureHits);
  const possibleHits = dependsOnIp ? scratch.possibleHits : sureHits;
  // Peers that may match match at least the classes they surely match: this reaches them all.
  const possibly = (peer: CompiledPeer) => [...classesOf(peer), ...partlyOf(peer)];
  const reached = dependsOnIp
    ? collectHits(answers, chain, possibly, marks, possibleHits)
    : reachedSurely;
  const { sure, possible } = out;
  // Runs of classes share hit sets and a destination (towards one destination, most classes
  // hit no rule): the memo is asked once a run.
  let lastNode = -1;
  let lastPossibleNode = -1;
  let lastDestination = -1;
  let lastSure = 0;
  let lastPossible = 0;
  const answer = (cls: number) => {
    const node = sureHits[cls] as number;
    const possibleNode = possibleHits[cls] as number;
    const destination = destinationOf(cls);
    if (node !== lastNode || possibleNode !== lastPossibleNode || destination !== lastDestination) {
      lastSure = uncertain
        ? answers.agreed(chain, node, destination)
        : answers.answer(chain, node, destination);
      lastPossible = uncertain ? answers.answer(chain, possibleNode, destination) : lastSure;
      lastNode = node;
      lastPossibleNode = possibleNode;
      lastDestination = destination;
    }
    sure[cls] = lastSure;
    possible[cls] = lastPossible;
  };
  if (answerAll) for (let cls = 0; cls < sure.length; cls++) answer(cls);
  else for (const cls of reached) answer(cls);
  // Rules that do not accept make the answer no longer grow with the peers matched: each
  // class whose IP is unknown is then answered for every region where the IP may lie.
  if (dependsOnIp) {
    const regionClasses = new Set(chain.rules.flatMap((rule) => rule.peers.flatMap(partlyOf)));
    for (const cls of regionClasses) {
      const regional = regionAnswers(analysis, answers, chain, otherPodOf(cls), destinationOf(cls));
      if (!regional) continue;
      sure[cls] = regional.sure;
      possible[cls] = regional.possible;
    }
  }
  scratch.release(reached);
  return reached;
}

/** Whether the chain's answer can differ by unknown IP or reading (then sure and possible differ). */
function isUncertain(chain: RuleChain, lookups: ClassLookups): boolean {
  return (
    chain.readings.length > 0 ||
    chain.rules.some((rule) => rule.peers.some((p) => lookups.partlyOf(p).length > 0))
  );
}

/** A chain's answer for a class that no rule's peer reaches, towards a destination pod. */
function restAnswers(
  answers: ChainAnswers,
  chain: RuleChain,
  uncertain: boolean,
  destination: number,
): SparseClassAnswers['rest'] {
  const possible = answers.answer(chain, 0, destination);
  return { sure: uncertain ? answers.agreed(chain, 0, destination) : possible, possible };
}

/**
 * A chain's answer for every class of the other side, in arrays of its own. Only a chain
 * naming ports answers each class by its destination pod; any other gives every class no rule
 * reaches the same answer.
 */
export function answersByClass(
  analysis: Analysis,
  answers: ChainAnswers,
  chain: RuleChain,
  lookups: ClassLookups,
  scratch: ClassScratch,
): ClassAnswers {
  const uncertain = isUncertain(chain, lookups);
  const sure = new Int32Array(scratch.sure.length);
  const out = { sure, possible: uncertain ? new Int32Array(sure.length) : sure };
  if (!chain.namedPorts && sure.length > 0) {
    const rest = restAnswers(answers, chain, uncertain, lookups.destinationOf(0));
    out.sure.fill(rest.sure);
    out.possible.fill(rest.possible);
  }
  answerClasses(analysis, answers, chain, lookups, scratch, out, chain.namedPorts);
  return out;
}

/**
 * A chain's answers towards one destination pod, given only for the classes its peers reach:
 * the work grows with those, not with all classes.
 */
export function sparseAnswersByClass(
  analysis: Analysis,
  answers: ChainAnswers,
  chain: RuleChain,
  lookups: ClassLookups,
  scratch: ClassScratch,
  destination: number,
): SparseClassAnswers {
  const uncertain = isUncertain(chain, lookups);
  const out = { sure: scratch.sure, possible: uncertain ? scratch.possible : scratch.sure };
  const reached = answerClasses(analysis, answers, chain, lookups, scratch, out, false);
  return { ...out, reached, rest: restAnswers(answers, chain, uncertain, destination) };
}

/**
 * Whether a chain's answers towards one destination are split for some class: its sure and
 * possible ports differ (an unknown IP or a reading decides some connection).
 */
export function sparseAnswersSplit(answers: SparseClassAnswers): boolean {
  if (answers.rest.sure !== answers.rest.possible) return true;
  if (answers.sure === answers.possible) return false;
  return answers.reached.some((cls) => answers.sure[cls] !== answers.possible[cls]);
}
