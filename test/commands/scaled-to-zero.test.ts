/**
 * A Deployment scaled to zero from manifests: no pod of it is listed or sent to, and check and
 * explain naming it answer for its pods once it runs, saying that none runs now.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { API_FROM_WEB, shopDeployment } from '../helpers/shop-workloads.js';

const API = shopDeployment('api', 0);

const INPUT = [
  shopDeployment('web', 2),
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
  API_FROM_WEB,
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

describe('a workload scaled to zero, beyond check and explain', () => {
  it('is offered by completion from files, in a namespace holding nothing else too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-scaled-to-zero-'));
    const db = shopDeployment('db', 0).replaceAll('shop', 'data');
    writeFileSync(join(dir, 'all.yaml'), [INPUT, db].join('\n---\n'));
    const complete = async (...words: string[]) =>
      (await runCli(['__completeNoDesc', 'check', '-f', dir, ...words])).stdout;
    expect(await complete('-n', 'shop', 'deploy/')).toBe('deploy/web\ndeploy/api\n:4\n');
    expect(await complete('-n', '')).toBe('data\nshop\n:4\n');
    expect(await complete('-n', 'shop', 'data/')).toBe('data/db\n:4\n');
  });

  it('checked against itself, is answered between two of its pods once it runs', async () => {
    const checked = await run(INPUT, 'check', 'deploy/api', 'deploy/api', '--port', '8080');
    expect(checked.stdout).toContain(
      '  (between two pods of Deployment shop/api once it runs with two or more replicas; none runs now: policies apply to that traffic, while a pod reaching itself is always allowed)\n',
    );
    expect(checked.stdout).not.toContain('replicas of');
  });

  it('named by scaffold fix, gets the note of check, as a comment beside the policies', async () => {
    const fixed = await run(INPUT, 'scaffold', 'fix', 'deploy/api', 'deploy/api', '--port', '8080');
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stderr.split('\n')[0]).toBe(`# ${NOTE}`);
    expect(fixed.stdout).toMatch(/^apiVersion: networking.k8s.io\/v1\n/);
    const allowed = await run(INPUT, 'scaffold', 'fix', 'deploy/web', 'api', '--port', '8080');
    expect(allowed.stderr).toBe(
      `# ${NOTE}\nerror: nothing to fix: deploy/web -> api port 8080 is ALLOWED (see check)\n`,
    );
  });

  it("is named by the audit as why its policy selects no pod, not as a selector's mistake", async () => {
    const audited = await run(INPUT, 'audit', '-o', 'json');
    const finding = JSON.parse(audited.stdout).findings.find(
      (f: { code: string }) => f.code === 'policy-selects-no-pods',
    );
    expect(finding).toMatchObject({
      severity: 'info',
      scaledToZero: [{ kind: 'Deployment', namespace: 'shop', name: 'api' }],
      message:
        'shop/api-from-web: podSelector app=api selects no pod in shop now: Deployment shop/api has replicas: 0, so no pod of it runs now; the policy applies to its pods once it runs',
    });
    const text = await run(INPUT, 'audit');
    expect(text.stdout).not.toContain('compare with the labels of the pods meant');
  });
});
