import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The packages the parts of the bundle a loaded-modules-preload trace lists were built from, as
 * their source maps say, sorted.
 */
export function bundlePackages(trace: string): string[] {
  const chunks = trace
    .split('\n')
    .flatMap((line) =>
      line.startsWith('loaded ') && line.includes('/dist/') ? [line.slice(7)] : [],
    );
  const sources: string[] = chunks.flatMap(
    (url) => JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')).sources,
  );
  const packages = sources.flatMap(
    (path) => path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? [],
  );
  return [...new Set(packages)].sort();
}
