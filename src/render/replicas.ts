import type { Pod } from '../engine/index.js';

/**
 * How many pods a workload stands for: `3`, `several`, or an autoscaler's bounds `2..10`;
 * undefined for a pod.
 */
export function replicasText(pod: Pod): string | undefined {
  if (pod.autoscaled) {
    const { min, max } = pod.autoscaled;
    return min === max ? `${min}` : `${min}..${max}`;
  }
  return pod.replicas === undefined ? undefined : `${pod.replicas}`;
}

/** ` (HorizontalPodAutoscaler)` after the replicas of a workload one scales; else empty. */
export function autoscaledNote(pod: Pod): string {
  return pod.autoscaled ? ' (HorizontalPodAutoscaler)' : '';
}
