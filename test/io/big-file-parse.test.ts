import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  hugeConfigMap,
  hugeCustomResourceDefinition,
  hugePodAnnotations,
  hugeSecret,
} from '../../bench/huge-objects.js';
import { ManifestCache } from '../../src/io/files/manifest-cache.js';
import { PIECE_WEIGHT } from '../../src/io/files/parse-messages.js';
import { loadManifests } from '../../src/io/load-input.js';
import { FieldPlaces } from '../../src/io/manifests/field-places.js';
import { readManifests } from '../../src/io/manifests/read-paths.js';

type ParserModule = typeof import('../../src/io/files/off-thread-parser.js');
/** The built parser, whose worker is the built parse-worker-main.js (npm run build first). */
const BUILT = new URL('../../dist/src/io/files/off-thread-parser.js', import.meta.url).href;
const { OFF_THREAD_BYTES, OffThreadParser } = (await import(BUILT)) as ParserModule;

const noStdin = async () => '';
const noPace = async () => {};
const ITEMS = 3_000;
/** Nodes of a bigList pod: itself, apiVersion, kind, metadata (name, namespace, labels: app, canary), status (phase, podIP). */
const POD_NODES = 13;

/**
 * A `kubectl get -o yaml` dump over OFF_THREAD_BYTES as ONE document, a List of pods (one with
 * an unquoted `yes`, a YAML 1.1 boolean), then a malformed document; and a small file beside.
 */
function bigList() {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-big-'));
  const pod = (i: number) =>
    `  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: pod-${i}\n      namespace: shop\n` +
    `      labels: {app: web, canary: ${i === 7 ? 'yes' : '"no"'}}\n` +
    `    status: {phase: Running, podIP: 10.1.${i >> 8}.${i & 255}}\n`;
  const items = Array.from({ length: ITEMS }, (_, i) => pod(i)).join('');
  const big = join(dir, 'all.yaml');
  writeFileSync(big, `apiVersion: v1\nkind: List\nitems:\n${items}---\nkind: [unclosed\n`);
  expect(statSync(big).size).toBeGreaterThan(OFF_THREAD_BYTES);
  writeFileSync(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
  return { dir, big };
}

/** A paced read's pause that counts itself. */
function countedPace() {
  const pace = async () => {
    pace.count++;
  };
  pace.count = 0;
  return pace;
}

const BYTES = 2 * OFF_THREAD_BYTES;

/**
 * A folder of single huge objects, each file over OFF_THREAD_BYTES: a ConfigMap with an
 * unquoted `yes` (a YAML 1.1 boolean) and a malformed document after it, a Secret, a Pod with
 * thousands of annotations and a misspelt field, a CustomResourceDefinition's deep schema.
 */
function hugeObjects(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-huge-'));
  const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
  const configMap = hugeConfigMap('shop', BYTES);
  configMap.data.enabled = 'yes';
  write('configmap.yaml', `${stringify(configMap, { lineWidth: 0 })}---\nkind: [unclosed\n`);
  write('secret.yaml', stringify(hugeSecret('shop', BYTES), { lineWidth: 0 }));
  const pod = hugePodAnnotations('shop', BYTES);
  const misspelt = { ...pod.metadata, labelz: { tier: 'web' } };
  write('pod.yaml', stringify({ ...pod, metadata: misspelt }, { lineWidth: 0 }));
  write('crd.yaml', stringify(hugeCustomResourceDefinition(BYTES), { lineWidth: 0 }));
  write('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
  return dir;
}

/** A paced read of `paths` whose big files `bigFiles` parses. */
function readOffThread(
  paths: string[],
  pace: () => Promise<void>,
  bigFiles: InstanceType<typeof OffThreadParser>,
) {
  return readManifests(paths, noStdin, undefined, undefined, undefined, pace, bigFiles);
}

describe('a big file read for the UI', () => {
  it('is parsed off the UI thread and taken back a few List items a turn, read as the commands read it', async () => {
    const { dir } = bigList();
    const plain = await readManifests([dir], noStdin);
    const pace = countedPace();
    const paced = await readManifests(
      [dir],
      noStdin,
      undefined,
      undefined,
      undefined,
      pace,
      new OffThreadParser(undefined),
    );
    expect(paced).toEqual(plain);
    // Every finding is there, located: the YAML 1.1 word (item 7's labels, 7 lines an item
    // after 3) and the malformed document.
    expect(plain.findings.map((f) => [f.code, f.location?.document, f.location?.line])).toEqual([
      ['yaml11-boolean', 1, 3 + 7 * 7 + 6],
      ['malformed-document', 2, ITEMS * 7 + 5],
    ]);
    // Parsed on the UI thread, the List was one step: the event loop could not turn in it.
    expect(pace.count).toBeGreaterThan((ITEMS * POD_NODES) / PIECE_WEIGHT);
  });

  it('is parsed off the UI thread when it comes on a stream (stdin, a FIFO), not a regular file', async () => {
    const { big } = bigList();
    const stdin = async () => readFileSync(big, 'utf8');
    const pace = countedPace();
    const parser = new OffThreadParser(undefined);
    const paced = await readManifests(['-'], stdin, undefined, undefined, undefined, pace, parser);
    expect(paced).toEqual(await readManifests(['-'], stdin));
    expect(pace.count).toBeGreaterThan((ITEMS * POD_NODES) / PIECE_WEIGHT);
  });

  it('normalises a List an item a step, to what the commands load', async () => {
    const { dir } = bigList();
    const pace = countedPace();
    const loaded = await loadManifests([dir], noStdin, { keepObjects: true, pace });
    expect(loaded).toEqual(await loadManifests([dir], noStdin, { keepObjects: true }));
    expect(loaded.cluster.pods).toHaveLength(ITEMS);
    expect(pace.count).toBeGreaterThanOrEqual(ITEMS);
  });

  it('writes and reads the manifest cache from its worker, the same entry a command reads', async () => {
    const { dir, big } = bigList();
    const cacheDir = join(dir, 'cache');
    const plain = await readManifests([big], noStdin);
    // The big file is the worker's alone: the UI thread's cache is not given to the read.
    const readOffThread = async () => {
      const parser = new OffThreadParser(new ManifestCache({ dir: cacheDir }).settings);
      const pace = async () => {};
      return readManifests([big], noStdin, undefined, undefined, undefined, pace, parser);
    };
    expect(await readOffThread()).toEqual(plain);
    const [entry = ''] = readdirSync(cacheDir);
    const written = statSync(join(cacheDir, entry)).ino;
    expect(await readOffThread()).toEqual(plain);
    // The entry was read, not written again, and a command's read on the UI thread finds it.
    const command = new ManifestCache({ dir: cacheDir });
    expect(await readManifests([big], noStdin, undefined, undefined, command)).toEqual(plain);
    expect(readdirSync(cacheDir)).toEqual([entry]);
    expect(statSync(join(cacheDir, entry)).ino).toBe(written);
  });

  it('of small documents is normalised once, on the UI thread, which locates their fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-documents-'));
    const pod = (i: number) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: shop\n` +
      `  ${i === 7 ? 'labelz' : 'labels'}: {app: web}\nstatus: {podIP: 10.1.${i >> 8}.${i & 255}}\n`;
    const file = join(dir, 'pods.yaml');
    writeFileSync(file, Array.from({ length: ITEMS }, (_, i) => pod(i)).join('---\n'));
    expect(statSync(file).size).toBeGreaterThan(OFF_THREAD_BYTES);
    const parser = new OffThreadParser(undefined);
    const parsed = await parser.parse(readFileSync(file), file, noPace);
    parser.finish();
    // The worker did not normalise the Pods to find which fields to locate: it located none.
    expect(parsed?.objects).toHaveLength(ITEMS);
    expect(parsed?.located).toEqual([]);
    const bigFiles = new OffThreadParser(undefined);
    const paced = await loadManifests([dir], noStdin, {
      keepObjects: true,
      pace: noPace,
      bigFiles,
    });
    expect(paced).toEqual(await loadManifests([dir], noStdin, { keepObjects: true }));
    const labelz = readFileSync(file, 'utf8').split('\n').indexOf('  labelz: {app: web}') + 1;
    const unknown = paced.findings.filter((finding) => finding.code === 'unknown-field');
    expect(unknown.map((f) => [f.location?.line, f.location?.column])).toEqual([[labelz, 3]]);
  });

  it('is parsed on the UI thread, with a note, when the worker fails, and the rest is read', async () => {
    const { dir, big } = bigList();
    const notes: string[] = [];
    const dying = new OffThreadParser(
      undefined,
      (text) => notes.push(text),
      () => new Worker('process.exit(3)', { eval: true }),
    );
    const pace = async () => {};
    const read = await readManifests([dir], noStdin, undefined, undefined, undefined, pace, dying);
    expect(read).toEqual(await readManifests([dir], noStdin));
    expect(notes).toEqual([`${big}: not parsed off the UI's thread: the parse worker exited (3)`]);
  });
});

describe('a huge object that is not a List, read for the UI', () => {
  it('loads as the commands load it: the same cluster, objects, and located findings', async () => {
    const dir = hugeObjects();
    const podLine = (line: string) =>
      readFileSync(join(dir, 'pod.yaml'), 'utf8').split('\n').indexOf(line) + 1;
    const plain = await loadManifests([dir], noStdin, { keepObjects: true });
    const pace = countedPace();
    const bigFiles = new OffThreadParser(undefined);
    const paced = await loadManifests([dir], noStdin, { keepObjects: true, pace, bigFiles });
    expect(paced).toEqual(plain);
    expect(plain.cluster.pods.map((pod) => pod.name)).toEqual(['annotated']);
    // The YAML view's Pod has every annotation.
    const annotations = (object: Record<string, unknown> | undefined) =>
      Object.keys((object?.metadata as { annotations?: object } | undefined)?.annotations ?? {});
    expect(annotations(paced.objects.get('Pod shop/annotated'))).toEqual(
      annotations(hugePodAnnotations('shop', BYTES)),
    );
    expect(plain.findings.map((f) => [f.code, f.location?.file, f.location?.line])).toEqual([
      ['yaml11-boolean', join(dir, 'configmap.yaml'), expect.any(Number)],
      ['malformed-document', join(dir, 'configmap.yaml'), expect.any(Number)],
      ['unknown-field', join(dir, 'pod.yaml'), podLine('  labelz:')],
      ['unknown-kind', undefined, undefined],
      ['unknown-kind', undefined, undefined],
      ['unknown-kind', undefined, undefined],
    ]);
  });

  it("comes with its fields' places: the UI thread finds an unknown field without parsing it again", async () => {
    const dir = hugeObjects();
    const file = join(dir, 'pod.yaml');
    const text = readFileSync(file, 'utf8');
    const parsed = await new OffThreadParser(undefined).parse(readFileSync(file), file, noPace);
    const [pod] = parsed?.objects ?? [];
    if (!pod) throw new Error('the worker parsed no Pod');
    // The UI thread's FieldPlaces answers from what the worker located: its text is never read.
    const unread = new FieldPlaces(() => {
      throw new Error('the text was read again to locate a field');
    }, parsed?.located);
    const labelz = text.split('\n').indexOf('  labelz:') + 1;
    expect(labelz).toBeGreaterThan(2_000);
    expect(unread.locate(pod.location, 'metadata.labelz', 'key')).toEqual({
      ...pod.location,
      line: labelz,
      column: 3,
    });
  });

  it('comes a run of its entries a turn: a Pod with 12,000 annotations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-huge-'));
    const pod = hugePodAnnotations('shop', 2.4e6);
    const count = Object.keys(pod.metadata.annotations).length;
    expect(count).toBeGreaterThan(12_000);
    writeFileSync(join(dir, 'pod.yaml'), stringify(pod, { lineWidth: 0 }));
    const pace = countedPace();
    const bigFiles = new OffThreadParser(undefined);
    const read = await readOffThread([dir], pace, bigFiles);
    expect(read).toEqual(await readManifests([dir], noStdin));
    // Each annotation weighs a node at least: a run holds PIECE_WEIGHT of them at most.
    expect(pace.count).toBeGreaterThan(count / PIECE_WEIGHT);
  });

  it('comes to the UI thread cut to its header when the analysis ignores its kind', async () => {
    const dir = hugeObjects();
    const pace = async () => {};
    const bigFiles = new OffThreadParser(undefined);
    const read = await readOffThread([dir], pace, bigFiles);
    const taken = read.objects.map((o) => o.object as Record<string, unknown>);
    expect(taken.filter((o) => o.kind !== 'Pod' && o.kind !== 'Namespace')).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dashboards', namespace: 'shop' } },
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
      },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bundle', namespace: 'shop' } },
    ]);
  });
});
