/**
 * A workload scaled to zero has no pod: no view counts it and no Service sends to it; a question
 * naming it is answered for its template once it runs, and says so.
 */
import { describe, expect, it } from 'vitest';
import {
  checkTargets,
  compileCluster,
  computeMatrix,
  overview,
  resolveTarget,
  scaledToZeroNamed,
  withScaledToZeroRunning,
} from '../../src/engine/index.js';
import { clusterOfYaml } from '../helpers/load.js';
import { policyYaml } from '../helpers/scenario.js';

const deployment = (name: string, replicas: number, labels = `app: ${name}`) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  template:
    metadata: {labels: {${labels}}}
    spec: {containers: [{name: main, image: nginx, ports: [{containerPort: 8080}]}]}`;

const service = (name: string, selector: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {selector: {${selector}}, ports: [{port: 80, targetPort: 8080}]}`;

const cluster = clusterOfYaml(
  [
    deployment('web', 2),
    deployment('api', 0),
    deployment('api-canary', 1, 'app: api, track: canary'),
    deployment('worker', 0, 'app: worker'),
    service('api', 'app: api'),
    service('worker', 'app: worker'),
    policyYaml(
      'shop/api-from-web',
      '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]}',
    ),
  ].join('\n---\n'),
);
const analysis = compileCluster(cluster);
const ids = (podIdxs: readonly number[]) => podIdxs.map((idx) => analysis.pods[idx]?.id);

describe('a workload scaled to zero', () => {
  it('is no row of the matrix and no pod of the overview', () => {
    expect(ids(computeMatrix(analysis).podIdxs)).toEqual(['shop/web', 'shop/api-canary']);
    expect(overview(analysis, 'shop').pods.map((pod) => pod.id)).toEqual([
      'shop/web',
      'shop/api-canary',
    ]);
  });

  it('is no backend of a Service, which has none when it selects nothing else', () => {
    const api = resolveTarget(analysis, 'svc/api', 'shop', 80, undefined);
    expect(
      api.ok && api.value.endpoints.map((e) => e.endpoint.kind === 'pod' && e.endpoint.pod.id),
    ).toEqual(['shop/api-canary']);
    expect(resolveTarget(analysis, 'svc/worker', 'shop', 80, undefined)).toEqual({
      ok: false,
      error: {
        kind: 'service-selects-no-pod',
        text: 'svc/worker',
        scaledToZero: [{ kind: 'Deployment', namespace: 'shop', name: 'worker' }],
      },
    });
  });

  it('named, stands for no pod now, and its template is what to run', () => {
    const named = resolveTarget(analysis, 'deploy/api', 'shop', 8080, 'TCP');
    expect(named.ok ? 'resolved' : named.error.kind).toBe('workload-scaled-to-zero');
    expect(scaledToZeroNamed(analysis, ['deploy/web', 'deploy/api', 'worker'], 'shop')).toEqual(
      cluster.scaledToZero,
    );
  });

  it('once run, is answered for its template through the same kernel, with a note', () => {
    const templates = scaledToZeroNamed(analysis, ['deploy/api'], 'shop');
    const running = compileCluster(withScaledToZeroRunning(cluster, templates));
    expect(running.cluster.scaledToZero?.map((t) => t.id)).toEqual(['shop/worker']);
    const question = { source: 'deploy/web', destination: 'deploy/api', port: 8080 };
    const answer = checkTargets(running, { ...question, namespace: 'shop' });
    expect(answer.ok && answer.value.notes).toEqual([
      { kind: 'scaled-to-zero', workload: { kind: 'Deployment', namespace: 'shop', name: 'api' } },
    ]);
    expect(answer.ok && answer.value.flows.map((f) => [f.from, f.to, f.verdict?.verdict])).toEqual([
      ['shop/web', 'shop/api', 'ALLOWED'],
    ]);
    const other = checkTargets(running, {
      ...question,
      source: 'deploy/api-canary',
      namespace: 'shop',
    });
    expect(other.ok && other.value.flows.map((f) => f.verdict?.verdict)).toEqual(['DENIED']);
  });
});
