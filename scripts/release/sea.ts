import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Builds a single executable application: `targetNode` (an official binary of any platform)
 * with `bundle` as its ES module main. `hostNode` runs the build and must be the same Node
 * version. With `forHost`, the target is the host's own platform and the main's V8 code cache
 * is built in, so start-up skips compiling the bundle; Node's rule is that a code cache (or a
 * snapshot) loads only on the platform that made it, so a cross-built executable goes without.
 * The code cache is not byte-for-byte reproducible (V8 hashes with a per-process random seed;
 * fixing the seed would make it so, at the price of hash-flooding protection). No snapshot:
 * Node builds none for an ES module main.
 * Node stores the path of `main` in the executable as given, so it is given relative to the
 * bundle's folder: the executable is the same wherever the checkout is.
 */
export function buildExecutable(
  hostNode: string,
  targetNode: string,
  bundle: string,
  output: string,
  forHost: boolean,
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
      useCodeCache: forHost,
      useSnapshot: false,
    }),
  );
  execFileSync(hostNode, ['--build-sea', config], {
    cwd: dirname(bundle),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
