import { deserialize, serialize } from 'node:v8';
import { addEntries, type ObjectPiece, objectPieces } from '../../io/files/object-pieces.js';
import { PIECE_WEIGHT } from '../../io/files/parse-messages.js';
import { type SharedParts, sharedPartsWriter } from './shared-parts.js';

/**
 * How long one turn of the event loop may spend (de)serialising: short enough that a key
 * pressed meanwhile is handled well within 50 ms.
 */
const TURN_BUDGET_MS = 8;
/** Items of a list (entries of a map) serialised into one part. */
const SLICE_ITEMS = 50;

/**
 * The first part: the value without its top-level lists and maps (the whole value when it is
 * not a plain object), and the names of those lists and maps.
 */
interface Head {
  readonly value: unknown;
  readonly lists: readonly string[];
  readonly maps: readonly string[];
}

/** A later part: a run of items of one of the value's lists (entries of a map), in order. */
type Run = readonly [name: string, items: readonly unknown[]];

/** Hands the event loop back (keys, frames) before the work goes on. */
export type YieldTurn = () => Promise<void>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Runs of a few items each, serialised. */
function* runs(name: string, items: readonly unknown[]): Generator<Uint8Array> {
  for (let from = 0; from < items.length; from += SLICE_ITEMS) {
    yield serialize([name, items.slice(from, from + SLICE_ITEMS)] satisfies Run);
  }
}

/**
 * A value serialised with node:v8 in parts, each list and map of a plain object cut into runs
 * of a few items, so that neither serialising nor deserialising it is one long piece of work.
 */
export function* valueParts(value: unknown): Generator<Uint8Array> {
  if (!isPlainObject(value)) {
    yield serialize({ value, lists: [], maps: [] } satisfies Head);
    return;
  }
  const entries = Object.entries(value);
  const lists = entries.filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  const maps = entries.filter(
    (entry): entry is [string, Map<unknown, unknown>] => entry[1] instanceof Map,
  );
  const rest = Object.fromEntries(
    entries.filter(([, item]) => !Array.isArray(item) && !(item instanceof Map)),
  );
  const names = (cut: readonly [string, unknown][]) => cut.map(([name]) => name);
  yield serialize({ value: rest, lists: names(lists), maps: names(maps) } satisfies Head);
  for (const [name, items] of lists) yield* runs(name, items);
  for (const [name, map] of maps) yield* runs(name, [...map]);
}

/** Rebuilds a value from its parts, added in order. */
function valueAssembler() {
  let head: Head | undefined;
  const lists = new Map<string, unknown[]>();
  const maps = new Map<string, Map<unknown, unknown>>();
  return {
    add(part: Uint8Array) {
      if (!head) {
        head = deserialize(part) as Head;
        for (const name of head.lists) lists.set(name, []);
        for (const name of head.maps) maps.set(name, new Map());
        return;
      }
      const [name, items] = deserialize(part) as Run;
      lists.get(name)?.push(...items);
      const map = maps.get(name);
      if (map) for (const [key, item] of items as [unknown, unknown][]) map.set(key, item);
    },
    value(): unknown {
      if (!head) throw new Error('no parts to rebuild a value from');
      return head.lists.length + head.maps.length === 0
        ? head.value
        : {
            ...(head.value as object),
            ...Object.fromEntries(lists),
            ...Object.fromEntries(maps),
          };
    },
  };
}

/**
 * Runs `each` on every item, a few milliseconds of work per turn of the event loop; false,
 * having stopped, once `superseded` says so after a turn.
 */
async function inTurns<T>(
  items: Iterable<T>,
  each: (item: T) => void,
  yieldTurn: YieldTurn,
  superseded: () => boolean,
): Promise<boolean> {
  let turnStart = performance.now();
  for (const item of items) {
    each(item);
    if (performance.now() - turnStart > TURN_BUDGET_MS) {
      await yieldTurn();
      if (superseded()) return false;
      turnStart = performance.now();
    }
  }
  return true;
}

/**
 * Serialised parts (valueParts') copied into shared memory, a few milliseconds of work (the
 * serialising and the copying) per turn of the event loop. Resolves to undefined, having stopped,
 * once `superseded` says so.
 */
export async function shareInTurns(
  parts: Iterable<Uint8Array>,
  yieldTurn: YieldTurn,
  superseded: () => boolean,
): Promise<SharedParts | undefined> {
  const writer = sharedPartsWriter();
  const whole = await inTurns(parts, (part) => writer.add(part), yieldTurn, superseded);
  return whole ? writer.parts() : undefined;
}

/** The value that valueParts cut into these parts. */
export function valueFromParts(parts: Iterable<Uint8Array>): unknown {
  const assembler = valueAssembler();
  for (const part of parts) assembler.add(part);
  return assembler.value();
}

/**
 * The value that valueParts cut into these parts, deserialised a few milliseconds per turn of
 * the event loop, so that keys and frames are handled between (10,000 rows at once take tens of
 * milliseconds).
 */
export async function valueFromPartsInTurns(
  parts: Iterable<Uint8Array>,
  yieldTurn: YieldTurn,
): Promise<unknown> {
  const assembler = valueAssembler();
  await inTurns(
    parts,
    (part) => assembler.add(part),
    yieldTurn,
    () => false,
  );
  return assembler.value();
}

/**
 * A value of any shape serialised in pieces of PIECE_WEIGHT nodes at most (objectPieces), so
 * that one carrying a huge object deep inside (the YAML view's Pod with 50,000 annotations) is
 * not one long piece of work to serialise: a light value is one part.
 */
export function* nestedParts(value: unknown): Generator<Uint8Array> {
  for (const piece of objectPieces(value, PIECE_WEIGHT)) yield serialize(piece);
}

/** The value that nestedParts cut into these parts. */
export function valueFromNestedParts(parts: Iterable<Uint8Array>): unknown {
  let root: unknown;
  for (const part of parts) {
    const piece = deserialize(part) as ObjectPiece;
    if ('root' in piece) root = piece.root;
    else addEntries(root, piece);
  }
  return root;
}
