import type { Pod, ScaledToZeroWorkload } from '../engine/index.js';
import { terminalText } from './terminal-text.js';

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

/**
 * A workload scaled to zero in words: `Deployment shop/web has replicas: 0, so no pod of it runs
 * now` (a Job: suspended or of parallelism 0).
 */
export function scaledToZeroText({ kind, namespace, name }: ScaledToZeroWorkload): string {
  const workload = `${terminalText(kind)} ${terminalText(`${namespace}/${name}`)}`;
  const why = kind === 'Job' ? 'is suspended or has parallelism: 0' : 'has replicas: 0';
  return `${workload} ${why}, so no pod of it runs now`;
}

/** `; Deployment shop/web has replicas: 0, ...` for each workload scaled to zero; else empty. */
export function scaledToZeroSuffix(idle: readonly ScaledToZeroWorkload[] = []): string {
  return idle.map((workload) => `; ${scaledToZeroText(workload)}`).join('');
}
