import { demoClusterYaml } from './demo/demo-cluster.js';
import type { DemoVariant } from './demo/demo-variants.js';
import type { ManifestCache } from './files/manifest-cache.js';
import { parseManifestText, type SourcedObject } from './manifests/parse-text.js';
import {
  type BigFileParser,
  type FileReadListener,
  readManifests,
} from './manifests/read-paths.js';
import type { LoadedInput, SourceObjects } from './normalize/loaded-input.js';
import {
  type NormalizedObjects,
  normalizeObjects,
  ObjectNormalizer,
} from './normalize/normalize.js';

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

/** The objects of manifests (files, directories, "-" for stdin), each kept as read. */
export async function manifestSources(
  paths: readonly string[],
  readStdin: () => Promise<string>,
): Promise<SourceObjects> {
  const read = await readManifests(paths, readStdin);
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
  return loadedInput(sources, normalizeObjects(objects));
}

/** A snapshot's normalised objects with what its read found and how it is named. */
function loadedInput(
  sources: Omit<SourceObjects, 'objects'>,
  { findings, ...normalized }: NormalizedObjects,
): LoadedInput {
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

/** Who hears how a load of manifests goes, and whether it keeps the objects as read. */
export interface ManifestLoading {
  /** Hears how far the read has come after each file. */
  readonly onFileRead?: FileReadListener;
  /** Told how many objects were read once every file is, and waited for before the last step. */
  readonly onRead?: (objects: number) => Promise<void>;
  /** Keeps each object as read in LoadedInput.objects, for the UI's YAML view. */
  readonly keepObjects?: boolean;
  /** Parses regular files through this cache of parsed manifests. */
  readonly cache?: ManifestCache;
  /** Awaited between a file's documents and objects (the UI's event loop turns there). */
  readonly pace?: () => Promise<void>;
  /** With `pace`, parses the big files (off the UI's thread). */
  readonly bigFiles?: BigFileParser;
}

/**
 * Loads a snapshot from manifests (files, directories, "-" for stdin), normalising each file's
 * objects as soon as it is parsed, so that they are not kept (unless asked to) past their file.
 */
export async function loadManifests(
  paths: readonly string[],
  readStdin: () => Promise<string>,
  loading: ManifestLoading = {},
): Promise<LoadedInput> {
  const normalizer = new ObjectNormalizer({ keepObjects: loading.keepObjects === true });
  const read = await readManifests(
    paths,
    readStdin,
    loading.onFileRead,
    (object) => normalizer.addInSteps(object),
    loading.cache,
    loading.pace,
    loading.bigFiles,
  );
  await loading.onRead?.(normalizer.added);
  const description = manifestsDescription(paths);
  return loadedInput({ findings: read.findings, description }, normalizer.finish());
}
