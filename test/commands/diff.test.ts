import { writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  bareXPod,
  jsonAnswer,
  kubeconfigFile,
  listOf,
  routedApiServer,
  tempDir,
} from '../helpers/fake-api.js';
import { policyYaml } from '../helpers/scenario.js';

const FIXTURES = 'test/fixtures/diff';
const SHOP = 'test/fixtures/manifests/shop';

describe('kubectl netpol diff', () => {
  it('lists the objects changed and the flows opened, with the rule deciding them; exit 1', async () => {
    const run = await runCli(['diff', '--demo', '-f', `${FIXTURES}/api-ingress-widened.yaml`]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('1 object changed; flows: 6 opened, 0 closed');
    expect(lines).toContain('changed NetworkPolicy production/allow-api-ingress-from-frontend');
    expect(lines.find((line) => line.startsWith('CHANGE'))).toMatch(
      /^CHANGE +FROM +TO +PORTS +BEFORE +AFTER +DECIDED BY \(AFTER\)$/,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^opened +monitoring\/prometheus-k8s-0 +production\/api-7d9f8b6c5-x2k4p +TCP 8080 +DENIED +ALLOWED +egress not isolated; production\/allow-api-ingress-from-frontend ingress rule 1$/,
      ),
    );
  });

  it('gives the same as JSON', async () => {
    const run = await runCli([
      'diff',
      '--demo',
      '-f',
      `${FIXTURES}/api-ingress-widened.yaml`,
      '-o',
      'json',
    ]);
    expect(run.exitCode).toBe(1);
    const data = JSON.parse(run.stdout);
    expect(data.objects).toEqual([
      { object: 'NetworkPolicy production/allow-api-ingress-from-frontend', change: 'changed' },
    ]);
    expect(data.flows).toHaveLength(6);
    expect(data.flows[0]).toEqual({
      change: 'opened',
      from: 'monitoring/prometheus-k8s-0',
      to: 'production/api-7d9f8b6c5-x2k4p',
      ports: [{ protocol: 'TCP', ranges: [[8080, 8080]] }],
      before: 'DENIED',
      after: 'ALLOWED',
      decidedBy: {
        protocol: 'TCP',
        port: 8080,
        outcome: 'ALLOWED',
        sides: [
          { direction: 'egress', kind: 'unrestricted', reason: 'no-policy' },
          {
            direction: 'ingress',
            kind: 'rule',
            policy: { namespace: 'production', name: 'allow-api-ingress-from-frontend' },
            ruleIndex: 0,
          },
        ],
      },
    });
  });

  it('exits 0 when the objects are already in place', async () => {
    const run = await runCli(['diff', '--demo', '-f', `${FIXTURES}/default-deny-all.yaml`]);
    expect(run).toEqual({
      exitCode: 0,
      stdout: 'no change: the objects given are already in place\n',
      stderr: '',
    });
  });

  it('deletes a ClusterNetworkPolicy by name, opening what it denied', async () => {
    const run = await runCli([
      'diff',
      '--demo',
      '--delete',
      `${FIXTURES}/legacy-default-deny.yaml`,
      '-o',
      'json',
    ]);
    expect(run.exitCode).toBe(1);
    const data = JSON.parse(run.stdout);
    expect(data.objects).toEqual([
      { object: 'ClusterNetworkPolicy legacy-default-deny', change: 'removed' },
    ]);
    expect(data.flows.length).toBeGreaterThan(0);
    for (const flow of data.flows) {
      expect(flow).toMatchObject({ change: 'opened', before: 'DENIED', after: 'ALLOWED' });
      expect(flow.to).toMatch(/^legacy\//);
    }
  });

  it('compares two folders with --base, as CI would', async () => {
    const same = await runCli(['diff', '--base', SHOP, '-f', SHOP]);
    expect(same.exitCode).toBe(0);
    const removed = await runCli(['diff', '--base', SHOP, '--delete', `${SHOP}/policies.json`]);
    expect(removed.exitCode).toBe(1);
    expect(removed.stdout).toMatch(/^6 objects changed; flows: \d+ opened, 0 closed\n/);
    expect(removed.stdout).toContain('removed NetworkPolicy payments/db-ingress');
  });

  it('warns about objects to delete that are not there, a change of nothing', async () => {
    const run = await runCli([
      'diff',
      '--base',
      SHOP,
      '--delete',
      `${FIXTURES}/legacy-default-deny.yaml`,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('no change: the objects given are already in place');
    expect(run.stderr).toBe(
      'warning: --delete: not in the current state, nothing to delete: ClusterNetworkPolicy legacy-default-deny\n',
    );
  });

  it('says first when the network plugin does not enforce NetworkPolicies', async () => {
    const flannel = ['--base', SHOP, '--base', 'test/fixtures/cni/flannel.yaml'];
    const run = await runCli(['diff', ...flannel, '--delete', `${SHOP}/policies.json`]);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^not enforced: Flannel does not enforce NetworkPolicies, so the traffic flows whatever they say/,
    );
    expect(lines[1]).toMatch(/^6 objects changed; flows: \d+ opened, 0 closed$/);
    const json = await runCli([
      'diff',
      ...flannel,
      '--delete',
      `${SHOP}/policies.json`,
      '-o',
      'json',
    ]);
    expect(JSON.parse(json.stdout).enforcement).toEqual({
      plugin: 'Flannel',
      enforcesPolicies: false,
      assumed: false,
    });
    const assumed = await runCli(['diff', ...flannel, '-f', SHOP, '--assume-enforced']);
    expect(assumed.stdout).toBe('no change: the objects given are already in place\n');
  });

  it('names the policies not evaluated, a deleted one too: it decided the flows before', async () => {
    const dir = tempDir();
    const stub =
      'apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: allow-web, namespace: shop}\n';
    writeFileSync(join(dir, 'antrea.yaml'), stub);
    const layers = 'test/fixtures/manifests/layers';
    const run = await runCli(['diff', '--base', layers, '--delete', join(dir, 'antrea.yaml')]);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('removed NetworkPolicy shop/allow-web');
    expect(lines).toContain(
      'not evaluated: these policies are of kinds the engine does not evaluate yet, and this answer does not include their effect:',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}NetworkPolicy shop\/allow-web \(crd\.antrea\.io\/v1beta1\) in /),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}ClusterNetworkPolicy default-deny \(crd\.antrea\.io/),
    );
  });

  it('narrows the objects and flows to the namespace of -n, showing a cluster-scoped object that changes its flows', async () => {
    const both = [
      'diff',
      '--demo',
      '-f',
      `${FIXTURES}/api-ingress-widened.yaml`,
      '--delete',
      `${FIXTURES}/legacy-default-deny.yaml`,
      '-o',
      'json',
    ];
    const everywhere = JSON.parse((await runCli(both)).stdout);
    expect(everywhere.objects).toEqual([
      { object: 'NetworkPolicy production/allow-api-ingress-from-frontend', change: 'changed' },
      { object: 'ClusterNetworkPolicy legacy-default-deny', change: 'removed' },
    ]);
    const inNamespace = async (namespace: string) => {
      const run = await runCli([...both, '-n', namespace]);
      expect(run.exitCode).toBe(1);
      const data = JSON.parse(run.stdout);
      expect(Object.keys(data)).toEqual(Object.keys(everywhere));
      for (const flow of data.flows) expect(`${flow.from} ${flow.to}`).toContain(`${namespace}/`);
      expect(data.flows.length).toBeGreaterThan(0);
      expect(data.flows.length).toBeLessThan(everywhere.flows.length);
      return data.objects;
    };
    // Deleting the legacy deny opens nothing to or from production: it is not shown there.
    expect(await inNamespace('production')).toEqual([
      { object: 'NetworkPolicy production/allow-api-ingress-from-frontend', change: 'changed' },
    ]);
    // monitoring's pods gain flows from both; the production policy is another namespace's object.
    expect(await inNamespace('monitoring')).toEqual([
      { object: 'ClusterNetworkPolicy legacy-default-deny', change: 'removed' },
    ]);
  });

  it('says there is no change in the namespace of -n when the change is elsewhere; exit 0', async () => {
    const run = await runCli([
      'diff',
      '--demo',
      '-f',
      `${FIXTURES}/api-ingress-widened.yaml`,
      '-n',
      'staging',
    ]);
    expect(run).toEqual({
      exitCode: 0,
      stdout: 'no change in namespace staging: the objects given change no object or flow there\n',
      stderr: '',
    });
  });

  it.each([
    [
      ['-f', `${FIXTURES}/malformed.yaml`],
      /^error: cannot diff: test\/fixtures\/diff\/malformed\.yaml:1 .*malformed YAML/,
    ],
    [
      ['-f', `${FIXTURES}/missing.yaml`],
      /^error: cannot diff: test\/fixtures\/diff\/missing\.yaml: cannot read/,
    ],
    [[], /^error: diff needs objects to apply \(-f PATH\) or to delete \(--delete PATH\)\n$/],
    [['--base', SHOP, '-f', SHOP], /^error: --base and --demo name two bases: give one\n$/],
  ])('exits 2 with one line on bad input: %j', async (args, message) => {
    const run = await runCli(['diff', '--demo', ...args]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(message);
  });
});

/** A live cluster with pods x/a and x/b, b isolated for ingress; or its policies forbidden. */
async function liveCluster(
  policies: 'readable' | 'forbidden',
): Promise<{ config: string; dir: string }> {
  const deny = {
    metadata: { name: 'deny-b', namespace: 'x' },
    spec: { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'] },
  };
  const forbidden = (res: ServerResponse) =>
    jsonAnswer(res, 403, { reason: 'Forbidden', message: 'forbidden', code: 403 });
  const server = await routedApiServer({
    '/api/v1/namespaces': listOf([{ metadata: { name: 'x' } }]),
    '/api/v1/pods': listOf([bareXPod('a', '10.0.0.1'), bareXPod('b', '10.0.0.2')]),
    '/api/v1/services': listOf([]),
    '/apis/discovery.k8s.io/v1/endpointslices': listOf([]),
    '/apis/networking.k8s.io/v1/networkpolicies':
      policies === 'readable' ? listOf([deny]) : forbidden,
    '/apis/networking.k8s.io/v1/namespaces/x/networkpolicies':
      policies === 'readable' ? listOf([deny]) : forbidden,
  });
  const dir = tempDir();
  const allow = policyYaml(
    'x/allow-a',
    'podSelector: {matchLabels: {app: b}}\ningress: [{from: [{podSelector: {matchLabels: {app: a}}}], ports: [{port: 80}]}]',
  );
  writeFileSync(join(dir, 'allow.yaml'), allow);
  return { config: kubeconfigFile(dir, server.url), dir };
}

describe('kubectl netpol diff against a live cluster', () => {
  it('applies the change to what the cluster holds', async () => {
    const { config, dir } = await liveCluster('readable');
    const run = await runCli([
      'diff',
      '--kubeconfig',
      config,
      '-f',
      join(dir, 'allow.yaml'),
      '-o',
      'json',
    ]);
    expect(run.exitCode).toBe(1);
    const data = JSON.parse(run.stdout);
    expect(data.objects).toEqual([{ object: 'NetworkPolicy x/allow-a', change: 'added' }]);
    expect(data.flows).toMatchObject([
      {
        change: 'opened',
        from: 'x/a',
        to: 'x/b',
        ports: [{ protocol: 'TCP', ranges: [[80, 80]] }],
        before: 'DENIED',
        after: 'ALLOWED',
      },
    ]);
  });

  it('keeps what could not be read UNKNOWN on both sides, so it is no flow change', async () => {
    const { config, dir } = await liveCluster('forbidden');
    const run = await runCli([
      'diff',
      '--kubeconfig',
      config,
      '-f',
      join(dir, 'allow.yaml'),
      '-o',
      'json',
    ]);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      objects: [{ object: 'NetworkPolicy x/allow-a', change: 'added' }],
      flows: [],
      partial: true,
      unread: [{ resource: 'networkpolicies', namespace: 'x', reason: '403 Forbidden' }],
    });
  });

  it('says in text which lists could not be read, and that the plugin is assumed to enforce', async () => {
    const { config, dir } = await liveCluster('forbidden');
    const run = await runCli(['diff', '--kubeconfig', config, '-f', join(dir, 'allow.yaml')]);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '1 object changed; flows: 0 opened, 0 closed',
      '',
      'added   NetworkPolicy x/allow-a',
    ]);
    expect(lines).toContain(
      'partial: these lists could not be read, and what they hold is not in this answer:',
    );
    expect(lines).toContain(
      '  networkpolicies in namespace x (403 Forbidden); check: kubectl auth can-i list networkpolicies -n x',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^note: the network plugin could not be identified from the input/),
    );
  });
});
