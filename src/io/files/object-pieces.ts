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

/**
 * A container's entries (an object's own enumerable keys), one at a time: Object.entries of a
 * Pod's 50,000 annotations held the UI's thread 36 ms; listing their keys alone costs about
 * half that (less than a for-in loop), and their values are read as they are used.
 */
function* entriesOf(container: Container): Generator<[Key, unknown]> {
  if (Array.isArray(container)) {
    for (let index = 0; index < container.length; index++) yield [index, container[index]];
    return;
  }
  for (const key of Object.keys(container)) yield [key, container[key]];
}

/** A node's weight without its entries: a string's counts its characters too. */
const ownWeight = (node: unknown) =>
  typeof node === 'string' ? 1 + Math.floor(node.length / CHARACTERS_PER_UNIT) : 1;

/**
 * How much taking `value` costs its receiver, as a count of its nodes (a string's characters
 * counted too), if that is `budget` or less; undefined if more. It is weighed only that far, so
 * that weighing a huge value costs no more than weighing a light one, and a value cut into
 * pieces is weighed as its pieces are made, not in one go before the first.
 */
function weightWithin(value: unknown, budget: number): number | undefined {
  let weight = 0;
  const add = (node: unknown): boolean => {
    weight += ownWeight(node);
    if (weight > budget) return false;
    if (!isContainer(node)) return true;
    for (const [, child] of entriesOf(node)) if (!add(child)) return false;
    return true;
  };
  return add(value) ? weight : undefined;
}

/** Whether `value` weighs `budget` or less: objectPieces hands it whole. */
export function weighsAtMost(value: unknown, budget: number): boolean {
  return weightWithin(value, budget) !== undefined;
}

/**
 * The pieces of `value`, none weighing more than `budget` unless it is a single string: the
 * value whole if it is light enough, else its root emptied, then its entries in runs, a
 * container too heavy for a run going in empty and its own entries following before the next
 * run of its parent's. Added in order (addEntries), they rebuild the value, keys in their order.
 */
export function* objectPieces(value: unknown, budget: number): Generator<ObjectPiece> {
  if (!isContainer(value) || weighsAtMost(value, budget)) {
    yield { root: value };
    return;
  }
  yield { root: emptyLike(value) };
  yield* entryRuns(value, [], budget);
}

function* entryRuns(
  container: Container,
  path: readonly Key[],
  budget: number,
): Generator<ObjectEntries> {
  let run: [Key, unknown][] = [];
  let used = 0;
  for (const [key, child] of entriesOf(container)) {
    // A string heavier than a run still goes whole, in a run of its own.
    const own = weightWithin(child, budget);
    const heavy = own === undefined && isContainer(child);
    const weight = heavy ? 1 : (own ?? ownWeight(child));
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
      yield* entryRuns(child, [...path, key], budget);
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
