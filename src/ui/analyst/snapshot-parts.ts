import { deserialize, serialize } from 'node:v8';
import type { Cluster } from '../../engine/index.js';
import type { AnalystSnapshot } from './questions.js';
import { partViews, type SharedParts } from './shared-parts.js';
import { shareInTurns, valueFromParts, valueParts, type YieldTurn } from './value-parts.js';

/** A snapshot's parts: its options, then its cluster's (its lists cut into runs). */
function* snapshotParts(snapshot: AnalystSnapshot): Generator<Uint8Array> {
  yield serialize(snapshot.options);
  yield* valueParts(snapshot.cluster);
}

/**
 * Serialises a snapshot with node:v8 in parts into shared memory, a few milliseconds of work per
 * turn of the event loop, so that the UI's thread is never held for long (serialising 10,000
 * pods at once takes hundreds of milliseconds), and posting it to the workers copies nothing.
 * Resolves to undefined, having stopped, once `superseded` says so.
 */
export function serialiseInParts(
  snapshot: AnalystSnapshot,
  yieldTurn: YieldTurn,
  superseded: () => boolean,
): Promise<SharedParts | undefined> {
  return shareInTurns(snapshotParts(snapshot), yieldTurn, superseded);
}

/** The snapshot that serialiseInParts put in these parts. */
export function snapshotFromParts(shared: SharedParts): AnalystSnapshot {
  const [head, ...cluster] = partViews(shared);
  if (!head) throw new Error('the analyst was sent an empty snapshot');
  const options = deserialize(head) as AnalystSnapshot['options'];
  return { options, cluster: valueFromParts(cluster) as Cluster };
}
