import { deserialize, serialize } from 'node:v8';
import type { Cluster } from '../../engine/index.js';
import type { AnalystSnapshot } from './questions.js';

/**
 * How long one turn of the event loop may spend serialising a snapshot: short enough that a
 * key pressed meanwhile is handled well within 50 ms.
 */
const TURN_BUDGET_MS = 8;
/** Items of a list serialised between two looks at the clock. */
const SLICE_ITEMS = 50;

/** The first part: the snapshot without its cluster's lists, and the names of those lists. */
interface Head {
  readonly snapshot: AnalystSnapshot;
  readonly lists: readonly string[];
}

/** A later part: a run of items of one of the cluster's lists, in order. */
type ListRun = readonly [list: string, items: readonly unknown[]];

/** Hands the event loop back (keys, frames) before the work goes on. */
export type YieldTurn = () => Promise<void>;

/**
 * Serialises a snapshot with node:v8 in parts, a few milliseconds of work per turn of the event
 * loop, so that the UI's thread is never held for long (serialising 10,000 pods at once takes
 * hundreds of milliseconds). Resolves to undefined, having stopped, once `superseded` says so.
 */
export async function serialiseInParts(
  snapshot: AnalystSnapshot,
  yieldTurn: YieldTurn,
  superseded: () => boolean,
): Promise<Uint8Array[] | undefined> {
  const lists = Object.entries(snapshot.cluster).filter(
    (entry): entry is [string, readonly unknown[]] => Array.isArray(entry[1]),
  );
  const rest = Object.fromEntries(
    Object.entries(snapshot.cluster).filter(([, value]) => !Array.isArray(value)),
  );
  const head: Head = {
    snapshot: { ...snapshot, cluster: rest as unknown as Cluster },
    lists: lists.map(([name]) => name),
  };
  const parts = [serialize(head)];
  let turnStart = performance.now();
  for (const [name, items] of lists) {
    for (let from = 0; from < items.length; from += SLICE_ITEMS) {
      if (performance.now() - turnStart > TURN_BUDGET_MS) {
        await yieldTurn();
        if (superseded()) return undefined;
        turnStart = performance.now();
      }
      const run: ListRun = [name, items.slice(from, from + SLICE_ITEMS)];
      parts.push(serialize(run));
    }
  }
  return parts;
}

/** The snapshot that serialiseInParts cut into these parts. */
export function snapshotFromParts(parts: readonly Uint8Array[]): AnalystSnapshot {
  const [first, ...runs] = parts;
  if (!first) throw new Error('the analyst was sent an empty snapshot');
  const head = deserialize(first) as Head;
  const lists = new Map<string, unknown[]>(head.lists.map((name) => [name, []]));
  for (const part of runs) {
    const [name, items] = deserialize(part) as ListRun;
    lists.get(name)?.push(...items);
  }
  const cluster = { ...head.snapshot.cluster, ...Object.fromEntries(lists) } as Cluster;
  return { ...head.snapshot, cluster };
}
