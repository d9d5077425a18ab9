import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { scaffoldPolicy } from '../../src/engine/index.js';
import { ApiClient } from '../../src/io/cluster/api-client.js';
import { applyPolicy } from '../../src/io/cluster/apply-policy.js';
import { ApplyConflictError } from '../../src/io/cluster/apply-terms.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { describeOnCluster } from './test-cluster.js';

const NS = 'e2e-diff';

const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: ${NS}}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

/** The allow from web to api, on `port`. */
const allow = (port: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web-to-api, namespace: ${NS}}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: ${port}, protocol: TCP}]
`;

/** In NS (web, api), a default deny, web admitted to api on 8080. */
const POLICIES = `${DENY}---
${allow(8080)}`;

interface DiffJson {
  objects: { object: string; change: string }[];
  flows: { change: string; from: string; to: string; ports: unknown; before: string }[];
}

describeOnCluster(
  'diff against a real kube-apiserver',
  (cluster) => {
    cluster.addPods(NS, {
      web: { ip: '10.244.3.10' },
      api: { ip: '10.244.3.11', ports: [8080, 9090] },
    });
    cluster.applyYaml(POLICIES);
  },
  (cluster) => {
    /** Folders of manifests, as a pull request would hold them. */
    let folders: { same: string; moved: string; allow: string };
    const diff = (...args: string[]) => cluster.kubectl(['netpol', 'diff', ...args]);
    const folder = (name: string, files: Record<string, string>) => {
      const dir = join(cluster.dir, name);
      mkdirSync(dir);
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return dir;
    };

    beforeAll(() => {
      folders = {
        same: folder('same', { 'deny.yaml': DENY, 'allow.yaml': allow(8080) }),
        moved: folder('moved', { 'deny.yaml': DENY, 'allow.yaml': allow(9090) }),
        allow: folder('allow', { 'allow.yaml': allow(8080) }),
      };
    });

    it('exits 0 for the objects the cluster already holds', () => {
      const run = diff('-f', folders.same);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('no change: the objects given are already in place');
    });

    it('lists the flows a changed allow closes and opens, with what decides them; exit 1', () => {
      const run = diff('-f', folders.moved);
      expect(run.exitCode, run.stderr).toBe(1);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe('1 object changed; flows: 1 opened, 1 closed');
      expect(lines).toContain(`changed NetworkPolicy ${NS}/allow-web-to-api`);
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^closed +${NS}/web +${NS}/api +TCP 8080 +ALLOWED +DENIED +ingress isolated by ${NS}/allow-web-to-api, ${NS}/default-deny-ingress, no rule admits it$`,
          ),
        ),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^opened +${NS}/web +${NS}/api +TCP 9090 +DENIED +ALLOWED +egress not isolated; ${NS}/allow-web-to-api ingress rule 1$`,
          ),
        ),
      );
      // Nothing shows which network plugin runs here: the answer says what it assumes.
      expect(run.stdout).toContain(
        'note: the network plugin could not be identified from the input; this answer assumes it enforces NetworkPolicies',
      );
    });

    it('closes what the allow admitted when it is deleted', () => {
      const run = diff('--delete', folders.allow, '-o', 'json');
      expect(run.exitCode, run.stderr).toBe(1);
      const data = JSON.parse(run.stdout) as DiffJson;
      expect(data.objects).toEqual([
        { object: `NetworkPolicy ${NS}/allow-web-to-api`, change: 'removed' },
      ]);
      expect(data.flows).toMatchObject([
        {
          change: 'closed',
          from: `${NS}/web`,
          to: `${NS}/api`,
          ports: [{ protocol: 'TCP', ranges: [[8080, 8080]] }],
          before: 'ALLOWED',
          after: 'DENIED',
        },
      ]);
      // A diff reads the cluster and writes nothing.
      expect(cluster.mustKubectl(['get', 'networkpolicy', '-n', NS, '-o', 'name'])).toContain(
        'allow-web-to-api',
      );
    });

    it('gives the changed allow as JSON, and the identical one as empty lists', () => {
      const moved = diff('-f', folders.moved, '-o', 'json');
      expect(moved.exitCode, moved.stderr).toBe(1);
      const data = JSON.parse(moved.stdout) as DiffJson;
      expect(data.objects).toEqual([
        { object: `NetworkPolicy ${NS}/allow-web-to-api`, change: 'changed' },
      ]);
      expect(data.flows.map((flow) => [flow.change, flow.ports])).toEqual([
        ['closed', [{ protocol: 'TCP', ranges: [[8080, 8080]] }]],
        ['opened', [{ protocol: 'TCP', ranges: [[9090, 9090]] }]],
      ]);
      const same = diff('-f', folders.same, '-o', 'json');
      expect(same.exitCode, same.stderr).toBe(0);
      expect(JSON.parse(same.stdout)).toMatchObject({ objects: [], flows: [] });
    });

    it('narrows to -n: no change in another namespace, exit 0', () => {
      const run = diff('-f', folders.moved, '-n', 'default');
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe(
        'no change in namespace default: the objects given change no object or flow there',
      );
    });

    it("names the fields and manager of an apply over kubectl's, as the TUI shows them", async () => {
      const client = new ApiClient(
        resolveKubeConfig({ kubeconfig: cluster.kubeconfig }, {}),
        30_000,
      );
      const deny = scaffoldPolicy({ kind: 'default-deny', namespace: NS, direction: 'both' });
      const policy = { ...deny, name: 'allow-web-to-api' };
      const error = await applyPolicy(client, policy, { dryRun: true, force: false }).catch(
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ApplyConflictError);
      const { object, conflicts } = error as ApplyConflictError;
      expect(object).toBe(`networkpolicy ${NS}/allow-web-to-api`);
      expect(conflicts.length).toBeGreaterThan(0);
      for (const conflict of conflicts) {
        expect(conflict).toMatchObject({
          manager: 'kubectl-client-side-apply',
          apiVersion: 'networking.k8s.io/v1',
          field: expect.stringMatching(/^\.spec\./),
        });
      }
      // Forced, the dry run is accepted.
      await expect(
        applyPolicy(client, policy, { dryRun: true, force: true }),
      ).resolves.toBeTruthy();
    });
  },
);
