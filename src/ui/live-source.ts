import { applyPolicy, currentPolicy } from '../io/cluster/apply-policy.js';
import { LiveCluster } from '../io/cluster/live-cluster.js';
import { type LiveFlags, type LiveLoadListener, loadLive } from '../io/cluster/load-live.js';
import { nextEventLoopTurn, turnPacer } from './loading.js';
import type { SnapshotSource } from './sources.js';

/**
 * The live cluster the flags name as the UI's source: read (and read again) list by list, told
 * to the loading listener and paced by it, then followed by watches.
 */
export async function openLiveSource(
  options: LiveFlags,
  env: NodeJS.ProcessEnv,
  loading?: LiveLoadListener,
): Promise<SnapshotSource> {
  const live = await loadLive(options, env, undefined, undefined, loading);
  return {
    initial: live,
    name: live.description,
    reload: (heard) => loadLive(options, env, undefined, undefined, heard),
    create: (policy, dryRun, force) => applyPolicy(live.client, policy, { dryRun, force }),
    current: (policy) => currentPolicy(live.client, policy),
    target: `context ${live.kubeconfig.contextName}`,
    watch: (listener) => {
      // Set up after the frame that asked (the lists' first), which would otherwise take 20-30 ms
      // more: every object read is indexed in one turn, every watch opened in the next.
      let stopped = false;
      let watcher: LiveCluster | undefined;
      const open = async () => {
        await nextEventLoopTurn();
        if (stopped) return;
        // Each change's snapshot is normalised in turns, as the first one was.
        watcher = new LiveCluster(live, listener, undefined, turnPacer());
        await nextEventLoopTurn();
        if (!stopped) watcher.start();
      };
      void open();
      return () => {
        stopped = true;
        watcher?.stop();
      };
    },
  };
}
