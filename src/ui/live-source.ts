import { applyPolicy, currentPolicy } from '../io/cluster/apply-policy.js';
import { LiveCluster } from '../io/cluster/live-cluster.js';
import { type LiveFlags, loadLive } from '../io/cluster/load-live.js';
import type { SnapshotSource } from './sources.js';

/** The live cluster the flags name as the UI's source: read, then followed by watches. */
export async function openLiveSource(
  options: LiveFlags,
  env: NodeJS.ProcessEnv,
): Promise<SnapshotSource> {
  const live = await loadLive(options, env);
  return {
    initial: live,
    name: live.description,
    reload: () => loadLive(options, env),
    create: (policy, dryRun, force) => applyPolicy(live.client, policy, { dryRun, force }),
    current: (policy) => currentPolicy(live.client, policy),
    target: `context ${live.kubeconfig.contextName}`,
    watch: (listener) => {
      const watcher = new LiveCluster(live, listener);
      watcher.start();
      return () => watcher.stop();
    },
  };
}
