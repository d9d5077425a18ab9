// A big object cut into pieces a thread can post one at a time, and put together again on the
// other side: each piece small enough for its receiver to take (deserialise) in one short turn.

/** A key of an object, or an index of an array. */
type Key = string | number;

/** A run of a container's entries, to add in order to the container at `path` in the root. */
export interface ObjectEntries {
  readonly path: readonly Key[];
  readonly entries: readonly (readonly [Key, unknown])[];
}

/** The pieces of a value: its root (a container left empty when the value is cut), then runs of entries. */
export type ObjectPiece = { readonly root: unknown } | ObjectEntries;

/** A string weighs a unit more per this many characters (copying it costs about a node's). */
const CHARACTERS_PER_UNIT = 1024;

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container =>
  typeof value === 'object' && value !== null;

/** An empty container of the same sort: the place a container's entries are added to. */
const emptyLike = (value: Container): Container => (Array.isArray(value) ? [] : {});

const entriesOf = (container: Container): [Key, unknown][] =>
  Array.isArray(container) ? container.map((value, i) => [i, value]) : Object.entries(container);

/**
 * How much taking each container of `value` costs its receiver, as a count of the nodes in it
 * (a string's characters counted too), kept by container; the value's own weight is returned.
 */
function weigh(value: unknown, weights: Map<Container, number>): number {
  if (typeof value === 'string') return 1 + Math.floor(value.length / CHARACTERS_PER_UNIT);
  if (!isContainer(value)) return 1;
  let weight = 1;
  for (const [, child] of entriesOf(value)) weight += weigh(child, weights);
  weights.set(value, weight);
  return weight;
}

/**
 * The pieces of `value`, none weighing more than `budget` unless it is a single string: the
 * value whole if it is light enough, else its root emptied, then its entries in runs, a
 * container too heavy for a run going in empty and its own entries following before the next
 * run of its parent's. Added in order (addEntries), they rebuild the value, keys in their order.
 */
export function* objectPieces(value: unknown, budget: number): Generator<ObjectPiece> {
  const weights = new Map<Container, number>();
  if (weigh(value, weights) <= budget || !isContainer(value)) {
    yield { root: value };
    return;
  }
  yield { root: emptyLike(value) };
  yield* entryRuns(value, [], budget, weights);
}

function* entryRuns(
  container: Container,
  path: readonly Key[],
  budget: number,
  weights: Map<Container, number>,
): Generator<ObjectEntries> {
  let run: [Key, unknown][] = [];
  let used = 0;
  for (const [key, child] of entriesOf(container)) {
    const own = isContainer(child) ? (weights.get(child) ?? 0) : weigh(child, weights);
    const heavy = isContainer(child) && own > budget;
    const weight = heavy ? 1 : own;
    if (run.length > 0 && used + weight > budget) {
      yield { path, entries: run };
      run = [];
      used = 0;
    }
    run.push([key, heavy ? emptyLike(child) : child]);
    used += weight;
    if (heavy) {
      // The emptied container goes first, its entries after it, then the parent's next.
      yield { path, entries: run };
      run = [];
      used = 0;
      yield* entryRuns(child, [...path, key], budget, weights);
    }
  }
  if (run.length > 0) yield { path, entries: run };
}

/**
 * Adds a run of entries to the container at its path in `root` (a piece of objectPieces): an
 * array's are appended, an object's defined as its own keys (`__proto__` included, as data).
 */
export function addEntries(root: unknown, { path, entries }: ObjectEntries): void {
  let target = root as Container;
  for (const key of path) target = (target as Record<Key, unknown>)[key] as Container;
  if (Array.isArray(target)) {
    for (const [, value] of entries) target.push(value);
    return;
  }
  for (const [key, value] of entries) {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}
