import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's home: releases are downloaded from it and problems are reported to it. */
export const REPOSITORY = 'https://github.com/kubectl-netpol/kubectl-netpol';

/** What a build of kubectl-netpol is: its package version and the commit it was built from. */
export interface BuildInfo {
  readonly version: string;
  readonly commit: string;
}

// The release bundle defines this (esbuild `define`); a checkout or the npm package has none.
declare const KUBECTL_NETPOL_BUILD: BuildInfo | undefined;

/**
 * The commit checked out at `root` (12 hex digits, `-dirty` with uncommitted changes), or
 * undefined when `root` is not the top of a git checkout or git is missing.
 */
export function gitCommit(root: string): string | undefined {
  if (!existsSync(join(root, '.git'))) return undefined;
  try {
    // Every tag excluded: the plain commit, whatever tags say.
    const args = ['describe', '--always', '--dirty', '--abbrev=12', '--exclude=*'];
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}

/** The directory of our package.json: the checkout, or the installed npm package. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json of kubectl-netpol not found');
    dir = parent;
  }
  return dir;
}

/** This build: as the release bundle fixed it, else read from package.json and git. */
export function buildInfo(): BuildInfo {
  if (typeof KUBECTL_NETPOL_BUILD !== 'undefined') return KUBECTL_NETPOL_BUILD;
  const root = packageRoot();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return { version: `v${version}`, commit: gitCommit(root) ?? 'unknown' };
}

/** What `--version` prints: version, commit and the Node.js runtime, one per line. */
export function versionText(info: BuildInfo = buildInfo()): string {
  return `Version: ${info.version}\nCommit: ${info.commit}\nNode.js: ${process.version}\n`;
}
