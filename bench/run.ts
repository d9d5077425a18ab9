import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { measureInChild } from './child.js';
import {
  type FileQuestion,
  measureFileQuestions,
  measureMatrixToPipe,
  measureStartUp,
} from './cli-runs.js';
import type { KubeObject } from './kube-objects.js';
import { measureLive } from './live.js';
import { Random } from './prng.js';
import { CLUSTER_SIZES, generateCluster, type SizeName } from './synthetic-cluster.js';
import { measureTuiLatencyInChild } from './tui-latency.js';
import { writeManifests } from './write-manifests.js';

const OUT_DIR = 'bench-out';
const MEASURE_SCRIPT = fileURLToPath(new URL('./measure-main.js', import.meta.url));

const withLiveCluster =
  spawnSync('bash', ['-c', 'command -v go || test -x /usr/local/go/bin/go']).status === 0;

process.stderr.write('start-up: --version and __complete, as whole processes\n');
process.stdout.write(`${JSON.stringify(measureStartUp())}\n`);

/**
 * Sizes left out unless named by a flag (`--huge`): the 50,000-pod cluster takes tens of
 * minutes and some GB of disk; its matrix to a pipe is the grouped form, as its per-pair JSON
 * is tens of GB.
 */
const OPT_IN_SIZES: readonly SizeName[] = ['huge'];
const sizes = (Object.keys(CLUSTER_SIZES) as SizeName[]).filter(
  (size) => !OPT_IN_SIZES.includes(size) || process.argv.includes(`--${size}`),
);

/** Random questions asked of each folder besides the first (see fileQuestions). */
const RANDOM_QUESTIONS = 4;

/**
 * Questions a user asks of a folder: the first two pods of its first namespace, on TCP 8080,
 * then RANDOM_QUESTIONS pairs of pods drawn anywhere (seeded: the same at every run).
 */
function fileQuestions(objects: readonly KubeObject[]): FileQuestion[] {
  const pods = objects.flatMap((object) =>
    object.kind === 'Pod' ? [`${object.metadata.namespace}/${object.metadata.name}`] : [],
  );
  const [source, destination] = pods.filter((pod) => pod.startsWith(`${pods[0]?.split('/')[0]}/`));
  if (!source || !destination)
    throw new Error('the generated cluster has no two pods to ask about');
  const random = new Random(16);
  const drawn = Array.from({ length: RANDOM_QUESTIONS }, () => ({
    source: random.pick(pods),
    destination: random.pick(pods),
    port: 8080,
  }));
  return [{ source, destination, port: 8080 }, ...drawn];
}

for (const size of sizes) {
  const dir = join(OUT_DIR, size);
  process.stderr.write(`${size}: generating and writing ${dir}/\n`);
  const start = performance.now();
  const objects = generateCluster(CLUSTER_SIZES[size]);
  const files = await writeManifests(objects, dir);
  const ms = Math.round(performance.now() - start);
  process.stderr.write(`${size}: wrote ${files} files in ${ms} ms, measuring in a child process\n`);
  process.stdout.write(`${await measureInChild(size, MEASURE_SCRIPT, [size, dir])}\n`);
  process.stderr.write(`${size}: check and explain from the folder, as whole processes\n`);
  process.stdout.write(
    `${JSON.stringify(measureFileQuestions(size, dir, fileQuestions(objects)))}\n`,
  );
  const grouped = OPT_IN_SIZES.includes(size);
  process.stderr.write(`${size}: matrix -o json${grouped ? ' --group' : ''} to a pipe (wc -c)\n`);
  process.stdout.write(`${JSON.stringify(measureMatrixToPipe(size, dir, grouped))}\n`);
}

// Key-to-frame latency of the interactive UI on the large cluster, in its own process.
process.stderr.write('tui-large: measuring key-to-frame latency in a child process\n');
process.stdout.write(`${await measureTuiLatencyInChild(join(OUT_DIR, 'large'))}\n`);

// The live measurement needs the test API server, built from Go modules.
if (withLiveCluster) {
  process.stdout.write(`${await measureLive('large', generateCluster(CLUSTER_SIZES.large))}\n`);
} else {
  process.stderr.write('live: skipped, Go is not installed to build the test API server\n');
}
