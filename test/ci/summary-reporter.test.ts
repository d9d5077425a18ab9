import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('counts a failed hook and an unloadable file as failures in the closing line', () => {
  const run = spawnSync('npx', ['vitest', 'run', '--config', 'test/fixtures/ci/vitest.config.ts'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).not.toBe(0);
  const closing = run.stdout.trim().split('\n').at(-1);
  expect(closing).toBe('1 passed, 2 failed, 2 skipped');
}, 60_000);
