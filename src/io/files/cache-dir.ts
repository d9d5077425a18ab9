import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestCache } from './manifest-cache.js';

/** Where the cache lives, as kubectl's flag and environment say, and what it says meanwhile. */
export interface CacheFlags {
  /** --cache-dir: kubectl's cache directory; "" turns the manifest cache off. */
  readonly cacheDir?: string;
}

/**
 * The manifest cache's directory: `<cache-dir>/netpol/manifests`, the cache directory being
 * --cache-dir, else $KUBECACHEDIR, else ~/.kube/cache (as kubectl's); undefined when
 * --cache-dir is "" (off) or there is no home directory to put it in (none is created).
 */
export function manifestCacheDir(flags: CacheFlags, env: NodeJS.ProcessEnv): string | undefined {
  const kubeCache = flags.cacheDir ?? (env.KUBECACHEDIR || homeCache(env.HOME));
  return kubeCache ? join(kubeCache, 'netpol', 'manifests') : undefined;
}

function homeCache(home: string | undefined): string | undefined {
  if (!home || !statSync(home, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  return join(home, '.kube', 'cache');
}

/**
 * The manifest cache the flags and environment name, or undefined when it is off. Its module
 * (and node:crypto) is loaded only then: the demo and live reads do without.
 */
export async function openManifestCache(
  flags: CacheFlags,
  env: NodeJS.ProcessEnv,
  note?: (text: string) => void,
): Promise<ManifestCache | undefined> {
  const dir = manifestCacheDir(flags, env);
  if (!dir) return undefined;
  const { ManifestCache } = await import('./manifest-cache.js');
  return new ManifestCache({ dir, ...(note ? { note } : {}) });
}
