import type { LabelSelector, Labels, SelectorRequirement } from '../model/types.js';
import { selectorMatches } from './selector.js';

/** A label of an object, as the nearest thing to what a selector term wanted. */
export interface Label {
  readonly key: string;
  readonly value: string;
}

/** One term of a selector that a label set fails. */
export interface LabelDifference {
  /** The failing term; a matchLabels entry reads as `key In (value)`. */
  readonly requirement: SelectorRequirement;
  /** True for a matchLabels entry, false for a matchExpressions one. */
  readonly fromMatchLabels: boolean;
  /** The label nearest to what the term wants: the same key, a key a typo away, or a wanted value. */
  readonly actual?: Label;
  /** The actual label is probably what the term meant: it is a typo away from it. */
  readonly likelyTypo: boolean;
}

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Whether two different names are probably one mistyped as the other: they differ only in
 * case, or by one edit (two for names of 8 characters or more). Names under 4 characters are
 * too short to tell a typo from another name ("api" and "app").
 */
export function likelyTypo(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4) return false;
  const edits = shorter >= 8 ? 2 : 1;
  // Each character one name has more than the other is an edit: most pairs of names are told
  // apart by their lengths, without the table (the named-port check compares thousands).
  return Math.abs(a.length - b.length) <= edits && editDistance(a, b) <= edits;
}

function label(labels: Labels, key: string): Label {
  return { key, value: labels[key] as string };
}

/** The label nearest to a term the labels fail, and whether it is a typo of the term. */
function nearest(
  req: SelectorRequirement,
  labels: Labels,
): Omit<LabelDifference, 'fromMatchLabels' | 'requirement'> {
  const wants = (value: string) => req.values.some((v) => v === value || likelyTypo(v, value));
  if (Object.hasOwn(labels, req.key)) {
    const actual = label(labels, req.key);
    return {
      actual,
      likelyTypo: req.operator === 'In' && req.values.some((v) => likelyTypo(v, actual.value)),
    };
  }
  const keys = Object.keys(labels);
  const typoKey = keys.find(
    (key) =>
      likelyTypo(key, req.key) && (req.operator === 'Exists' || wants(labels[key] as string)),
  );
  if (typoKey !== undefined) return { actual: label(labels, typoKey), likelyTypo: true };
  const sameValue = keys.find((key) => req.values.includes(labels[key] as string));
  return sameValue !== undefined
    ? { actual: label(labels, sameValue), likelyTypo: false }
    : { likelyTypo: false };
}

/** Every term of a selector that the labels fail (all of them, not just the first); empty when it selects them. */
export function selectorDifferences(selector: LabelSelector, labels: Labels): LabelDifference[] {
  const terms = [
    ...Object.entries(selector.matchLabels).map(([key, value]) => ({
      requirement: { key, operator: 'In', values: [value] } as SelectorRequirement,
      fromMatchLabels: true,
    })),
    ...selector.matchExpressions.map((requirement) => ({ requirement, fromMatchLabels: false })),
  ];
  return terms
    .filter(
      ({ requirement }) =>
        !selectorMatches({ matchLabels: {}, matchExpressions: [requirement] }, labels),
    )
    .map((term) => ({ ...term, ...nearest(term.requirement, labels) }));
}
