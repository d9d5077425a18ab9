import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's home: releases are downloaded from it and problems are reported to it. */
export const REPOSITORY = 'https://github.com/kubectl-netpol/kubectl-netpol';

/**
 * What a build of kubectl-netpol is: its package version and, for a build from a checkout, the
 * commit. Release executables carry only the version, so their bytes depend on the sources alone.
 */
export interface BuildInfo {
  readonly version: string;
  readonly commit?: string;
  /** A checkout build's digest of its sources: it tells apart builds of one dirty commit. */
  readonly sources?: string;
}

// The bundle defines this as JSON text (esbuild `define`, scripts/release/bundle.ts); a build by
// tsc has none.
declare const KUBECTL_NETPOL_BUILD: string | undefined;

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

/**
 * This build, as the release bundle or the build fixed it; unbuilt sources (tests) have only
 * package.json's version. Git is never run here: start-up stays fast and needs no git.
 */
export function buildInfo(): BuildInfo {
  if (typeof KUBECTL_NETPOL_BUILD !== 'undefined') return JSON.parse(KUBECTL_NETPOL_BUILD);
  // The build (scripts/copy-assets.ts) writes the version and the commit beside this module.
  const built = fileURLToPath(new URL('./build-info.json', import.meta.url));
  if (existsSync(built)) return JSON.parse(readFileSync(built, 'utf8'));
  const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
  return { version: `v${version}`, commit: 'unknown' };
}

/** What `--version` prints: version, commit (when the build knows it) and Node.js, one per line. */
export function versionText(info: BuildInfo = buildInfo()): string {
  const commit = info.commit === undefined ? '' : `Commit: ${info.commit}\n`;
  return `Version: ${info.version}\n${commit}Node.js: ${process.version}\n`;
}
