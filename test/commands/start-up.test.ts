import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const LOADED_MODULES = resolve('test/helpers/loaded-modules-preload.ts');

/** The bundle bin/kubectl-netpol runs, as `npm run build` makes it. */
const BUNDLE = 'dist/kubectl-netpol.mjs';

/**
 * Runs `entry ARGS` (bin/kubectl-netpol, or the program as tsc builds it, one module a file);
 * its output, and the files it loaded and processes it started.
 */
function runTraced(entry: string, args: readonly string[]) {
  const run = spawnSync(process.execPath, ['--import', LOADED_MODULES, entry, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: '/nonexistent-home' },
  });
  const lines = run.stderr.split('\n');
  const loaded = lines.flatMap((line) => (line.startsWith('loaded ') ? [line.slice(7)] : []));
  const started = lines.flatMap((line) => (line.startsWith('started ') ? [line.slice(8)] : []));
  return { exitCode: run.status, stdout: run.stdout, loaded, started };
}

/** What only commands that answer a question need: none of it is loaded to start. */
const HEAVY = [
  /node_modules\/@kubernetes\/client-node\//,
  /node_modules\/ink\//,
  /node_modules\/react\//,
  /node_modules\/yaml\//,
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
    expect(run.loaded.filter((url) => !url.endsWith('/bin/kubectl-netpol'))).toEqual([
      expect.stringMatching(/\/dist\/kubectl-netpol\.mjs$/),
    ]);
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

  it('the bundle is ASCII (Node decodes it fastest) and maps back to our sources', () => {
    const bundle = readFileSync(BUNDLE, 'utf8');
    expect(bundle.match(/[^\0-\x7f]/g)).toBeNull();
    expect(bundle.trimEnd().split('\n').at(-1)).toBe('//# sourceMappingURL=kubectl-netpol.mjs.map');
    const map = new SourceMap(JSON.parse(readFileSync(`${BUNDLE}.map`, 'utf8')));
    const message = 'package.json of kubectl-netpol not found';
    const lines = bundle.split('\n');
    const line = lines.findIndex((text) => text.includes(message));
    const entry = map.findEntry(line, (lines[line] as string).indexOf(message));
    expect('originalSource' in entry && entry.originalSource).toMatch(/\/src\/build-info\.ts$/);
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
    expect(run.loaded.some((url) => url.includes('/dist/src/cli.js'))).toBe(true);
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
