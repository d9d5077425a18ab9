import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { NODE_VERSION, type Target } from './platforms.ts';

/** Where official Node binaries are kept between builds (beside the test cluster's cache). */
export function nodeCacheDir(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'kubectl-netpol', 'node');
}

/**
 * The path of the target's official Node binary: fetched with `npm pack` from its npm package
 * (npm's own cache makes a second fetch local), checked against the pinned integrity, and
 * extracted once into the cache.
 */
export function officialNode(target: Target, cacheDir = nodeCacheDir()): string {
  const binary = join(
    cacheDir,
    `${target.nodePackage}-${NODE_VERSION}`,
    basename(target.nodeBinary),
  );
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(cacheDir, '.fetch-'));
  try {
    const spec = `${target.nodePackage}@${NODE_VERSION}`;
    const packed = JSON.parse(
      execFileSync('npm', ['pack', spec, '--json', '--pack-destination', work], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    ) as { filename: string }[];
    const tarball = join(work, packed[0]?.filename ?? '');
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (integrity !== target.nodeIntegrity) {
      throw new Error(`${spec}: integrity ${integrity}, expected ${target.nodeIntegrity}`);
    }
    execFileSync('tar', ['-xzf', tarball, '-C', work, target.nodeBinary]);
    mkdirSync(dirname(binary), { recursive: true });
    renameSync(join(work, target.nodeBinary), binary);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
