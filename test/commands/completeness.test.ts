import type { ServerResponse } from 'node:http';
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

const LAYERS = 'test/fixtures/manifests/layers';
const FILE = `${LAYERS}/cluster.yaml`;

/** The unmodelled policies of LAYERS, with where the file holds them. */
const UNMODELLED = [
  {
    apiVersion: 'crd.antrea.io/v1beta1',
    kind: 'ClusterNetworkPolicy',
    name: 'default-deny',
    location: { file: FILE, document: 7, line: 40 },
  },
  {
    apiVersion: 'crd.antrea.io/v1beta1',
    kind: 'ClusterNetworkPolicy',
    name: 'lockdown',
    location: { file: FILE, document: 6, line: 34 },
  },
  {
    apiVersion: 'crd.antrea.io/v1beta1',
    kind: 'NetworkPolicy',
    namespace: 'shop',
    name: 'allow-web',
    location: { file: FILE, document: 5, line: 26 },
  },
];

const COMPLETE_NO_LAYERS = { partial: false, unread: [], unmodelled: [] };

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('answers name the policies of layers the engine does not evaluate', () => {
  const check = ['check', '-f', LAYERS, 'shop/web', 'shop/api', '--port', '8080'];

  it('check -o json carries partial, unread and unmodelled', async () => {
    const run = await runCli([...check, '-o', 'json']);
    expect(JSON.parse(run.stdout)).toMatchObject({
      partial: false,
      unread: [],
      unmodelled: UNMODELLED,
    });
  });

  it('check says once, after the verdict, which policies were not evaluated', async () => {
    const run = await runCli(check);
    expect(occurrences(run.stdout, 'not evaluated:')).toBe(1);
    const tail = run.stdout.slice(run.stdout.indexOf('not evaluated:'));
    expect(tail.split('\n').slice(1, 4)).toEqual([
      `  ClusterNetworkPolicy default-deny (crd.antrea.io/v1beta1) in ${FILE}:40 (document 7)`,
      `  ClusterNetworkPolicy lockdown (crd.antrea.io/v1beta1) in ${FILE}:34 (document 6)`,
      `  NetworkPolicy shop/allow-web (crd.antrea.io/v1beta1) in ${FILE}:26 (document 5)`,
    ]);
    expect(run.stdout).not.toContain('partial:');
  });

  it('notes on stderr each one the engine does not evaluate, with its file and line', async () => {
    const run = await runCli(check);
    expect(run.stderr).toContain(
      `note: ${FILE}:26 (document 5): NetworkPolicy shop/allow-web: not evaluated: the engine does not evaluate NetworkPolicy (crd.antrea.io/v1beta1) yet, so verdicts on the pods it selects may differ on the cluster\n`,
    );
    expect(run.stderr).not.toContain('ignored');
  });

  it.each([
    ['matrix', ['matrix', '-f', LAYERS, '-o', 'json']],
    ['audit', ['audit', '-f', LAYERS, '-o', 'json']],
    ['explain (overview)', ['explain', '-f', LAYERS, '-o', 'json']],
    ['explain (pod)', ['explain', '-f', LAYERS, 'shop/api', '-o', 'json']],
  ])('%s -o json carries them too', async (_name, args) => {
    const run = await runCli(args);
    expect(JSON.parse(run.stdout)).toMatchObject({
      partial: false,
      unread: [],
      unmodelled: UNMODELLED,
    });
  });

  it.each([
    ['matrix', ['matrix', '-f', LAYERS]],
    ['audit', ['audit', '-f', LAYERS]],
    ['explain', ['explain', '-f', LAYERS, 'shop/api']],
  ])('%s text says it once', async (_name, args) => {
    const run = await runCli(args);
    expect(occurrences(run.stdout, 'not evaluated:')).toBe(1);
    expect(run.stdout).toContain('  NetworkPolicy shop/allow-web (crd.antrea.io/v1beta1)');
  });

  it('matrix -o yaml carries them', async () => {
    const run = await runCli(['matrix', '-f', LAYERS, '-o', 'yaml']);
    expect(run.stdout).toContain('partial: false\nunread: []\nunmodelled:\n');
  });

  it('a complete input says nothing in text and carries empty fields in JSON', async () => {
    const shop = 'test/fixtures/manifests/shop';
    const text = await runCli(['matrix', '-f', shop]);
    expect(text.stdout).not.toMatch(/partial:|not evaluated:/);
    const json = await runCli(['matrix', '-f', shop, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject(COMPLETE_NO_LAYERS);
  });

  it('escapes control characters in the names it shows', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec: {containers: []}
---
apiVersion: crd.antrea.io/v1beta1
kind: NetworkPolicy
metadata: {name: "evil\\e[2J", namespace: x}
`;
    const run = await runCli(['check', '-f', '-', 'x/a', 'x/a', '--port', '80'], yaml);
    expect(run.stdout).toContain('  NetworkPolicy x/evil\\x1b[2J (crd.antrea.io/v1beta1)');
    expect(run.stdout).not.toContain('\u001b');
  });
});

/** A cluster with pods x/a and x/b, whose networkpolicies the user may not list anywhere. */
async function clusterWithoutPolicyAccess(): Promise<string> {
  const forbidden = (res: ServerResponse) =>
    jsonAnswer(res, 403, {
      reason: 'Forbidden',
      message: 'networkpolicies is forbidden',
      code: 403,
    });
  const server = await routedApiServer({
    '/api/v1/namespaces': listOf([{ metadata: { name: 'x' } }]),
    '/api/v1/pods': listOf([bareXPod('a', '10.0.0.1'), bareXPod('b', '10.0.0.2')]),
    '/api/v1/services': listOf([]),
    '/apis/discovery.k8s.io/v1/endpointslices': listOf([]),
    '/apis/networking.k8s.io/v1/networkpolicies': forbidden,
    '/apis/networking.k8s.io/v1/namespaces/x/networkpolicies': forbidden,
  });
  return kubeconfigFile(tempDir(), server.url);
}

describe('answers from a partial read say what could not be read', () => {
  const unread = [
    {
      resource: 'networkpolicies',
      namespace: 'x',
      reason: '403 Forbidden',
      canI: 'kubectl auth can-i list networkpolicies -n x',
    },
  ];

  it('check -o json is partial and names the unread list', async () => {
    const config = await clusterWithoutPolicyAccess();
    const run = await runCli([
      'check',
      'x/a',
      'x/b',
      '--port',
      '80',
      '--kubeconfig',
      config,
      '-o',
      'json',
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject({ partial: true, unread, unmodelled: [] });
  });

  it('matrix -o json is partial and names the unread list', async () => {
    const config = await clusterWithoutPolicyAccess();
    const run = await runCli(['matrix', '--kubeconfig', config, '-o', 'json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ partial: true, unread });
  });

  it('check text says once which list was not read and how to check the permission', async () => {
    const config = await clusterWithoutPolicyAccess();
    const run = await runCli(['check', 'x/a', 'x/b', '--port', '80', '--kubeconfig', config]);
    expect(occurrences(run.stdout, 'partial:')).toBe(1);
    expect(run.stdout).toContain(
      '  networkpolicies in namespace x (403 Forbidden); check: kubectl auth can-i list networkpolicies -n x',
    );
  });
});
