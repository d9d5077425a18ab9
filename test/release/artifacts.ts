import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { KrewPlatform, KrewPlugin } from './krew-rules.js';

/** Where `npm run release` leaves its archives and manifest. */
export const RELEASE_DIR = resolve('dist-release');

/** The package's version, as releases spell it: `v0.1.0`. */
export const PACKAGE_VERSION = `v${JSON.parse(readFileSync('package.json', 'utf8')).version}`;

/** Reads a krew manifest; a missing one fails the test and says how to make it. */
export function readManifest(path: string): KrewPlugin {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run release\` (npm test does) first`);
  }
  return parse(readFileSync(path, 'utf8')) as KrewPlugin;
}

/** The local archive a platform entry points at: its URI's file name, in dist-release/. */
export function archiveOf(platform: KrewPlatform): string {
  return join(RELEASE_DIR, basename(platform.uri ?? ''));
}

/**
 * The folder of krew's validate-krew-manifest and kubectl-krew, built (or found in the cache) by
 * test/release/krew/build.sh; throws with its message when they cannot be built.
 */
export function krewTools(): string {
  const build = spawnSync('bash', ['test/release/krew/build.sh'], { encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(
      `krew's validator could not be built (test/release/krew/build.sh):\n${build.stderr}`,
    );
  }
  return build.stdout.trim().split('\n').at(-1) ?? '';
}
