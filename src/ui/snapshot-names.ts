import type { Cluster, Pod } from '../engine/index.js';
import type { Steps } from '../steps.js';
import { OBJECTS_PER_STEP, stepwiseValue } from './steps.js';

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

function* namesSteps(cluster: Cluster): Steps<SnapshotNames> {
  const pods = new Map<string, Pod>();
  const namespaces = new Set(cluster.namespaces.map((namespace) => namespace.name));
  for (let i = 0; i < cluster.pods.length; i++) {
    const pod = cluster.pods[i] as Pod;
    pods.set(pod.id, pod);
    namespaces.add(pod.namespace);
    if ((i + 1) % OBJECTS_PER_STEP === 0) yield;
  }
  return { namespaces: [...namespaces].sort(), pods };
}

/**
 * The names in a cluster's lists, worked out once per cluster: at once (`now`), or ahead a step
 * at a time (`inTurns`), so that the frame that asks for them finds them ready.
 */
export const snapshotNames = stepwiseValue(namesSteps);
