import type { Cluster, Finding, SourceLocation, UnreadList } from '../../engine/index.js';
import type { SourcedObject } from '../manifests/parse-text.js';

/** A cluster snapshot ready to analyse, with the problems met building it. */
export interface LoadedInput {
  readonly cluster: Cluster;
  readonly findings: readonly Finding[];
  /** What was read, for messages and headers: "demo cluster", the paths, "context NAME". */
  readonly description: string;
  /** Where each object came from, by "Kind namespace/name". */
  readonly locations: ReadonlyMap<string, SourceLocation>;
  /** Each object as read, by "Kind namespace/name", when the load kept them (the UI's YAML view). */
  readonly objects: ReadonlyMap<string, Record<string, unknown>>;
}

/** True when a snapshot holds nothing to analyse (a workload scaled to zero can be asked about). */
export function isEmptyCluster(cluster: Cluster): boolean {
  return (
    cluster.pods.length === 0 &&
    (cluster.scaledToZero ?? []).length === 0 &&
    cluster.policies.length === 0 &&
    cluster.namespaces.length === 0
  );
}

/** A snapshot's objects as read, before normalising: what a change applies to. */
export interface SourceObjects {
  readonly objects: readonly SourcedObject[];
  readonly findings: readonly Finding[];
  /** What was read, for messages and headers. */
  readonly description: string;
  /** Lists that could not be read (live clusters). */
  readonly unread?: readonly UnreadList[];
}
