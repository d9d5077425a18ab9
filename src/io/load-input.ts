import type { Cluster, Finding, SourceLocation } from '../engine/index.js';
import { DEMO_CLUSTER_YAML } from './demo-cluster.js';
import { readManifests } from './manifest-files.js';
import { parseManifestText } from './manifests.js';
import { normalizeObjects } from './normalize.js';

/** Where the cluster snapshot comes from. */
export type InputSource =
  | { readonly kind: 'demo' }
  | { readonly kind: 'manifests'; readonly paths: readonly string[] };

/** A cluster snapshot ready to analyse, with the problems met building it. */
export interface LoadedInput {
  readonly cluster: Cluster;
  readonly findings: readonly Finding[];
  /** What was read, for messages and headers: "demo cluster", the paths, "context NAME". */
  readonly description: string;
  /** Where each object came from, by "Kind namespace/name". */
  readonly locations: ReadonlyMap<string, SourceLocation>;
  /** Each object as read, by "Kind namespace/name". */
  readonly objects: ReadonlyMap<string, Record<string, unknown>>;
}

/** True when a snapshot holds nothing to analyse. */
export function isEmptyCluster(cluster: Cluster): boolean {
  return (
    cluster.pods.length === 0 && cluster.policies.length === 0 && cluster.namespaces.length === 0
  );
}

/** Loads the built-in demo cluster. */
export function loadDemo(): LoadedInput {
  const parsed = parseManifestText(DEMO_CLUSTER_YAML, 'demo');
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
