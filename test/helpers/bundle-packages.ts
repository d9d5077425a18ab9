import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The sources the parts of the bundle a loaded-modules-preload trace lists were built from, as
 * their source maps name them (`../../src/ui/run.tsx`, `../../node_modules/ink/...`).
 */
export function bundleSources(trace: string): string[] {
  const chunks = trace
    .split('\n')
    .flatMap((line) =>
      line.startsWith('loaded ') && line.includes('/dist/') ? [line.slice(7)] : [],
    );
  return chunks.flatMap(
    (url) => JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')).sources,
  );
}

/** The packages the parts of the bundle a loaded-modules-preload trace lists were built from, sorted. */
export function bundlePackages(trace: string): string[] {
  const packages = bundleSources(trace).flatMap(
    (path) => path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? [],
  );
  return [...new Set(packages)].sort();
}
