import { deserialize, serialize } from 'node:v8';
import type { Cluster } from '../../engine/index.js';
import type { AnalystSnapshot } from './questions.js';
import { serialiseInTurns, valueFromParts, type YieldTurn } from './value-parts.js';

/**
 * Serialises a snapshot with node:v8 in parts (its options and network plugin, then its
 * cluster's lists cut into runs), a few milliseconds of work per turn of the event loop, so that
 * the UI's thread is never held for long (serialising 10,000 pods at once takes hundreds of
 * milliseconds). Resolves to undefined, having stopped, once `superseded` says so.
 */
export async function serialiseInParts(
  snapshot: AnalystSnapshot,
  yieldTurn: YieldTurn,
  superseded: () => boolean,
): Promise<Uint8Array[] | undefined> {
  const cluster = await serialiseInTurns(snapshot.cluster, yieldTurn, superseded);
  return cluster && [serialize({ options: snapshot.options, cni: snapshot.cni }), ...cluster];
}

/** The snapshot that serialiseInParts cut into these parts. */
export function snapshotFromParts(parts: readonly Uint8Array[]): AnalystSnapshot {
  const [head, ...cluster] = parts;
  if (!head) throw new Error('the analyst was sent an empty snapshot');
  const { options, cni } = deserialize(head) as Pick<AnalystSnapshot, 'options' | 'cni'>;
  return { options, cni, cluster: valueFromParts(cluster) as Cluster };
}
