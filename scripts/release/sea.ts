import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * V8's random seed while the code cache is made: V8 derives its hash seed from it, and a random
 * one made the cache's bytes differ from build to build (400 kB of 153 MB), which would break
 * the committed krew manifest's sha256. It is not one of the flags the cache is checked against
 * (`--hash-seed` is: a cache made with it is rejected), so the executable accepts the cache.
 */
const CODE_CACHE_SEED = '--random-seed=1';

/**
 * Builds a single executable application: `targetNode` (an official binary of any platform)
 * with `bundle` as its ES module main. `hostNode` runs the build and must be the same Node
 * version. With `codeCache` (only for the host's own platform: Node's docs say a code cache made
 * on another platform may crash the executable), the blob holds V8's compiled code of the main,
 * so each start skips compiling its 3 MB. No startup snapshot: it cannot take an ES module main.
 * Node stores the path of `main` in the executable as given, so it is given relative to the
 * bundle's folder: the executable is the same wherever the checkout is.
 */
export function buildExecutable(
  hostNode: string,
  targetNode: string,
  bundle: string,
  output: string,
  codeCache: boolean,
) {
  const config = `${output}.sea.json`;
  writeFileSync(
    config,
    JSON.stringify({
      main: basename(bundle),
      mainFormat: 'module',
      executable: targetNode,
      output,
      disableExperimentalSEAWarning: true,
      useCodeCache: codeCache,
      useSnapshot: false,
    }),
  );
  execFileSync(hostNode, [CODE_CACHE_SEED, '--build-sea', config], {
    cwd: dirname(bundle),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
