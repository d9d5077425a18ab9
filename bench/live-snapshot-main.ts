import { performance } from 'node:perf_hooks';
import { compileCluster, computeMatrix } from '../src/engine/index.js';
import { LiveCluster } from '../src/io/cluster/live-cluster.js';
import { loadLive } from '../src/io/cluster/load-live.js';
import { round } from './stats.js';

// Child process of the live benchmark: `live-snapshot-main.js KUBECONFIG EXPECTED_EXTRA_POLICIES`.
// Prints one JSON line when the first snapshot is usable, then one when the watch has seen
// the extra policies the parent creates meanwhile.
const [kubeconfig, extraText] = process.argv.slice(2);
const rssMb = () => round(process.resourceUsage().maxRSS / 1024);

const live = await loadLive({ kubeconfig: kubeconfig as string }, {});
const listedMs = performance.now();
const analysis = compileCluster(live.cluster);
const firstSnapshotMs = performance.now();
process.stdout.write(
  `${JSON.stringify({ pods: analysis.pods.length, policies: analysis.policies.length, listedMs: round(listedMs), firstSnapshotMs: round(firstSnapshotMs) })}\n`,
);

const wanted = analysis.policies.length + Number(extraText);
const watchStart = performance.now();
await new Promise<void>((resolve) => {
  const watcher = new LiveCluster(live, {
    onSnapshot: (input) => {
      // What the TUI does on every update: recompile and recompute the matrix.
      const updated = compileCluster(input.cluster);
      computeMatrix(updated);
      if (updated.policies.length >= wanted) {
        watcher.stop();
        resolve();
      }
    },
    onWatchError: (message) => process.stderr.write(`  watch: ${message}\n`),
  });
  watcher.start();
});
process.stdout.write(
  `${JSON.stringify({ watchSawChangesMs: round(performance.now() - watchStart), peakRssMb: rssMb() })}\n`,
);
