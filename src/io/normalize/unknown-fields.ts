import type { Finding, SourceLocation } from '../../engine/index.js';
import { type KnownFields, SOME_FIELDS } from './known-fields.js';

/** A field an object's API type does not have, and the known sibling it most likely means. */
export interface UnknownField {
  /** `spec.ingress[0].from[0].podSelector.matchLabel`, a long key cut. */
  readonly path: string;
  /** The path with every key whole, to find the field by. */
  readonly field: string;
  readonly suggestion?: string;
}

/** Unknown fields named one by one per object; the rest are counted in one more finding. */
const LISTED_PER_OBJECT = 5;

/** A key longer than this is cut in a path: it comes from the input. */
const KEY_SHOWN = 60;

/** A misspelling is a known sibling at most this many edits away. */
const MAX_EDITS = 2;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields of an object its type does not have, in the order they are written, entering the
 * nested objects and lists of objects the table describes. Values of the wrong shape are left
 * to the reader, which reports them.
 */
export function findUnknownFields(object: unknown, known: KnownFields): UnknownField[] {
  const found: UnknownField[] = [];
  visit(object, known, [], found);
  return found;
}

/**
 * Adds the unknown fields of `value` to `found`; `segments` are the keys and indices leading to
 * it, spelled out as a path only for an unknown field (most objects have none).
 */
function visit(
  value: unknown,
  fields: KnownFields,
  segments: (string | number)[],
  found: UnknownField[],
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      segments.push(i);
      visit(value[i], fields, segments, found);
      segments.pop();
    }
    return;
  }
  if (!isRecord(value)) return;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const entry = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (entry === undefined) {
      if (fields[SOME_FIELDS]) continue;
      const suggestion = nearestField(key, Object.keys(fields));
      const path = [...segments, key];
      found.push({
        path: spell(path, KEY_SHOWN),
        field: spell(path, Number.POSITIVE_INFINITY),
        ...(suggestion ? { suggestion } : {}),
      });
    } else if (entry !== true) {
      segments.push(key);
      visit(value[key], entry, segments, found);
      segments.pop();
    }
  }
}

/** `spec.ingress[0].from`, from its keys and indices; a key longer than `shown` is cut. */
function spell(segments: readonly (string | number)[], keyShown: number): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else {
      const shown = segment.length > keyShown ? `${segment.slice(0, keyShown)}...` : segment;
      path += `${path ? '.' : ''}${shown}`;
    }
  }
  return path;
}

/** The known field closest to `key`, if one is at most MAX_EDITS edits away. */
export function nearestField(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = MAX_EDITS + 1;
  for (const candidate of known) {
    if (Math.abs(candidate.length - key.length) >= bestDistance) continue;
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(
        Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Warnings for the unknown fields of an object read from a manifest: kubectl refuses them, an
 * API server without validation drops them, and so does the analysis. Objects read from a
 * cluster (no document in their location) have had theirs dropped by the API server already.
 * `place` gives the location of a field (by default the object's).
 */
export function unknownFieldFindings(
  object: Record<string, unknown>,
  known: KnownFields,
  about: { readonly object: string; readonly location: SourceLocation },
  place: (field: string) => SourceLocation = () => about.location,
): Finding[] {
  if (about.location.document === undefined) return [];
  const unknown = findUnknownFields(object, known);
  if (unknown.length === 0) return [];
  const finding = (message: string, field: string): Finding => ({
    severity: 'warning',
    code: 'unknown-field',
    message,
    object: about.object,
    location: place(field),
  });
  const listed = unknown.slice(0, LISTED_PER_OBJECT).map(({ path, field, suggestion }) => {
    const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
    return finding(
      `unknown field ${path}${hint}: kubectl apply refuses this field (strict validation); if applied without validation the API server drops it, and this analysis drops it too`,
      field,
    );
  });
  const more = unknown.slice(listed.length);
  if (more.length === 0) return listed;
  const count = `${more.length} more unknown field${more.length === 1 ? '' : 's'}`;
  // Placed at the first of them.
  return [...listed, finding(`and ${count}`, more[0]?.field ?? '')];
}
