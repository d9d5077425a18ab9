import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { script, tempDir } from '../helpers/fake-api.js';
import { LIVE_TAB_ARGS, liveRun, liveTab } from '../helpers/live-tab.js';

const LOADED_MODULES = resolve('test/helpers/loaded-modules-preload.ts');

/** The bundle bin/kubectl-netpol runs, as `npm run build` makes it. */
const BUNDLE = 'dist/kubectl-netpol.mjs';

/** What the preload reported on lines of `stderr` that start with `prefix`, one a line. */
function reported(stderr: string, prefix: string): string[] {
  return stderr
    .split('\n')
    .flatMap((line) => (line.startsWith(prefix) ? [line.slice(prefix.length)] : []));
}

/**
 * Runs `entry ARGS` (bin/kubectl-netpol, or the program as tsc builds it, one module a file);
 * its output, and the files it loaded and processes it started.
 */
function runTraced(entry: string, args: readonly string[]) {
  const run = spawnSync(process.execPath, ['--import', LOADED_MODULES, entry, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: '/nonexistent-home' },
  });
  const loaded = reported(run.stderr, 'loaded ');
  const started = reported(run.stderr, 'started ');
  const [sourceMaps] = reported(run.stderr, 'source-maps ');
  return { exitCode: run.status, stdout: run.stdout, loaded, started, sourceMaps };
}

/** The sources (as the bundle's source maps name them) of the bundle's parts a run loaded. */
function bundledSources(loaded: readonly string[]): string[] {
  return loaded
    .filter((url) => url.includes('/dist/'))
    .flatMap((url) => JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')).sources);
}

/**
 * The sources (as the bundle's source maps name them) of the bundle's functions that ran in a
 * run that wrote V8's coverage (NODE_V8_COVERAGE) to `dir`: a part can be loaded, and some of
 * its modules never evaluated.
 */
function ranSources(dir: string): Set<string> {
  const ran = new Set<string>();
  for (const file of readdirSync(dir)) {
    const { result } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      result: { url: string; functions: { ranges: { startOffset: number; count: number }[] }[] }[];
    };
    for (const script of result.filter(({ url }) => url.includes('/dist/'))) {
      const path = fileURLToPath(script.url);
      const code = readFileSync(path, 'utf8');
      const map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
      for (const { ranges } of script.functions) {
        const [whole] = ranges;
        if (!whole || whole.count === 0) continue;
        const before = code.slice(0, whole.startOffset).split('\n');
        const entry = map.findEntry(before.length - 1, before.at(-1)?.length ?? 0);
        if ('originalSource' in entry) ran.add(entry.originalSource);
      }
    }
  }
  return ran;
}

/**
 * A shell's Tab on a live cluster (a fake API server: namespace app, pod web), run by
 * bin/kubectl-netpol with V8's coverage on: its output and the sources whose code ran.
 */
async function liveTabCoverage() {
  const coverage = join(tempDir(), 'coverage');
  const run = await liveTab(['bin/kubectl-netpol'], { NODE_V8_COVERAGE: coverage });
  return { stdout: run.stdout, ran: [...ranSources(coverage)] };
}

/**
 * `args` (a shell's Tab unless given) on a live cluster (liveRun's; the kubeconfig's `user` as
 * its), run by bin/kubectl-netpol with the preload that reports what it loads: its output,
 * whether it read stdin, the files it loaded, Node's modules it loaded and those it asked for.
 */
async function liveTraced(args: readonly string[] = LIVE_TAB_ARGS, user?: Record<string, unknown>) {
  const run = await liveRun(['--import', LOADED_MODULES, 'bin/kubectl-netpol'], args, {}, user);
  const [builtins = ''] = reported(run.stderr, 'builtins ');
  return {
    stdout: run.stdout,
    readStdin: run.stderr.split('\n').includes('stdin read'),
    loaded: reported(run.stderr, 'loaded '),
    builtins: builtins.split(' '),
    askedFor: reported(run.stderr, 'asked for '),
  };
}

/** The demo's manifests: the bundle holds them as 107 kB of YAML, for `--demo` alone. */
const DEMO_MANIFESTS = /\/src\/io\/demo\/demo-cluster\.ts$/;

/** The packages only commands that answer a question need. */
const HEAVY_PACKAGES = [
  /node_modules\/@kubernetes\/client-node\//,
  /node_modules\/ink\//,
  /node_modules\/react\//,
  /node_modules\/yaml\//,
];

/** What only commands that answer a question need: none of it is loaded to start. */
const HEAVY = [
  ...HEAVY_PACKAGES,
  /dist\/src\/engine\/index\.js$/,
  /dist\/src\/io\/load-input\.js$/,
];

describe('bin/kubectl-netpol starting', () => {
  beforeAll(() => {
    if (!existsSync(BUNDLE)) throw new Error('bin/kubectl-netpol needs `npm run build`');
  });

  it('runs the bundle: no other file of ours and nothing from node_modules', () => {
    const run = runTraced('bin/kubectl-netpol', [
      'check',
      '--demo',
      'production/frontend',
      'production/api',
      '--port',
      '8080',
    ]);
    expect(run.stdout).toMatch(/^ALLOWED /);
    const files = run.loaded.filter((url) => !url.endsWith('/bin/kubectl-netpol'));
    expect(files[0]).toMatch(/\/dist\/kubectl-netpol\.mjs$/);
    for (const url of files.slice(1)) expect(url).toMatch(/\/dist\/chunks\/[A-Z0-9]+\.mjs$/);
  });

  // The bundle is split where the program imports lazily (its source maps say what each part
  // holds): a start reads only the parts it runs.
  it.each([
    [['--version'], [...HEAVY_PACKAGES, /node_modules\/yargs\//]],
    [
      ['__complete', 'check', '--'],
      [...HEAVY_PACKAGES, /node_modules\/yargs\//, DEMO_MANIFESTS],
    ],
    // Names, with no cluster configured: nothing to read, so no cluster client either.
    [
      ['__complete', 'check', ''],
      [...HEAVY_PACKAGES, /node_modules\/yargs\//, DEMO_MANIFESTS],
    ],
    // The demo's names are the bundle's: its YAML is neither parsed nor normalised.
    [
      ['__complete', 'check', '--demo', ''],
      [...HEAVY_PACKAGES, /node_modules\/(yargs|js-yaml)\//, /\/src\/io\/(manifests|normalize)\//],
    ],
    [['--help'], [...HEAVY_PACKAGES, DEMO_MANIFESTS]],
  ])('%j reads no part of the bundle built from %s', (args, unwanted) => {
    const run = runTraced('bin/kubectl-netpol', args);
    expect(run.exitCode).toBe(0);
    const sources = bundledSources(run.loaded);
    expect(sources).toContainEqual(expect.stringMatching(/\/src\/main\.ts$/));
    for (const heavy of unwanted) expect(sources.filter((path) => heavy.test(path))).toEqual([]);
    expect(run.started).toEqual([]);
  });

  // undici's index (v8) evaluates all it exports (mock agents, caches, WebSocket, EventSource...);
  // the cluster client gets a module with the few it imports, and requests go out with undici's
  // request API: fetch's WHATWG layer (Headers, Request, Response, web streams) never runs.
  it("a live Tab reads the cluster with undici's dispatchers, none of its fetch and other parts", async () => {
    const { stdout, ran } = await liveTabCoverage();
    expect(stdout).toContain('web\tPod app');
    const undici = ran.filter((path) => path.includes('/undici/'));
    expect(undici).toContainEqual(expect.stringMatching(/\/lib\/dispatcher\/agent\.js$/));
    expect(undici).toContainEqual(expect.stringMatching(/\/lib\/api\/api-request\.js$/));
    const unused = /\/lib\/(mock|cache|web)\//;
    expect(undici.filter((path) => unused.test(path))).toEqual([]);
  });

  // client-node imports them at its top level for a proxy-url, an oidc, gcp or azure
  // auth-provider alone; the bundle defers each to its first use.
  it('a live Tab runs no code of the proxy and auth-provider packages its kubeconfig does not use', async () => {
    const { stdout, ran } = await liveTabCoverage();
    expect(stdout).toContain('web\tPod app');
    expect(ran).toContainEqual(
      expect.stringMatching(/\/@kubernetes\/client-node\/.*\/config\.ts$/),
    );
    const deferred =
      /\/node_modules\/(socks|socks-proxy-agent|hpagent|openid-client|oauth4webapi|jsonpath-plus)\//;
    expect(ran.filter((path) => deferred.test(path))).toEqual([]);
  });

  // A Tab's answers are small (kube-apiserver gzips one over 128 KiB) and it reads no input:
  // Node's zlib and the stream stdin would be (some 13 ms of CPU together) are not loaded.
  it('a live Tab loads no zlib and reads no stdin', async () => {
    const { stdout, readStdin, builtins } = await liveTraced();
    expect(stdout).toContain('web\tPod app');
    expect(builtins).toContain('http2');
    expect(builtins).not.toContain('zlib');
    expect(readStdin).toBe(false);
  });

  it("a live Tab reads no part of the bundle holding the demo's manifests", async () => {
    const { stdout, loaded } = await liveTraced();
    expect(stdout).toContain('web\tPod app');
    expect(bundledSources(loaded).filter((source) => DEMO_MANIFESTS.test(source))).toEqual([]);
  });

  it("a live check reads no part of the bundle holding the demo's manifests", async () => {
    const { stdout, loaded } = await liveTraced(['check', 'app/web', 'app/db', '--port', '80']);
    expect(stdout).toMatch(/^ALLOWED {2}app\/web -> app\/db {2}TCP 80\n/);
    expect(bundledSources(loaded).filter((source) => DEMO_MANIFESTS.test(source))).toEqual([]);
  });

  // client-node's KubeConfig, our exec-credential.ts and graphviz.ts import child_process, yet
  // only an exec credential plugin or `dot` starts a process: the bundle requires it then.
  it('a live Tab with a static token never asks for child_process', async () => {
    const { stdout, askedFor } = await liveTraced();
    expect(stdout).toContain('web\tPod app');
    expect(askedFor).toContain('node:tls');
    expect(askedFor).not.toContain('node:child_process');
  });

  it('a live Tab with an exec credential plugin runs it', async () => {
    const dir = tempDir();
    const plugin = script(
      dir,
      'credential',
      `touch ${dir}/ran; echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'`,
    );
    const { stdout, askedFor } = await liveTraced(LIVE_TAB_ARGS, {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: plugin,
        interactiveMode: 'Never',
      },
    });
    expect(stdout).toContain('web\tPod app');
    expect(askedFor).toContain('node:child_process');
    expect(existsSync(join(dir, 'ran'))).toBe(true);
  });

  // esbuild puts a define whose value is an object in a module of its own that every module of
  // the bundle initialises first: each start would build the demo's YAML and names.
  it('the bundle inlines each build-time value where it is used (no module of defines)', () => {
    const chunks = readdirSync('dist/chunks').filter((name) => name.endsWith('.mjs'));
    const sources = [BUNDLE, ...chunks.map((name) => join('dist/chunks', name))].flatMap(
      (file) => JSON.parse(readFileSync(`${file}.map`, 'utf8')).sources as string[],
    );
    expect(sources.filter((source) => source.startsWith('<define:'))).toEqual([]);
  });

  // Completion prints no stack, and with source maps on, the first stack Node reads (one for
  // each connection it closes) parses the map of every part loaded, the cluster client's too.
  it('completion turns the source maps off, which bin/kubectl-netpol turns on for stack traces', () => {
    expect(runTraced('bin/kubectl-netpol', ['check', '--demo', '-v=6', 'a', 'b']).sourceMaps).toBe(
      'on',
    );
    const run = runTraced('bin/kubectl-netpol', ['__complete', 'check', '--demo', '']);
    expect(run.stdout).toContain('production/\tNamespace');
    expect(run.sourceMaps).toBe('off');
  });

  it('--version prints the commit the build baked in', () => {
    const built = JSON.parse(readFileSync('dist/src/build-info.json', 'utf8'));
    const run = runTraced('bin/kubectl-netpol', ['--version']);
    expect(run.stdout).toBe(
      `Version: ${built.version}\nCommit: ${built.commit}\nNode.js: ${process.version}\n`,
    );
    expect(built.commit).toMatch(/^([0-9a-f]{12}(-dirty)?|unknown)$/);
    expect(run.started).toEqual([]);
  });

  it('the bundle and its chunks are ASCII (Node decodes them fastest) and maps back to our sources', () => {
    const chunks = readdirSync('dist/chunks').filter((name) => name.endsWith('.mjs'));
    const files = [BUNDLE, ...chunks.map((name) => join('dist/chunks', name))];
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      expect(code.match(/[^\0-\x7f]/g), file).toBeNull();
      expect(code.trimEnd().split('\n').at(-1), file).toBe(
        `//# sourceMappingURL=${basename(file)}.map`,
      );
    }
    // The message is in build-info's code, and also inside the text of a worker bundled into a
    // chunk (which maps to the module that embeds it): the code's place maps to build-info.ts.
    const message = 'package.json of kubectl-netpol not found';
    const mapped = files
      .filter((path) => readFileSync(path, 'utf8').includes(message))
      .map((file) => {
        const map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
        const lines = readFileSync(file, 'utf8').split('\n');
        const line = lines.findIndex((text) => text.includes(message));
        const entry = map.findEntry(line, (lines[line] ?? '').indexOf(message));
        return 'originalSource' in entry ? entry.originalSource : '';
      });
    expect(mapped.filter((source) => /\/src\/build-info\.ts$/.test(source))).toHaveLength(1);
  });
});

// The bundle keeps the program's dynamic imports lazy (esbuild evaluates such a module when it
// is first imported), so the same program built by tsc, one module a file, shows what runs.
describe('the program starting (dist/src/main.js, as tsc builds it)', () => {
  const MAIN = 'dist/src/main.js';
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} needs \`npm run build\``);
  });

  it.each([
    [['--version']],
    [['--help']],
    [['check', '--help']],
    [['scaffold', 'allow', '--help']],
    [['__complete', '']],
    [['__complete', 'check', '--']],
    [['__complete', 'matrix', '-o', '']],
  ])('%j loads nothing a question needs and starts no process', (args) => {
    const run = runTraced(MAIN, args);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toBe('');
    // `--version` alone is answered before the command line's parser is loaded.
    const parser = run.loaded.some((url) => url.includes('/dist/src/cli.js'));
    expect(parser).toBe(args.join(' ') !== '--version');
    for (const heavy of HEAVY) expect(run.loaded.filter((url) => heavy.test(url))).toEqual([]);
    expect(run.started).toEqual([]);
  });

  it('completing a target or a namespace reads the snapshot the command line names', () => {
    const run = runTraced(MAIN, ['__complete', 'check', '--demo', 'production/fr']);
    expect(run.stdout).toContain('production/frontend\tDeployment production, 2 pods\n');
    expect(run.loaded.some((url) => /dist\/src\/engine\/index\.js$/.test(url))).toBe(true);
  });

  it('a command loads what it needs when it runs', () => {
    const run = runTraced(MAIN, ['matrix', '--demo', '-n', 'production']);
    expect(run.exitCode).toBe(0);
    expect(run.loaded.some((url) => /dist\/src\/engine\/index\.js$/.test(url))).toBe(true);
  });
});
