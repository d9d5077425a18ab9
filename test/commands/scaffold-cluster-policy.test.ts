/**
 * `scaffold baseline-deny` and `scaffold admin-deny`: a ClusterNetworkPolicy printed, checked
 * as the API server would, its effect previewed on the snapshot, saved and applied.
 */

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import {
  emptyList,
  fakeApiServer,
  jsonAnswer,
  kubeconfigFile,
  tempDir,
} from '../helpers/fake-api.js';

const scaffold = (...args: string[]) => runCli(['scaffold', ...args, '--demo']);

describe('kubectl netpol scaffold baseline-deny', () => {
  it('prints a Baseline ClusterNetworkPolicy whose DNS Accept comes before the Deny', async () => {
    const run = await scaffold('baseline-deny', '-n', 'legacy', '--allow-dns', '-o', 'yaml');
    expect(run.exitCode).toBe(0);
    const policy = parse(run.stdout);
    expect(policy).toMatchObject({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'baseline-deny-legacy' },
      spec: {
        tier: 'Baseline',
        priority: 1000,
        subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'legacy' } } },
        ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      },
    });
    expect(policy.spec.egress.map((r: { action: string }) => r.action)).toEqual(['Accept', 'Deny']);
    expect(policy.spec.egress[1].to).toEqual([
      { namespaces: {} },
      { networks: ['0.0.0.0/0', '::/0'] },
    ]);
    expect(run.stderr).toMatch(/^# blocks \d+ flows$/m);
    expect(run.stderr).toContain(
      'legacy/inventory-5b7f9c8d4-t2wnq -> monitoring/prometheus-k8s-0: all ports => nothing',
    );
    expect(run.stderr).not.toContain('blocks DNS');
  });

  it('warns that denying egress without --allow-dns blocks DNS', async () => {
    const run = await scaffold('baseline-deny', '-n', 'legacy', '--direction', 'egress');
    expect(run.exitCode).toBe(0);
    expect(parse(run.stdout).metadata.name).toBe('baseline-deny-legacy-egress');
    expect(run.stderr).toContain('# blocks DNS: 3 pods cannot resolve names');
    // Only the template's own switch: a NetworkPolicy allowing DNS would not undo an Admin Deny.
    expect(run.stderr).toContain('legacy/busybox (add --allow-dns)\n');
  });

  it('refuses a priority the API server would refuse, and ports it has no use for', async () => {
    const high = await scaffold('baseline-deny', '-n', 'legacy', '--priority', '1001');
    expect(high.exitCode).toBe(2);
    expect(high.stderr).toBe(
      'error: clusternetworkpolicy baseline-deny-legacy: spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000 and greater than or equal to 0\n',
    );
    const port = await scaffold('baseline-deny', '-n', 'legacy', '--port', '80');
    expect(port.stderr).toBe(
      'error: --port does not apply to baseline-deny: it denies every port\n',
    );
  });

  it('saves, and never overwrites without --force', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'netpol-cnp-')), 'baseline.yaml');
    const first = await scaffold('baseline-deny', '-n', 'legacy', '--save', file);
    expect(first.exitCode).toBe(0);
    expect(parse(readFileSync(file, 'utf8')).kind).toBe('ClusterNetworkPolicy');
    writeFileSync(file, 'precious');
    const again = await scaffold('baseline-deny', '-n', 'legacy', '--save', file);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`${file} already exists; use --force to overwrite it`);
    expect(readFileSync(file, 'utf8')).toBe('precious');
  });
});

describe('kubectl netpol scaffold admin-deny', () => {
  it('denies ingress from every other namespace, over the NetworkPolicies that allow it', async () => {
    const run = await scaffold('admin-deny', '-n', 'production', '-o', 'json');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).spec).toEqual({
      tier: 'Admin',
      priority: 100,
      subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'production' } } },
      ingress: [
        {
          name: 'deny-ingress',
          action: 'Deny',
          from: [
            {
              namespaces: {
                matchExpressions: [
                  { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['production'] },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(run.stderr).toContain(
      '# blocks 6 flows\n#   ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w -> production/frontend-84c5d9b7f6-hx2lq: TCP 8080 => nothing\n',
    );
  });

  it('denies only the namespaces given, and names the other direction a mistake', async () => {
    const run = await scaffold('admin-deny', '-n', 'staging', '--from-namespace', 'monitoring');
    expect(parse(run.stdout).spec.ingress[0].from).toEqual([
      { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
    const wrong = await scaffold('admin-deny', '-n', 'staging', '--to-namespace', 'monitoring');
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toBe(
      'error: --to-namespace does not apply to ingress: its peers are --from-namespace\n',
    );
  });
});

async function body(req: IncomingMessage): Promise<{ metadata: { name: string } }> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

/**
 * Runs `scaffold admin-deny --apply --yes` against a fake API server that holds no policy and
 * answers server-side applies (PATCH) with `status`.
 */
async function applyWith(status: number) {
  const posts: string[] = [];
  const server = await fakeApiServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith(`${path}/`)) return notFound(res);
    if (req.method !== 'PATCH') return emptyList(res);
    body(req).then((policy) => {
      posts.push(`${req.url} ${policy.metadata.name}`);
      if (status === 404) notFound(res);
      else jsonAnswer(res, status, policy);
    });
  });
  try {
    const config = kubeconfigFile(tempDir(), server.url);
    const run = await runCli(['scaffold', 'admin-deny', '-n', 'app', '--apply', '--yes'], '', {
      HOME: '/nonexistent-home',
      KUBECONFIG: config,
    });
    return { run, posts };
  } finally {
    await server.close();
  }
}

const path = '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies';

function notFound(res: ServerResponse): void {
  jsonAnswer(res, 404, {
    kind: 'Status',
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
  });
}

describe('scaffold admin-deny --apply', () => {
  const object = `${path}/admin-deny-app-ingress?fieldManager=kubectl-netpol`;

  it('dry-runs the ClusterNetworkPolicy on the server, then creates it by server-side apply', async () => {
    const { run, posts } = await applyWith(201);
    expect(run.exitCode).toBe(0);
    expect(posts).toEqual([
      `${object}&dryRun=All admin-deny-app-ingress`,
      `${object} admin-deny-app-ingress`,
    ]);
    expect(run.stderr).toContain(
      'server dry run accepted: clusternetworkpolicy admin-deny-app-ingress\n',
    );
    expect(run.stderr).toContain('added   clusternetworkpolicy admin-deny-app-ingress\n');
    expect(run.stderr).toMatch(/created: clusternetworkpolicy admin-deny-app-ingress\n$/);
  });

  it('says so when the cluster does not serve ClusterNetworkPolicy', async () => {
    const { run, posts } = await applyWith(404);
    expect(posts).toEqual([`${object}&dryRun=All admin-deny-app-ingress`]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('error: ClusterNetworkPolicy is not installed on this cluster\n');
  });
});
