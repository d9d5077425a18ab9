import type { Cluster, Pod } from '../engine/index.js';

/**
 * The names keys look up in a snapshot (`:po NS`, `y`, a finding's digits, "s" on a pod), read
 * from its lists without compiling it, which the analyst does off the UI's thread.
 */
export interface SnapshotNames {
  /** The namespaces declared or holding pods, sorted. */
  readonly namespaces: readonly string[];
  /** The pods by id (`namespace/name`). */
  readonly pods: ReadonlyMap<string, Pod>;
}

/** The names in a cluster's lists. */
export function snapshotNames(cluster: Cluster): SnapshotNames {
  const pods = new Map(cluster.pods.map((pod) => [pod.id, pod]));
  const namespaces = new Set([
    ...cluster.namespaces.map((namespace) => namespace.name),
    ...cluster.pods.map((pod) => pod.namespace),
  ]);
  return { namespaces: [...namespaces].sort(), pods };
}
