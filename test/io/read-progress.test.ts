import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ManifestCache } from '../../src/io/files/manifest-cache.js';
import { type ReadProgress, readManifests } from '../../src/io/manifests/read-paths.js';
import { loadingDrawer, loadingText } from '../../src/ui/loading.js';

/** A folder of manifests: two good files, one with a malformed document, and a missing path. */
function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-progress-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'a.yaml'), 'kind: Namespace\napiVersion: v1\nmetadata: {name: a}\n');
  writeFileSync(join(dir, 'sub', 'b.yaml'), 'kind: Pod\napiVersion: v1\nmetadata: {name: p}\n');
  writeFileSync(join(dir, 'bad.yaml'), 'kind: [unclosed\n');
  const files = [join(dir, 'a.yaml'), join(dir, 'bad.yaml'), join(dir, 'sub', 'b.yaml')];
  return { dir, files, missing: join(dir, 'missing.yaml') };
}

describe('reading manifests file by file', () => {
  it('tells after each file how many files and bytes are read, of all found', async () => {
    const { dir, files } = folder();
    const sizes = files.map((file) => statSync(file).size);
    const heard: ReadProgress[] = [];
    await readManifests(
      [dir],
      async () => '',
      (progress) => {
        heard.push(progress);
      },
    );
    const total = sizes.reduce((sum, size) => sum + size, 0);
    expect(heard).toEqual(
      files.map((_, i) => ({
        filesRead: i + 1,
        files: 3,
        bytesRead: sizes.slice(0, i + 1).reduce((sum, size) => sum + size, 0),
        bytes: total,
      })),
    );
  });

  it('reads exactly what it reads without a listener: objects, findings in order, files', async () => {
    const { dir, missing } = folder();
    const paths = [missing, dir, join(dir, 'a.yaml')];
    const plain = await readManifests(paths, async () => '');
    const paced = await readManifests(
      paths,
      async () => '',
      () => new Promise(setImmediate),
    );
    expect(paced).toEqual(plain);
    // The missing path's finding comes first, then the malformed document's, as listed.
    expect(plain.findings.map((f) => [f.code, f.location?.file])).toEqual([
      ['unreadable', missing],
      [expect.any(String), join(dir, 'bad.yaml')],
    ]);
    expect(plain.objects).toHaveLength(3);
  });

  it('waits for the listener before reading the next file', async () => {
    const { dir } = folder();
    const order: string[] = [];
    await readManifests(
      [dir],
      async () => '',
      async (progress) => {
        order.push(`heard ${progress.filesRead}`);
        await new Promise(setImmediate);
        order.push(`resumed ${progress.filesRead}`);
      },
    );
    expect(order).toEqual(['heard 1', 'resumed 1', 'heard 2', 'resumed 2', 'heard 3', 'resumed 3']);
  });
});

/** A file of four Pods, one document each. */
function fourPods() {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-pods-'));
  const file = join(dir, 'pods.yaml');
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\n`;
  writeFileSync(file, ['a', 'b', 'c', 'd'].map(pod).join('---\n'));
  return { dir, file };
}

/** What a paced read of the paths does, in order: each pause and each object handed on. */
async function pacedRead(paths: readonly string[], cache?: ManifestCache) {
  const heard: string[] = [];
  const pace = async () => {
    heard.push('pause');
  };
  const take = (object: { location: { document?: number } }) => {
    heard.push(`object ${object.location.document}`);
  };
  await readManifests(paths, async () => '', undefined, take, cache, pace);
  return heard;
}

describe('reading a file in steps', () => {
  const betweenDocuments = [
    ...['pause', 'pause', 'pause', 'pause'],
    ...['object 1', 'pause', 'object 2', 'pause', 'object 3', 'pause', 'object 4', 'pause'],
  ];

  it('pauses after each document it parses and each object it hands on', async () => {
    expect(await pacedRead([fourPods().file])).toEqual(betweenDocuments);
  });

  it('pauses as often parsing through the cache and reading its entry', async () => {
    const { dir, file } = fourPods();
    const cacheDir = join(dir, 'cache');
    expect(await pacedRead([file], new ManifestCache({ dir: cacheDir }))).toEqual(betweenDocuments);
    const [entry = ''] = readdirSync(cacheDir);
    const written = statSync(join(cacheDir, entry)).ino;
    // The entry written above is read (not parsed and written again): a document a step.
    expect(await pacedRead([file], new ManifestCache({ dir: cacheDir }))).toEqual(betweenDocuments);
    expect(statSync(join(cacheDir, entry)).ino).toBe(written);
  });

  it('reads the same objects and findings, in order, paced or not, cached or not', async () => {
    const { dir, missing } = folder();
    writeFileSync(join(dir, 'pods.yaml'), readFileSync(fourPods().file));
    const paths = [missing, dir];
    const pace = () => new Promise<void>(setImmediate);
    const plain = await readManifests(paths, async () => '');
    expect(plain.objects).toHaveLength(6);
    const cacheDir = join(dir, 'cache');
    for (let run = 0; run < 2; run++) {
      const cache = new ManifestCache({ dir: cacheDir });
      const paced = await readManifests(paths, async () => '', undefined, undefined, cache, pace);
      expect(paced).toEqual(plain);
    }
    expect(
      await readManifests(paths, async () => '', undefined, undefined, undefined, pace),
    ).toEqual(plain);
  });
});

describe('loadingText', () => {
  it('says how far the read has come, in files and megabytes, then that it normalises', () => {
    const progress = { filesRead: 120, files: 445, bytesRead: 3_100_000, bytes: 7_340_000 };
    expect(loadingText({ kind: 'reading', progress })).toBe(
      'reading manifests: 120 of 445 files, 3.1 of 7.3 MB',
    );
    expect(loadingText({ kind: 'normalising', objects: 12_200 })).toBe(
      'read; normalising 12,200 objects…',
    );
    expect(loadingText(undefined)).toBe('loading…');
  });
});

describe('the loading screen drawer', () => {
  it('draws at once, then at most once an interval, the latest stage last, and nothing after cancel', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const drawn: string[] = [];
    const drawer = loadingDrawer((stage) => drawn.push(loadingText(stage)), 50);
    const reading = (filesRead: number) =>
      ({ kind: 'reading', progress: { filesRead, files: 9, bytesRead: 0, bytes: 0 } }) as const;
    drawer.soon(reading(1));
    drawer.soon(reading(2));
    drawer.soon(reading(3));
    expect(drawn).toEqual(['reading manifests: 1 of 9 files, 0.0 of 0.0 MB']);
    vi.advanceTimersByTime(50);
    // The read waiting on a file still shows the last file read.
    expect(drawn.at(-1)).toBe('reading manifests: 3 of 9 files, 0.0 of 0.0 MB');
    drawer.soon(reading(4));
    drawer.now({ kind: 'normalising', objects: 12 });
    vi.advanceTimersByTime(100);
    // The stage drawn now is not overdrawn by the reading still pending.
    expect(drawn).toHaveLength(3);
    expect(drawn.at(-1)).toBe('read; normalising 12 objects…');
    drawer.cancel();
    drawer.soon(reading(5));
    drawer.soon(reading(6));
    drawer.cancel();
    vi.advanceTimersByTime(100);
    expect(drawn.at(-1)).toBe('reading manifests: 5 of 9 files, 0.0 of 0.0 MB');
  });
});
