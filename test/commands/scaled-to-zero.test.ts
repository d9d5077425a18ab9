/**
 * A Deployment scaled to zero from manifests: no pod of it is listed or sent to, and check and
 * explain naming it answer for its pods once it runs, saying that none runs now.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, image: nginx, ports: [{containerPort: 8080}]}]}`;

const API = deployment('api', 0);

const INPUT = [
  deployment('web', 2),
  API,
  `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5`,
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}`,
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]`,
].join('\n---\n');

const run = (input: string, ...args: string[]) =>
  runCli([...args, '-n', 'shop', '-f', '-', '--assume-enforced'], input);

const NOTE =
  'note: Deployment shop/api has replicas: 0, so no pod of it runs now; answered for its pod template: the answer holds once it runs';

describe('a Deployment scaled to zero', () => {
  it('is no backend: its Service has none, and check says why', async () => {
    const checked = await run(INPUT, 'check', 'deploy/web', 'svc/api');
    expect(checked.exitCode).toBe(2);
    expect(checked.stderr).toBe(
      'error: svc/api: the service selects no pod in the input: Deployment shop/api has replicas: 0, so no pod of it runs now, and the service has no backend\n',
    );
  });

  it('is no row of the matrix', async () => {
    const matrix = await run(INPUT, 'matrix', '-o', 'json');
    expect(JSON.parse(matrix.stdout).pods.map((pod: { id: string }) => pod.id)).toEqual([
      'shop/web',
    ]);
  });

  it('named by check, is answered once it runs, with a note', async () => {
    const checked = await run(INPUT, 'check', 'deploy/web', 'deploy/api', '--port', '8080');
    expect(checked.exitCode).toBe(0);
    expect(checked.stdout.split('\n').slice(0, 2)).toEqual([
      NOTE,
      'ALLOWED  shop/web -> shop/api  TCP 8080',
    ]);
    const json = await run(INPUT, 'check', 'api', 'web', '--port', '8080', '-o', 'json');
    expect(JSON.parse(json.stdout).notes).toEqual([
      {
        kind: 'scaled-to-zero',
        workload: { kind: 'Deployment', namespace: 'shop', name: 'api' },
        message: NOTE.slice('note: '.length),
      },
    ]);
  });

  it('named by explain, is explained once it runs, alone in its input too', async () => {
    const explained = await run(INPUT, 'explain', 'deploy/api', '-o', 'json');
    expect(explained.exitCode).toBe(0);
    const data = JSON.parse(explained.stdout);
    expect(data.notes.map((note: { kind: string }) => note.kind)).toEqual(['scaled-to-zero']);
    expect(data.ingress.pods.map((pod: { pod: string }) => pod.pod)).toEqual(['shop/web']);
    const alone = await run(API, 'explain', 'deploy/api');
    expect(alone.stderr).toBe('');
    expect(alone.stdout.split('\n').slice(0, 4)).toEqual([
      NOTE,
      'Deployment shop/api',
      '  labels: app=api',
      '  replicas: 0',
    ]);
  });
});
