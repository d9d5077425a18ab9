import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestCacheDir } from '../../src/io/files/cache-dir.js';
import { CACHE_FORMAT, ManifestCache } from '../../src/io/files/manifest-cache.js';
import { loadManifests } from '../../src/io/load-input.js';
import { type ParsedManifests, parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { runSteps } from '../../src/steps.js';
import { runCli } from '../helpers/cli.js';
import { spawnCollected } from '../helpers/spawn-collected.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-cache-test-'));
  made.push(dir);
  return dir;
}

/** A file's parse through a cache, every step at once. */
function parsedBy(cache: ManifestCache, bytes: Buffer, file: string): ParsedManifests {
  return runSteps(cache.parse(bytes, file));
}

/** The parse of `text` read a first time through a fresh cache, and a second time from it. */
function coldAndWarm(text: string, file: string, dir = tempDir()) {
  const bytes = Buffer.from(text, 'utf8');
  const cold = parsedBy(new ManifestCache({ dir }), bytes, file);
  const warm = parsedBy(new ManifestCache({ dir }), bytes, file);
  return { cold, warm, entries: readdirSync(dir) };
}

/** What the analysis gets from a parse: the normalised cluster, findings, locations, objects. */
function analysed(parsed: ParsedManifests) {
  const normalized = normalizeObjects(parsed.objects);
  return JSON.stringify({
    ...normalized,
    locations: [...normalized.locations],
    objects: [...normalized.objects],
    read: parsed.findings,
  });
}

/**
 * Who the built CLI runs as in these tests: root ignores permission bits, so a test running as
 * root starts it as nobody (65534), whom they hold back; anyone else starts it as themselves.
 */
const CHILD = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

/** A temporary directory the CLI's user owns and may read and write (but no one else). */
function childsDir(): string {
  const dir = tempDir();
  if (CHILD) chownSync(dir, CHILD.uid, CHILD.gid);
  return dir;
}

/** A temporary directory of manifest files anyone may read. */
function readableManifests(files: Record<string, string>): string {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** What the built CLI (bin/kubectl-netpol) prints, run in its own process as CHILD's user. */
function runBuilt(args: readonly string[]) {
  return spawnCollected(process.execPath, ['bin/kubectl-netpol', ...args], {
    env: { ...process.env, HOME: '/nonexistent-home' },
    ...CHILD,
  });
}

function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ya?ml|json)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  ownerReferences: [{kind: Deployment, name: api, uid: u1}, 7]
data:
  password: c2VjcmV0LXBhc3N3b3JkLTQyCg==
stringData:
  token: very-secret-token-42
`;

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {dsn: "postgres://admin:hunter2-42@db/shop"}
`;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: api, image: api:1, ports: [{containerPort: 8080, name: http}]}]}
status: {podIP: 10.0.0.7}
`;

describe('manifest cache: a cached parse reads as the parse', () => {
  it('gives the same parse, findings and locations as parsing, for every fixture', () => {
    const dir = tempDir();
    for (const file of manifestFiles('test/fixtures')) {
      const text = readFileSync(file, 'utf8');
      const direct = parseManifestText(text, file);
      const { cold, warm } = coldAndWarm(text, file, dir);
      expect(cold).toStrictEqual(direct);
      expect(analysed(warm)).toBe(analysed(direct));
      expect(JSON.stringify(warm.findings)).toBe(JSON.stringify(direct.findings));
    }
  });

  it('puts back the path it is read from: the entry is found by content alone', () => {
    const dir = tempDir();
    const text = `${POD}---\nkind: Service\nmetadata: {name: x, labels: {on: yes}}\n---\nkind: [\n`;
    coldAndWarm(text, 'first/place.yaml', dir);
    const elsewhere = coldAndWarm(text, 'second/place.yaml', dir);
    expect(elsewhere.entries).toHaveLength(1);
    expect(elsewhere.warm).toStrictEqual(parseManifestText(text, 'second/place.yaml'));
    expect(elsewhere.warm.findings.length).toBeGreaterThan(1);
  });

  it('keeps of a Secret or ConfigMap only what the normaliser reads, and answers alike', () => {
    const text = [SECRET, CONFIG_MAP, POD].join('---\n');
    const { warm, entries } = coldAndWarm(text, 'mixed.yaml');
    expect(analysed(warm)).toBe(analysed(parseManifestText(text, 'mixed.yaml')));
    expect(warm.objects[2]?.object).toStrictEqual(parseManifestText(POD, 'x').objects[0]?.object);
    expect(entries).toHaveLength(1);
  });

  it("keeps Endpoints (v1) whole: a Service's backends where no EndpointSlice is written", () => {
    const service = `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n`;
    const endpoints = `apiVersion: v1\nkind: Endpoints\nmetadata: {name: web, namespace: shop}\nsubsets: [{addresses: [{ip: 10.1.0.5}], ports: [{port: 80}]}]\n`;
    const text = [service, endpoints].join('---\n');
    const { warm } = coldAndWarm(text, 'endpoints.yaml');
    expect(analysed(warm)).toBe(analysed(parseManifestText(text, 'endpoints.yaml')));
    expect(normalizeObjects(warm.objects).cluster.endpointSlices).toHaveLength(1);
  });

  it('property: generated manifests read from the cache normalise as parsed', () => {
    const name = fc.constantFrom('api', 'db', 'web', '', 'yes');
    const metadata = fc.record(
      {
        name: fc.oneof(name, fc.integer()),
        namespace: fc.oneof(fc.constantFrom('shop', 'default', ''), fc.constant(null)),
        labels: fc.dictionary(fc.constantFrom('app', 'tier', 'on'), name),
        ownerReferences: fc.array(
          fc.oneof(
            fc.record({ kind: fc.constantFrom('Deployment', 'ReplicaSet'), name }),
            fc.integer(),
          ),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: [] },
    );
    const object = fc.record(
      {
        apiVersion: fc.constantFrom('v1', 'apps/v1', 'networking.k8s.io/v1', 'cilium.io/v2', 7),
        kind: fc.constantFrom(
          'Pod',
          'Secret',
          'ConfigMap',
          'Deployment',
          'NetworkPolicy',
          'Namespace',
          'CiliumNetworkPolicy',
          'Widget',
        ),
        metadata,
        data: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
        spec: fc.oneof(fc.constant({ podSelector: {} }), fc.constant('yes')),
      },
      { requiredKeys: [] },
    );
    const document = fc.oneof(
      { weight: 4, arbitrary: object },
      fc.record({
        apiVersion: fc.constant('v1'),
        kind: fc.constantFrom('List', 'SecretList', 'PodList', 'ConfigMapList'),
        items: fc.array(object, { maxLength: 3 }),
      }),
    );
    const stream = fc.array(
      fc
        .tuple(document, fc.boolean())
        .map(([value, json]) => (json ? JSON.stringify(value) : dump(value))),
      { minLength: 1, maxLength: 5 },
    );
    const dir = tempDir();
    fc.assert(
      fc.property(stream, (documents) => {
        const text = documents.join('\n---\n');
        const direct = parseManifestText(text, 'generated.yaml');
        const { warm } = coldAndWarm(text, 'generated.yaml', dir);
        expect(analysed(warm)).toBe(analysed(direct));
      }),
      { numRuns: 150 },
    );
  });
});

describe('manifest cache: what is on disk', () => {
  it('writes no Secret or ConfigMap data, in a directory and files only the owner reads', async () => {
    const cache = tempDir();
    const manifests = tempDir();
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'SecretList',
      items: [{ metadata: { name: 'listed' }, data: { key: 'bGlzdGVkLXNlY3JldC00Mgo=' } }],
    });
    writeFileSync(join(manifests, 'a.yaml'), [SECRET, CONFIG_MAP, POD].join('---\n'));
    writeFileSync(join(manifests, 'b.json'), list);
    const plain = await runCli(['explain', '-f', manifests, 'shop/api'], '', { HOME: '/nope' });
    const args = ['explain', '-f', manifests, 'shop/api', '--cache-dir', cache];
    const cold = await runCli(args, '', {});
    const warm = await runCli(args, '', {});
    expect(cold).toStrictEqual(plain);
    expect(warm).toStrictEqual(plain);
    const dir = join(cache, 'netpol', 'manifests');
    const entries = readdirSync(dir);
    expect(entries).toHaveLength(2);
    const stored = entries.map((entry) => readFileSync(join(dir, entry), 'utf8')).join('\n');
    expect(stored).toContain('"kind":"Secret"');
    for (const secret of ['c2VjcmV0', 'very-secret', 'hunter2', 'bGlzdGVk']) {
      expect(stored).not.toContain(secret);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const entry of entries) expect(statSync(join(dir, entry)).mode & 0o777).toBe(0o600);
  });

  it("stores no file whose YAML 1.1 warning quotes a Secret's field and word, and one of a Pod's", () => {
    const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: flags}\nstringData:\n  enabled: yes\n`;
    const inSecret = coldAndWarm(`${secret}---\n${POD}`, 'secret.yaml');
    expect(inSecret.cold.findings.map((finding) => finding.code)).toContain('yaml11-boolean');
    expect(inSecret.entries).toEqual([]);
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${secret.trimEnd().replaceAll('\n', '\n  ')}\n`;
    expect(coldAndWarm(list, 'list.yaml').entries).toEqual([]);
    const pod = POD.replace('labels: {app: api}', 'labels: {app: api, sidecar: on}');
    const inPod = coldAndWarm(pod, 'pod.yaml');
    expect(inPod.cold.findings.map((finding) => finding.code)).toContain('yaml11-boolean');
    expect(inPod.entries).toHaveLength(1);
    expect(inPod.warm).toStrictEqual(inPod.cold);
  });

  it("never stores a file holding Cilium's agent configuration (a ConfigMap read in full)", () => {
    const config =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config}\ndata: {a: b}\n';
    expect(coldAndWarm(`${config}---\n${POD}`, 'cilium.yaml').entries).toEqual([]);
  });

  it('stores no file whose data JSON cannot carry exactly (dates of YAML 1.1, -0)', () => {
    expect(coldAndWarm(`%YAML 1.1\n---\n${POD}x: 2001-12-14\n`, 'a.yaml').entries).toEqual([]);
    const negative = coldAndWarm(`${POD}x: -0.0\n`, 'b.yaml');
    expect(negative.entries).toEqual([]);
    const [pod] = negative.warm.objects;
    expect(Object.is((pod?.object as { x?: number } | undefined)?.x, -0)).toBe(true);
  });

  /** A cache directory holding entries for Pods aa, bb and cc, used at 1000, 2000 and 3000 s. */
  function agedEntries() {
    const dir = tempDir();
    const pod = (name: string) => Buffer.from(POD.replace('name: api', `name: ${name}`));
    const names = new Map<string, string>();
    ['aa', 'bb', 'cc'].forEach((name, i) => {
      parsedBy(new ManifestCache({ dir }), pod(name), `${name}.yaml`);
      const entry = readdirSync(dir).find((e) => statSync(join(dir, e)).mtimeMs > 1e7) ?? '';
      utimesSync(join(dir, entry), 1000 * (i + 1), 1000 * (i + 1));
      names.set(name, entry);
    });
    const size = statSync(join(dir, names.get('aa') ?? '')).size;
    return { dir, pod, names, size };
  }

  it('evicts the least recently written entries past the size cap', () => {
    const { dir, pod, size } = agedEntries();
    const cache = new ManifestCache({ dir, maxBytes: 2.5 * size });
    parsedBy(cache, pod('dd'), 'dd.yaml');
    cache.finish();
    const kept = readdirSync(dir).map((entry) => statSync(join(dir, entry)).mtimeMs);
    expect(kept.sort((a, b) => a - b)).toEqual([3_000_000, expect.any(Number)]);
    expect(kept[1]).toBeGreaterThan(1e9);
  });

  it('a hit marks an entry used: the least recently used are evicted, not the oldest written', () => {
    const { dir, pod, names, size } = agedEntries();
    const cache = new ManifestCache({ dir, maxBytes: 2.5 * size });
    expect(parsedBy(cache, pod('aa'), 'aa.yaml')).toStrictEqual(
      parseManifestText(pod('aa').toString(), 'aa.yaml'),
    );
    parsedBy(cache, pod('dd'), 'dd.yaml');
    cache.finish();
    const kept = readdirSync(dir);
    expect(kept).toHaveLength(2);
    expect(kept).toContain(names.get('aa'));
    expect(kept).not.toContain(names.get('bb'));
    expect(kept).not.toContain(names.get('cc'));
  });
});

describe('manifest cache: bad entries and directories', () => {
  /** Writes an entry for POD, changes it with `spoil`, and reads POD again. */
  function spoiled(spoil: (entry: string) => string) {
    const dir = tempDir();
    coldAndWarm(POD, 'pod.yaml', dir);
    const [name] = readdirSync(dir);
    const path = join(dir, name ?? '');
    writeFileSync(path, spoil(readFileSync(path, 'utf8')));
    return parsedBy(new ManifestCache({ dir }), Buffer.from(POD), 'pod.yaml');
  }
  const direct = parseManifestText(POD, 'pod.yaml');

  it.each([
    ['truncated', (entry: string) => entry.slice(0, entry.length - 20)],
    ['corrupt (a changed name)', (entry: string) => entry.replace('"api"', '"apx"')],
    ['corrupt (garbage)', () => '\u0000\u0001 not an entry'],
    ['empty', () => ''],
    ['of another format', (entry: string) => entry.replace(` ${CACHE_FORMAT} `, ' 999 ')],
    [
      'foreign (another key)',
      (entry: string) => entry.replace(/ [0-9a-f]{64} /, ` ${'0'.repeat(64)} `),
    ],
    ['valid but a list of nothing', (entry: string) => entry.replace(/\n.*$/s, '\n[]')],
  ])('reads a %s entry as a miss: the text is parsed', (_name, spoil) => {
    expect(spoiled(spoil)).toStrictEqual(direct);
  });

  it('a new build (another identity) never reads an older entry', () => {
    const dir = tempDir();
    parsedBy(new ManifestCache({ dir, identity: 'old' }), Buffer.from(POD), 'pod.yaml');
    parsedBy(new ManifestCache({ dir, identity: 'new' }), Buffer.from(POD), 'pod.yaml');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('a file edited between runs is read anew', async () => {
    const cache = tempDir();
    const manifests = tempDir();
    const file = join(manifests, 'pod.yaml');
    writeFileSync(file, POD);
    const args = ['explain', '-f', file, 'shop/api', '--cache-dir', cache];
    const before = await runCli(args, '', {});
    writeFileSync(file, POD.replace('{app: api}', '{app: edited}'));
    const after = await runCli(args, '', {});
    expect(before.stdout).toContain('app=api');
    expect(after.stdout).toContain('app=edited');
  });

  it('an unusable cache directory answers alike, with a note only at -v', async () => {
    const base = tempDir();
    writeFileSync(join(base, 'file'), '');
    const manifests = tempDir();
    writeFileSync(join(manifests, 'pod.yaml'), POD);
    const args = ['explain', '-f', manifests, 'shop/api'];
    const plain = await runCli([...args, '--cache-dir='], '', {});
    const unusable = ['--cache-dir', join(base, 'file', 'below')];
    expect(await runCli([...args, ...unusable], '', {})).toStrictEqual(plain);
    const noted = await runCli([...args, ...unusable, '-v=1'], '', {});
    expect(noted.stdout).toBe(plain.stdout);
    expect(noted.stderr).toContain('manifest cache');
    expect(noted.stderr).toContain('not used');
  });

  it('a read-only cache directory is read, never written, and answers alike', async () => {
    const manifests = readableManifests({ 'pod.yaml': POD, 'settings.yaml': CONFIG_MAP });
    const pod = join(manifests, 'pod.yaml');
    const base = childsDir();
    const dir = join(base, 'netpol', 'manifests');
    const args = (...paths: string[]) => [
      'explain',
      'shop/api',
      '-v=1',
      ...paths.flatMap((path) => ['-f', path]),
    ];
    const plain = await runBuilt([...args(manifests), '--cache-dir=']);
    expect(plain.stdout).toContain('app=api');
    await runBuilt([...args(pod), '--cache-dir', base]);
    const entries = readdirSync(dir);
    expect(entries).toHaveLength(1);
    chmodSync(dir, 0o500);
    try {
      const hit = await runBuilt([...args(pod), '--cache-dir', base]);
      expect(hit.stdout).toBe((await runBuilt([...args(pod), '--cache-dir='])).stdout);
      expect(hit.stderr).not.toContain('manifest cache');
      const missed = await runBuilt([...args(manifests), '--cache-dir', base]);
      expect(missed.stdout).toBe(plain.stdout);
      expect(missed.stderr).toContain(`manifest cache ${dir}: not written`);
      expect(readdirSync(dir)).toEqual(entries);
    } finally {
      // Else not even its owner could clean it up.
      chmodSync(dir, 0o700);
    }
  });

  it('a cache directory owned by another user is not used', async () => {
    const manifests = readableManifests({ 'pod.yaml': POD });
    // Only root can make a directory someone else owns: others take the root directory's.
    const others = CHILD ? tempDir() : '/';
    if (CHILD) chmodSync(others, 0o755);
    expect(statSync(others).uid).not.toBe(CHILD?.uid ?? process.getuid?.());
    const base = childsDir();
    mkdirSync(join(base, 'netpol'));
    symlinkSync(others, join(base, 'netpol', 'manifests'));
    const before = readdirSync(others);
    const args = ['explain', 'shop/api', '-f', manifests, '-v=1'];
    const plain = await runBuilt([...args, '--cache-dir=']);
    const used = await runBuilt([...args, '--cache-dir', base]);
    expect(used.stdout).toBe(plain.stdout);
    expect(used.stderr).toContain('not used: not a directory only its owner can write');
    expect(readdirSync(others)).toEqual(before);
  });

  it('a directory others may write to is not used', () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    expect(coldAndWarm(POD, 'pod.yaml', dir).entries).toEqual([]);
  });

  it('--cache-dir "" turns the cache off; else --cache-dir, $KUBECACHEDIR, ~/.kube/cache', () => {
    const home = tempDir();
    expect(manifestCacheDir({ cacheDir: '' }, { HOME: home })).toBeUndefined();
    expect(manifestCacheDir({ cacheDir: '/c' }, { KUBECACHEDIR: '/k' })).toBe(
      '/c/netpol/manifests',
    );
    expect(manifestCacheDir({}, { KUBECACHEDIR: '/k', HOME: home })).toBe('/k/netpol/manifests');
    expect(manifestCacheDir({}, { HOME: home })).toBe(join(home, '.kube/cache/netpol/manifests'));
    expect(manifestCacheDir({}, { HOME: join(home, 'missing') })).toBeUndefined();
    expect(manifestCacheDir({}, {})).toBeUndefined();
  });

  it('completion of names from files reads the folder through the cache, answering alike', async () => {
    const cache = tempDir();
    const words = ['__complete', 'check', '-f', 'test/fixtures/manifests/shop', 'shop/'];
    const plain = await runCli(words, '', { HOME: '/nope' });
    const cold = await runCli(words, '', { KUBECACHEDIR: cache });
    const warm = await runCli(words, '', { KUBECACHEDIR: cache });
    expect(plain.stdout).toContain('shop/api-1');
    expect(cold).toStrictEqual(plain);
    expect(warm).toStrictEqual(plain);
    expect(readdirSync(join(cache, 'netpol', 'manifests')).length).toBeGreaterThan(0);
  });

  it('standard input is never cached', async () => {
    const dir = tempDir();
    const input = await loadManifests(['-'], async () => POD, {
      cache: new ManifestCache({ dir }),
    });
    expect(input.cluster.pods).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('manifest cache: processes writing at once', () => {
  it("tests' processes keep their cache in a temporary directory, not the user's", () => {
    expect(process.env.KUBECACHEDIR?.startsWith(join(tmpdir(), 'netpol-test-kubecache-'))).toBe(
      true,
    );
  });

  it('two processes filling one cache leave whole entries that answer alike', async () => {
    const cache = childsDir();
    const folder = 'test/fixtures/manifests/shop';
    const run = async () =>
      (await runBuilt(['explain', '-f', folder, 'shop/api-1', '--cache-dir', cache])).stdout;
    const plain = (await runCli(['explain', '-f', folder, 'shop/api-1'], '', {})).stdout;
    const outputs = await Promise.all([run(), run(), run()]);
    const warm = await run();
    for (const output of [...outputs, warm]) expect(output).toBe(plain);
    const dir = join(cache, 'netpol', 'manifests');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });
});
