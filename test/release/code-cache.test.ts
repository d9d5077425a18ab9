import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RELEASE_DIR } from './artifacts.js';

/** This machine's platform as the release names its folders (krew's os_arch). */
const HOST = `${process.platform === 'win32' ? 'windows' : process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
const EXECUTABLE = join(
  RELEASE_DIR,
  'build',
  HOST,
  process.platform === 'win32' ? 'kubectl-netpol.exe' : 'kubectl-netpol',
);

// The release gives the executable for the platform it is built on V8's code cache of the
// bundle (scripts/release/sea.ts): each start then skips compiling 3 MB of JavaScript.
describe(`the standalone executable for this machine (${HOST})`, () => {
  it('starts from its code cache: Node accepts it and warns of nothing', () => {
    if (!existsSync(EXECUTABLE)) {
      throw new Error(`${EXECUTABLE} is missing: run \`npm run release\` (npm test does) first`);
    }
    const run = spawnSync(EXECUTABLE, ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_DEBUG_NATIVE: 'SEA' },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Version: v\d/);
    expect(run.stderr).toContain('SEA module code cache accepted');
    expect(run.stderr).not.toMatch(/rejected|Warning/);
  });
});
