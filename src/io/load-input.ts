import { demoClusterYaml } from './demo/demo-cluster.js';
import { parseManifestText } from './manifests/parse-text.js';
import { readManifests } from './manifests/read-paths.js';
import type { LoadedInput } from './normalize/loaded-input.js';
import { normalizeObjects } from './normalize/normalize.js';

/** Loads the built-in demo cluster, through the same YAML reader as manifests. */
export function loadDemo(): LoadedInput {
  const parsed = parseManifestText(demoClusterYaml(), 'demo');
  const { findings, ...normalized } = normalizeObjects(parsed.objects);
  return {
    ...normalized,
    findings: [...parsed.findings, ...findings],
    description: 'demo cluster',
  };
}

/** Loads a snapshot from manifests (files, directories, "-" for stdin). */
export async function loadManifests(
  paths: readonly string[],
  readStdin: () => Promise<string>,
): Promise<LoadedInput> {
  const read = await readManifests(paths, readStdin);
  const { findings, ...normalized } = normalizeObjects(read.objects);
  return {
    ...normalized,
    findings: [...read.findings, ...findings],
    description: paths.join(', '),
  };
}
