import { describe, expect, it } from 'vitest';
import { ApiError, UnreachableError, type WatchEvent } from '../../src/io/cluster/api-client.js';
import { LiveCluster, type Timers } from '../../src/io/cluster/live-cluster.js';
import type { LiveInput } from '../../src/io/cluster/load-live.js';
import { SNAPSHOT_RESOURCES } from '../../src/io/cluster/resources.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';

const POLICIES = SNAPSHOT_RESOURCES.find((r) => r.kind === 'NetworkPolicy');

const policy = (name: string, resourceVersion: string) => ({
  metadata: { name, namespace: 'x', resourceVersion },
  spec: { podSelector: {} },
});

/** Timers that fire only when the test says so, remembering each delay asked for. */
class ManualTimers implements Timers {
  readonly delays: number[] = [];
  private queue: (() => void)[] = [];
  setTimeout(fn: () => void, ms: number) {
    this.delays.push(ms);
    this.queue.push(fn);
    return fn;
  }
  clearTimeout(handle: unknown) {
    this.queue = this.queue.filter((fn) => fn !== handle);
  }
  fireAll() {
    const due = this.queue;
    this.queue = [];
    for (const fn of due) fn();
  }
}

/** A fake API client whose watch answers come from a script, one per call. */
function fakeLive(
  watchScript: ((onEvent: (e: WatchEvent) => void) => Promise<void>)[],
  relistItems: unknown[],
) {
  const calls = { watch: [] as string[], list: 0, closed: 0 };
  const client = {
    watch: (_path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void) => {
      calls.watch.push(resourceVersion);
      const step = watchScript.shift();
      return step ? step(onEvent) : new Promise<void>(() => {});
    },
    list: async () => {
      calls.list++;
      return { items: relistItems, resourceVersion: '50' };
    },
    closeConnections: () => {
      calls.closed++;
    },
  };
  const live = {
    client,
    kubeconfig: { contextName: 'test' },
    read: {
      findings: [],
      unread: [],
      scopes: [{ resource: POLICIES, resourceVersion: '10', items: [policy('old', '10')] }],
    },
  } as unknown as LiveInput;
  return { live, calls };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LiveCluster keeps the snapshot current', () => {
  it('applies watch events and publishes one debounced snapshot', async () => {
    const { live } = fakeLive(
      [
        async (onEvent) => {
          onEvent({ type: 'ADDED', object: policy('new', '11') });
          onEvent({ type: 'DELETED', object: policy('old', '12') });
          await new Promise(() => {});
        },
      ],
      [],
    );
    const timers = new ManualTimers();
    const snapshots: LoadedInput[] = [];
    const watcher = new LiveCluster(
      live,
      { onSnapshot: (s) => snapshots.push(s), onWatchError: () => {} },
      timers,
    );
    watcher.start();
    await tick();
    expect(snapshots).toEqual([]);
    timers.fireAll();
    expect(snapshots.map((s) => s.cluster.policies.map((p) => p.name))).toEqual([['new']]);
    watcher.stop();
  });

  /**
   * A LiveCluster paced by a pacer that counts its pauses, whose watch adds one policy to the one
   * read, its debounce timer fired: the publication is under way.
   */
  async function pacedChange() {
    const { live } = fakeLive(
      [
        async (onEvent) => {
          onEvent({ type: 'ADDED', object: policy('new', '11') });
          await new Promise(() => {});
        },
      ],
      [],
    );
    const timers = new ManualTimers();
    const snapshots: LoadedInput[] = [];
    const paced = { paces: 0 };
    const watcher = new LiveCluster(
      live,
      { onSnapshot: (s) => snapshots.push(s), onWatchError: () => {} },
      timers,
      async () => {
        paced.paces++;
        await tick();
      },
    );
    watcher.start();
    await tick();
    timers.fireAll();
    return { watcher, snapshots, paced };
  }

  it('with a pacer, normalises each change object by object and publishes what snapshot() gives', async () => {
    const { watcher, snapshots, paced } = await pacedChange();
    // Not in the timer's turn: after a pause per object (the two policies).
    expect(snapshots).toEqual([]);
    while (snapshots.length === 0) await tick();
    expect(paced.paces).toBe(2);
    expect(snapshots).toEqual([watcher.snapshot()]);
    expect(snapshots[0]?.cluster.policies.map((p) => p.name)).toEqual(['old', 'new']);
    watcher.stop();
  });

  it('publishes nothing a pacer was still normalising when stopped', async () => {
    const { watcher, snapshots, paced } = await pacedChange();
    watcher.stop();
    while (paced.paces < 2) await tick();
    await tick();
    expect(snapshots).toEqual([]);
  });

  it('relists when the resourceVersion has expired (410 Gone) and watches from the new one', async () => {
    const { live, calls } = fakeLive(
      [async () => Promise.reject(new ApiError(410, 'Expired', 'too old resource version'))],
      [policy('relisted', '50')],
    );
    const timers = new ManualTimers();
    const snapshots: LoadedInput[] = [];
    const watcher = new LiveCluster(
      live,
      { onSnapshot: (s) => snapshots.push(s), onWatchError: () => {} },
      timers,
    );
    watcher.start();
    await tick();
    timers.fireAll();
    expect(calls.list).toBe(1);
    expect(calls.watch).toEqual(['10', '50']);
    expect(snapshots.at(-1)?.cluster.policies.map((p) => p.name)).toEqual(['relisted']);
    watcher.stop();
    // The relist's keep-alive connection does not outlive the watches.
    expect(calls.closed).toBe(1);
  });

  it('reports a lost watch and retries with doubling backoff', async () => {
    const refused = async () =>
      Promise.reject(new UnreachableError('cannot reach https://k: connection refused'));
    // The server still holds what the first list read: relisting publishes nothing new.
    const { live, calls } = fakeLive([refused, refused], [policy('old', '10')]);
    const timers = new ManualTimers();
    const errors: string[] = [];
    const watcher = new LiveCluster(
      live,
      { onSnapshot: () => {}, onWatchError: (m) => errors.push(m) },
      timers,
    );
    watcher.start();
    await tick();
    expect(errors).toEqual([
      'watch of networkpolicies lost (cannot reach https://k: connection refused); retrying in 1s',
    ]);
    timers.fireAll();
    await tick();
    expect(errors[1]).toContain('retrying in 2s');
    expect(timers.delays).toEqual([1000, 2000]);
    timers.fireAll();
    await tick();
    expect(calls.watch).toHaveLength(3);
    watcher.stop();
  });

  it('after a lost watch, lists again and reports the watch recovered when the server answers', async () => {
    const refused = async () =>
      Promise.reject(new UnreachableError('cannot reach https://k: connection refused'));
    const { live, calls } = fakeLive([refused], [policy('old', '10'), policy('missed', '12')]);
    const timers = new ManualTimers();
    const events: string[] = [];
    const snapshots: LoadedInput[] = [];
    const watcher = new LiveCluster(
      live,
      {
        onSnapshot: (s) => snapshots.push(s),
        onWatchError: (_message, watch) => events.push(`lost ${watch}`),
        onWatchRecovered: (watch) => events.push(`recovered ${watch}`),
      },
      timers,
    );
    watcher.start();
    await tick();
    expect(events).toEqual(['lost networkpolicies']);
    timers.fireAll(); // the backoff
    await tick();
    expect(events).toEqual(['lost networkpolicies', 'recovered networkpolicies']);
    expect(calls.list).toBe(1);
    expect(calls.watch).toEqual(['10', '50']);
    timers.fireAll(); // the debounced snapshot, with what changed while the watch was down
    expect(snapshots.at(-1)?.cluster.policies.map((p) => p.name)).toEqual(['old', 'missed']);
    watcher.stop();
  });
});
