import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const LOADED_MODULES = resolve('test/helpers/loaded-modules-preload.ts');

/** Runs bin/kubectl-netpol ARGS; its output, and the modules it loaded and processes it started. */
function runTraced(args: readonly string[]) {
  const run = spawnSync(
    process.execPath,
    ['--import', LOADED_MODULES, 'bin/kubectl-netpol', ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, HOME: '/nonexistent-home' },
    },
  );
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
    if (!existsSync('dist/src/cli.js')) throw new Error('bin/kubectl-netpol needs `npm run build`');
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
    const run = runTraced(args);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toBe('');
    expect(run.loaded.some((url) => url.includes('/dist/src/cli.js'))).toBe(true);
    for (const heavy of HEAVY) expect(run.loaded.filter((url) => heavy.test(url))).toEqual([]);
    expect(run.started).toEqual([]);
  });

  it('completing a target or a namespace reads the snapshot the command line names', () => {
    const run = runTraced(['__complete', 'check', '--demo', 'production/fr']);
    expect(run.stdout).toContain('production/frontend\tDeployment production, 2 pods\n');
    expect(run.loaded.some((url) => /dist\/src\/engine\/index\.js$/.test(url))).toBe(true);
  });

  it('a command loads what it needs when it runs', () => {
    const run = runTraced(['matrix', '--demo', '-n', 'production']);
    expect(run.exitCode).toBe(0);
    expect(run.loaded.some((url) => /dist\/src\/engine\/index\.js$/.test(url))).toBe(true);
  });

  it('--version prints the commit the build baked in', () => {
    const built = JSON.parse(readFileSync('dist/src/build-info.json', 'utf8'));
    const run = runTraced(['--version']);
    expect(run.stdout).toBe(
      `Version: ${built.version}\nCommit: ${built.commit}\nNode.js: ${process.version}\n`,
    );
    expect(built.commit).toMatch(/^([0-9a-f]{12}(-dirty)?|unknown)$/);
  });
});
