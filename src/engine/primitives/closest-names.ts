import { editDistance } from './label-difference.js';

/** How many names a "did you mean" offers. */
const SUGGESTION_LIMIT = 3;

/** Shorter prefixes ("a", "ng") say too little to suggest a name. */
const MIN_PREFIX = 3;

/**
 * The names closest to what was typed, best first: names it is a prefix of (or that are a
 * prefix of it, 3 characters or more), then names a few edits away (a third of its length, at least one).
 */
export function closestNames(typed: string, names: Iterable<string>): string[] {
  const wanted = typed.toLowerCase();
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  const scored = [...new Set(names)].flatMap((name) => {
    const candidate = name.toLowerCase();
    if (candidate === wanted) return [];
    const prefix =
      Math.min(candidate.length, wanted.length) >= MIN_PREFIX &&
      (candidate.startsWith(wanted) || wanted.startsWith(candidate));
    const distance = prefix ? 0 : editDistance(wanted, candidate);
    return distance <= allowed ? [{ name, distance }] : [];
  });
  return scored
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, SUGGESTION_LIMIT)
    .map(({ name }) => name);
}
