import { describe, expect, it } from 'vitest';
import { CLUSTER_SIZES, generateCluster } from '../../bench/synthetic-cluster.js';
import type { Cluster } from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import type { AnalystSnapshot } from '../../src/ui/analyst/questions.js';
import { serialiseInParts, snapshotFromParts } from '../../src/ui/analyst/snapshot-parts.js';

/** A snapshot of a cluster as the UI hands it to the analyst. */
const snapshotOf = (cluster: Cluster, options: AnalystSnapshot['options']): AnalystSnapshot => ({
  cluster,
  options,
});

/** The bench's 1,000-pod cluster: long enough to serialise that it takes several turns. */
function smallSnapshot(): AnalystSnapshot {
  const objects = generateCluster(CLUSTER_SIZES.small);
  const { cluster } = normalizeObjects(
    objects.map((object, i) => ({ object, location: { file: 'small', item: i + 1 } })),
  );
  return snapshotOf(cluster, { podCidr: ['10.0.0.0/8'], assumeEnforced: true });
}

/**
 * The 1,000-pod snapshot with its pods listed twenty times over: serialising it takes far longer
 * than one turn's budget on any machine (the 1,000 pods alone take about 10 ms, near the budget).
 */
function longSnapshot(): AnalystSnapshot {
  const snapshot = smallSnapshot();
  const { pods } = snapshot.cluster;
  return {
    ...snapshot,
    cluster: { ...snapshot.cluster, pods: Array.from({ length: 20 }, () => pods).flat() },
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('a snapshot serialised in parts for the analyst', () => {
  it('comes back whole: every list in order, the options and the network plugin', async () => {
    for (const snapshot of [snapshotOf(loadDemo().cluster, {}), smallSnapshot()]) {
      const parts = await serialiseInParts(snapshot, turn, () => false);
      if (!parts) throw new Error('the snapshot was not serialised');
      expect(snapshotFromParts(parts)).toEqual(snapshot);
    }
  });

  it('hands the event loop back between parts, and stops once a newer snapshot supersedes it', async () => {
    const snapshot = longSnapshot();
    let turns = 0;
    const counted = () => {
      turns++;
      return turn();
    };
    await serialiseInParts(snapshot, counted, () => false);
    expect(turns).toBeGreaterThan(0);

    let superseded = false;
    const stopped = await serialiseInParts(
      snapshot,
      () => {
        superseded = true;
        return turn();
      },
      () => superseded,
    );
    expect(stopped).toBeUndefined();
  });

  it('says so when there is nothing to rebuild a snapshot from', () => {
    expect(() => snapshotFromParts({ chunks: [], spans: [] })).toThrow(/empty snapshot/);
  });
});
