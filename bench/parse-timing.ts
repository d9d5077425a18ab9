import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, loadAll, parseEvents } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { parseManifestText } from '../src/io/manifests/parse-text.js';
import { round } from './stats.js';
import { CLUSTER_SIZES, generateCluster } from './synthetic-cluster.js';
import { writeManifests } from './write-manifests.js';

// Times the candidate manifest parsers on the large bench folder, in one process:
// `node --expose-gc dist/bench/parse-timing.js DIR` (the folder is generated when missing).
// Each candidate runs RUNS times over every file's text, already read; the median CPU time is
// printed (CPU rather than wall time: the bench machine is shared).

const RUNS = 5;
const dir = process.argv[2] ?? 'bench-out/large';

if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
  process.stderr.write(`writing the large cluster's manifests to ${dir}/\n`);
  await writeManifests(generateCluster(CLUSTER_SIZES.large), dir);
}
const texts = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => readFileSync(join(dir, name), 'utf8'));
const megabytes = texts.reduce((sum, text) => sum + text.length, 0) / 2 ** 20;

/** The same documents as JSON, one document per line, to time JSON.parse on equal content. */
const jsonTexts = texts.map((text) =>
  parseAllDocuments(text)
    .map((document) => JSON.stringify(document.toJS()))
    .join('\n---\n'),
);

const candidates: Record<string, () => number> = {
  'yaml parseAllDocuments+toJS (raw)': () =>
    texts.reduce((sum, text) => sum + parseAllDocuments(text).map((d) => d.toJS()).length, 0),
  'js-yaml loadAll CORE_SCHEMA (raw)': () =>
    texts.reduce((sum, text) => sum + loadAll(text, { schema: CORE_SCHEMA }).length, 0),
  'js-yaml parseEvents only': () =>
    texts.reduce((sum, text) => sum + parseEvents(text, {}).length, 0),
  'JSON.parse of the same documents': () =>
    jsonTexts.reduce(
      (sum, text) => sum + text.split('\n---\n').map((part) => JSON.parse(part)).length,
      0,
    ),
  'parseManifestText (the project reader)': () =>
    texts.reduce((sum, text, i) => sum + parseManifestText(text, `${i}.yaml`).objects.length, 0),
};

process.stdout.write(`${texts.length} files, ${megabytes.toFixed(1)} MB of YAML\n`);
for (const [name, run] of Object.entries(candidates)) {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i += 1) {
    globalThis.gc?.();
    const start = process.cpuUsage();
    count = run();
    const { user, system } = process.cpuUsage(start);
    times.push((user + system) / 1000);
  }
  const median = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Number.NaN;
  process.stdout.write(`${name}: median ${round(median)} ms CPU (${count} documents or events)\n`);
}
