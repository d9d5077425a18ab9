import { type DemoVariant, demoClusterYaml } from './demo/demo-cluster.js';
import { parseManifestText, type SourcedObject } from './manifests/parse-text.js';
import { type FileReadListener, readManifests } from './manifests/read-paths.js';
import type { LoadedInput, SourceObjects } from './normalize/loaded-input.js';
import { normalizeObjects } from './normalize/normalize.js';

/** How a built-in demo cluster is named in the UI's header. */
export function demoDescription(variant: DemoVariant = 'calico'): string {
  return variant === 'calico' ? 'demo cluster' : 'demo cluster (Cilium)';
}

/** How manifests read from these paths are named in the UI's header. */
export function manifestsDescription(paths: readonly string[]): string {
  return paths.join(', ');
}

/** A built-in demo cluster's objects (by default the Calico one). */
export function demoSources(variant: DemoVariant = 'calico'): SourceObjects {
  const parsed = parseManifestText(demoClusterYaml(variant), 'demo');
  return { ...parsed, description: demoDescription(variant) };
}

/**
 * The objects of manifests (files, directories, "-" for stdin); `onFileRead` hears how far the
 * read has come after each file.
 */
export async function manifestSources(
  paths: readonly string[],
  readStdin: () => Promise<string>,
  onFileRead?: FileReadListener,
): Promise<SourceObjects> {
  const read = await readManifests(paths, readStdin, onFileRead);
  return {
    objects: read.objects,
    findings: read.findings,
    description: manifestsDescription(paths),
  };
}

/** Normalises a snapshot's objects (by default those read) into an input to analyse. */
export function loadedFromSources(
  sources: SourceObjects,
  objects: readonly SourcedObject[] = sources.objects,
): LoadedInput {
  const { findings, ...normalized } = normalizeObjects(objects);
  const unread = sources.unread ?? [];
  return {
    ...normalized,
    cluster: unread.length > 0 ? { ...normalized.cluster, unread } : normalized.cluster,
    findings: [...sources.findings, ...findings],
    description: sources.description,
  };
}

/** Loads a built-in demo cluster (by default the Calico one), through the same YAML reader as manifests. */
export function loadDemo(variant: DemoVariant = 'calico'): LoadedInput {
  return loadedFromSources(demoSources(variant));
}

/**
 * Loads a snapshot from manifests (files, directories, "-" for stdin); `onFileRead` hears how
 * far the read has come after each file.
 */
export async function loadManifests(
  paths: readonly string[],
  readStdin: () => Promise<string>,
  onFileRead?: FileReadListener,
): Promise<LoadedInput> {
  return loadedFromSources(await manifestSources(paths, readStdin, onFileRead));
}
