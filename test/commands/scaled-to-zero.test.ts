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

/** The NetworkPolicy shop/api-from-worker: the app=api pods admit the app=worker pods only. */
const API_FROM_WORKER = API_FROM_WEB.replaceAll('web', 'worker');

describe('a workload scaled to zero that a rule admits', () => {
  const input = [
    shopDeployment('web', 2),
    shopDeployment('api', 1),
    shopDeployment('worker', 0),
    API_FROM_WORKER,
  ];

  it("is named by the audit as why the rule's peer selects no pod, not as a selector's mistake", async () => {
    const audited = await run(input.join('\n---\n'), 'audit', '-o', 'json');
    const finding = JSON.parse(audited.stdout).findings.find(
      (f: { code: string }) => f.code === 'pod-selector-matches-nothing',
    );
    expect(finding).toMatchObject({
      severity: 'info',
      scaledToZero: [{ kind: 'Deployment', namespace: 'shop', name: 'worker' }],
      fixes: [],
      message:
        'peer 1 of shop/api-from-worker ingress rule 1: podSelector app=worker matches no pod in namespace shop now: Deployment shop/worker has replicas: 0, so no pod of it runs now; the rule applies to its pods once it runs',
    });
    const text = await run(input.join('\n---\n'), 'audit');
    expect(text.stdout).not.toContain('compare with the labels of the pods meant');
  });

  it("is named by check's diagnosis as why the peer selects no pod, not as a selector's mistake", async () => {
    const args = ['check', 'deploy/web', 'deploy/api', '--port', '8080'];
    const checked = await run(input.join('\n---\n'), ...args);
    expect(checked.stdout).toContain(
      "\n      the peer's podSelector app=worker matches no running pod: Deployment shop/worker has replicas: 0, so no pod of it runs now\n",
    );
    expect(checked.stdout).not.toContain('matches no pod');
  });

  it('is named by explain of a policy beside the pods its selectors match now', async () => {
    const workerFromWeb = API_FROM_WEB.replaceAll('api', 'worker');
    const both = [...input, workerFromWeb].join('\n---\n');
    const peer = await run(both, 'explain', 'networkpolicy/api-from-worker');
    expect(peer.stdout.split('\n')[4]).toBe(
      '  pods with app=worker in namespace shop: 0 pods; Deployment shop/worker has replicas: 0, so no pod of it runs now',
    );
    const selected = await run(both, 'explain', 'networkpolicy/worker-from-web');
    expect(selected.stdout.split('\n')[1]).toBe(
      'selects 0 pods; Deployment shop/worker has replicas: 0, so no pod of it runs now',
    );
  });

  it('is named once by explain of a policy selecting it, in text and -o json', async () => {
    const workerFromWeb = API_FROM_WEB.replaceAll('api', 'worker');
    const both = [...input, workerFromWeb].join('\n---\n');
    const text = await run(both, 'explain', 'networkpolicy/worker-from-web');
    expect(text.stdout.split('Deployment shop/worker').length - 1).toBe(1);
    const json = await run(both, 'explain', 'networkpolicy/worker-from-web', '-o', 'json');
    const view = JSON.parse(json.stdout);
    expect([view.selectedScaledToZero, view.effect.scaledToZero]).toEqual([
      [{ kind: 'Deployment', namespace: 'shop', name: 'worker' }],
      undefined,
    ]);
  });

  it("is named by a scaffold's effect preview as what the policy changes once it runs", async () => {
    const args = ['scaffold', 'allow', '--to', 'app=worker', '--from', 'app=web', '--port', '8080'];
    const scaffolded = await run(input.join('\n---\n'), ...args);
    expect(scaffolded.stderr.split('\n')).toEqual([
      '# opens 0 flows',
      '# blocks 0 flows',
      '# Deployment shop/worker has replicas: 0, so no pod of it runs now: the policy selects its pods, whose flows change once it runs',
      '',
    ]);
  });

  it("makes a policy selecting it no near miss of another pod's check", async () => {
    const apiDeny = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-deny, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress]}`;
    const workerFromWeb = API_FROM_WEB.replaceAll('api', 'worker');
    const denied = [...input.slice(0, 3), apiDeny, workerFromWeb].join('\n---\n');
    const checked = await run(denied, 'check', 'deploy/web', 'deploy/api', '--port', '8080');
    expect(checked.stdout.split('\n').slice(2, 6)).toEqual([
      '  ingress of shop/api: DENIED (isolated by shop/api-deny)',
      '    shop/api-deny has no ingress rules: it only isolates',
      '    no rule allows any ingress traffic for shop/api',
      '  to allow it: give shop/api an ingress rule from shop/web on TCP 8080:',
    ]);
  });
});

describe('scaffold fix', () => {
  it("prints check's notes on the flow, not only the scaled-to-zero one", async () => {
    const service = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {clusterIP: 10.96.0.10, selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}`;
    const input = [shopDeployment('web', 2), shopDeployment('api', 1), service, API_FROM_WORKER];
    const args = ['deploy/web', '10.96.0.10', '--port', '80', '-n', 'shop', '-f', '-'];
    const checked = await runCli(['check', ...args], input.join('\n---\n'));
    const notes = checked.stdout.split('\n').filter((line) => line.startsWith('note: '));
    expect(notes).toEqual([
      expect.stringMatching(/^note: 10.96.0.10 is the ClusterIP of service shop\/api /),
      expect.stringMatching(/^note: the network plugin could not be identified /),
    ]);
    const fixed = await runCli(['scaffold', 'fix', ...args], input.join('\n---\n'));
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stderr.split('\n').slice(0, 2)).toEqual(notes.map((line) => `# ${line}`));
  });
});
