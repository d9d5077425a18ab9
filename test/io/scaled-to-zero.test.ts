/**
 * A workload scaled to zero has no pod: it is kept apart from the pods (as a template a question
 * may name), unless an autoscaler that scales it from zero keeps it running.
 */
import { describe, expect, it } from 'vitest';
import { clusterOfYaml } from '../helpers/load.js';

const workload = (kind: string, name: string, spec: string) => `apiVersion: ${
  kind === 'Job' ? 'batch/v1' : 'apps/v1'
}
kind: ${kind}
metadata: {name: ${name}, namespace: shop}
spec:
  ${spec}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, image: nginx}]}`;

const autoscaler = (name: string, minReplicas: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: ${minReplicas}
  maxReplicas: 5`;

/** The ids of the cluster's pods and of its workloads scaled to zero. */
function placed(...texts: string[]) {
  const cluster = clusterOfYaml(texts.join('\n---\n'));
  return {
    pods: cluster.pods.map((pod) => `${pod.kind} ${pod.id}`),
    scaledToZero: (cluster.scaledToZero ?? []).map((t) => `${t.kind} ${t.id} ${t.replicas}`),
  };
}

describe('workloads scaled to zero', () => {
  it('stand for no pod: replicas 0, a Job of parallelism 0 or suspended', () => {
    expect(
      placed(
        workload('Deployment', 'web', 'replicas: 2'),
        workload('Deployment', 'api', 'replicas: 0'),
        workload('StatefulSet', 'db', 'replicas: 0'),
        workload('Job', 'batch', 'parallelism: 0'),
        workload('Job', 'held', 'suspend: true'),
        workload('Job', 'run', 'parallelism: 2'),
      ),
    ).toEqual({
      pods: ['Deployment shop/web', 'Job shop/run'],
      scaledToZero: [
        'Deployment shop/api 0',
        'StatefulSet shop/db 0',
        'Job shop/batch 0',
        'Job shop/held 0',
      ],
    });
  });

  it('stay at zero under an autoscaler of minReplicas 1 or more; one of 0 scales them', () => {
    const deployment = workload('Deployment', 'api', 'replicas: 0');
    expect(placed(autoscaler('api', 2), deployment)).toEqual({
      pods: [],
      scaledToZero: ['Deployment shop/api 0'],
    });
    expect(placed(deployment, autoscaler('api', 1)).scaledToZero).toEqual([
      'Deployment shop/api 0',
    ]);
    const fromZero = clusterOfYaml(`${autoscaler('api', 0)}\n---\n${deployment}`);
    expect(fromZero.scaledToZero).toBeUndefined();
    expect(fromZero.pods).toMatchObject([
      { id: 'shop/api', replicas: 'several', autoscaled: { min: 0, max: 5 } },
    ]);
  });
});
