import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Builds a single executable application: `targetNode` (an official binary of any platform)
 * with `bundle` as its ES module main. `hostNode` runs the build and must be the same Node
 * version. No code cache or snapshot: those are specific to the platform that makes them, and a
 * code cache's bytes differ between builds (V8 seeds its hashes at random), which would break the
 * committed krew manifest's sha256.
 * Node stores the path of `main` in the executable as given, so it is given relative to the
 * bundle's folder: the executable is the same wherever the checkout is.
 */
export function buildExecutable(
  hostNode: string,
  targetNode: string,
  bundle: string,
  output: string,
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
      useCodeCache: false,
      useSnapshot: false,
    }),
  );
  execFileSync(hostNode, ['--build-sea', config], {
    cwd: dirname(bundle),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
