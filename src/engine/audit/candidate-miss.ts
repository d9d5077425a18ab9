import { withTypoEvidence } from '../diagnose/typo-evidence.js';
import type { LabelSelector, Labels } from '../model/types.js';
import { selectorDifferences } from '../primitives/label-difference.js';
import type { CandidateMiss } from './types.js';

/** A candidate of a near-miss search: a pod id or namespace name and its labels. */
export interface Candidate {
  readonly name: string;
  readonly labels: Labels;
}

function termCount(selector: LabelSelector): number {
  return Object.keys(selector.matchLabels).length + selector.matchExpressions.length;
}

/**
 * How a candidate fails the selector, when it fails exactly one equality term (a matchLabels
 * entry or an `In`) and nothing else. It is likely what was meant when its label is a typo away
 * from the term, or carries a wanted value under another key; not when its label spells its own
 * name while the wanted value spells another candidate's (of `population`). A candidate lacking the key
 * entirely counts when the selector has other terms (they matched) or when `known` says the
 * caller has its own reason to think it was meant.
 */
export function candidateMiss(
  selector: LabelSelector,
  candidate: Candidate,
  population: readonly Candidate[],
  known = false,
): CandidateMiss | undefined {
  const [difference, ...more] = withTypoEvidence(
    selectorDifferences(selector, candidate.labels),
    candidate,
    population,
  );
  if (!difference || more.length > 0 || difference.requirement.operator !== 'In') return undefined;
  const { key, values } = difference.requirement;
  const found = difference.actual;
  if (!found && !known && termCount(selector) < 2) return undefined;
  const sameValue = found !== undefined && found.key !== key && values.includes(found.value);
  return {
    candidate: candidate.name,
    key,
    values,
    ...(found ? { found } : {}),
    likely: difference.likelyTypo || sameValue,
  };
}

/** Rank of a likely near miss: the same key before another key. */
function rank(miss: CandidateMiss): number {
  return miss.found?.key === miss.key ? 0 : 1;
}

/**
 * The candidate probably meant by a selector matching none of them: a likely near miss, the
 * same key before another key. A candidate merely lacking a label is no evidence.
 */
export function likelyNearMiss(
  selector: LabelSelector,
  candidates: readonly Candidate[],
): CandidateMiss | undefined {
  let best: CandidateMiss | undefined;
  for (const candidate of candidates) {
    const miss = candidateMiss(selector, candidate, candidates);
    if (miss?.likely && (!best || rank(miss) < rank(best))) best = miss;
  }
  return best;
}

/** The selector with the missed term replaced by what the candidate has (or by `replacement`). */
export function correctedSelector(
  selector: LabelSelector,
  miss: CandidateMiss,
  replacement = miss.found,
): LabelSelector | undefined {
  if (!replacement) return undefined;
  const matchLabels = { ...selector.matchLabels };
  delete matchLabels[miss.key];
  return {
    matchLabels: { ...matchLabels, [replacement.key]: replacement.value },
    matchExpressions: selector.matchExpressions.filter(
      (r) => !(r.operator === 'In' && r.key === miss.key),
    ),
  };
}
