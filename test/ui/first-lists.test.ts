import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CLUSTER_SIZES, generateCluster } from '../../bench/synthetic-cluster.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { nextEventLoopTurn } from '../../src/ui/loading.js';
import { provisionalView } from '../../src/ui/provisional-view.js';
import { snapshotNames } from '../../src/ui/snapshot-names.js';

/** The bench's 1,000-pod cluster, normalised afresh (a new object each call). */
function smallCluster() {
  const objects = generateCluster(CLUSTER_SIZES.small);
  return normalizeObjects(
    objects.map((object, i) => ({ object, location: { file: 'small', item: i + 1 } })),
  ).cluster;
}

describe("the lists' first frame, worked out ahead in turns of the event loop", () => {
  it('is what the frame would work out itself, and the frame then finds it ready', async () => {
    const cluster = smallCluster();
    const names = await snapshotNames.inTurns(cluster, nextEventLoopTurn);
    const view = await provisionalView.inTurns(cluster, nextEventLoopTurn);
    const twin = smallCluster();
    expect(names).toEqual(snapshotNames.now(twin));
    expect(view).toEqual(provisionalView.now(twin));
    expect(view.namespaces.reduce((pods, row) => pods + row.pods, 0)).toBe(cluster.pods.length);
    // The App's render asks for them at once: it gets these, without working them out again.
    expect(snapshotNames.now(cluster)).toBe(names);
    expect(provisionalView.now(cluster)).toBe(view);
  });

  it('reads a key typed while it works before it is done, as the held keys are read', async () => {
    const cluster = smallCluster();
    const order: string[] = [];
    // A message between threads is read when the event loop polls, as a key is.
    const { port1, port2 } = new MessageChannel();
    port2.on('message', () => order.push('key read'));
    port1.postMessage('j');
    await snapshotNames.inTurns(cluster, nextEventLoopTurn);
    order.push('names ready');
    port1.postMessage('k');
    await provisionalView.inTurns(cluster, nextEventLoopTurn);
    order.push('view ready');
    port2.close();
    expect(order).toEqual(['key read', 'names ready', 'key read', 'view ready']);
  });
});
