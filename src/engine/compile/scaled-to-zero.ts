import type { Cluster, LabelSelector, Pod } from '../model/types.js';
import { selectorMatches } from '../primitives/selector.js';

/** A workload scaled to zero, as problems and notes name it. */
export interface ScaledToZeroWorkload {
  /** Deployment, StatefulSet, ReplicaSet, ReplicationController or Job. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** The workload a template scaled to zero stands for. */
function workloadOf(template: Pod): ScaledToZeroWorkload {
  return { kind: template.kind, namespace: template.namespace, name: template.name };
}

/** The template of the workload of this kind and name scaled to zero; undefined when none is. */
export function scaledToZeroTemplate(
  cluster: Pick<Cluster, 'scaledToZero'>,
  workload: ScaledToZeroWorkload,
): Pod | undefined {
  return (cluster.scaledToZero ?? []).find(
    (t) =>
      t.kind === workload.kind && t.namespace === workload.namespace && t.name === workload.name,
  );
}

/**
 * The workloads scaled to zero of some namespaces whose pods a selector (a Service's, a policy's
 * or a peer's podSelector) would select: why it selects no running pod there.
 */
export function scaledToZeroSelected(
  cluster: Pick<Cluster, 'scaledToZero'>,
  namespaces: readonly string[],
  selector: LabelSelector,
): ScaledToZeroWorkload[] {
  return (cluster.scaledToZero ?? [])
    .filter((t) => namespaces.includes(t.namespace) && selectorMatches(selector, t.labels))
    .map(workloadOf);
}

/**
 * The cluster once the workloads of `templates` (scaled to zero) run: their templates among its
 * pods, still with replicas 0, so that a question about them is answered "once it runs" by the
 * one kernel, and says so.
 */
export function withScaledToZeroRunning(cluster: Cluster, templates: readonly Pod[]): Cluster {
  const running = (cluster.scaledToZero ?? []).filter((t) =>
    templates.some((named) => named.kind === t.kind && named.id === t.id),
  );
  if (running.length === 0) return cluster;
  const left = (cluster.scaledToZero ?? []).filter((t) => !running.includes(t));
  const { scaledToZero: _, ...rest } = cluster;
  return {
    ...rest,
    pods: [...cluster.pods, ...running],
    ...(left.length > 0 ? { scaledToZero: left } : {}),
  };
}

/** The workload a pod entry of an analysis stands for when it is one scaled to zero. */
export function scaledToZeroWorkload(pod: Pod): ScaledToZeroWorkload | undefined {
  return pod.replicas === 0 ? workloadOf(pod) : undefined;
}
