import { LiveCluster } from '../../src/io/cluster/live-cluster.js';
import { loadLive } from '../../src/io/cluster/load-live.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';

/** What a watch saw: whether a snapshot met the condition in time, and the watch errors. */
export interface WatchOutcome {
  readonly seen: boolean;
  readonly errors: readonly string[];
}

/**
 * Starts watching the cluster as the UI does, makes a change, and waits (up to `timeoutMs`)
 * for a snapshot that meets the condition; the watch is stopped either way.
 */
export async function watchUntil(
  kubeconfig: string,
  change: () => void,
  seen: (snapshot: LoadedInput) => boolean,
  timeoutMs = 20_000,
): Promise<WatchOutcome> {
  const live = await loadLive({ kubeconfig }, {});
  const snapshots: LoadedInput[] = [];
  const errors: string[] = [];
  const watcher = new LiveCluster(live, {
    onSnapshot: (input) => snapshots.push(input),
    onWatchError: (message) => errors.push(message),
  });
  watcher.start();
  try {
    change();
    const deadline = Date.now() + timeoutMs;
    while (!snapshots.some(seen) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return { seen: snapshots.some(seen), errors };
  } finally {
    watcher.stop();
  }
}
