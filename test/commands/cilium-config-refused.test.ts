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

const forbidden = (res: ServerResponse) =>
  jsonAnswer(res, 403, { reason: 'Forbidden', message: 'configmaps is forbidden', code: 403 });

/** A Cilium policy of namespace x: `subject` takes (or sends) TCP 80 only, from (or to) `peer`. */
const cnp = (name: string, subject: string, direction: 'ingress' | 'egress', peer: string) => ({
  metadata: { name, namespace: 'x' },
  spec: {
    endpointSelector: { matchLabels: { app: subject } },
    [direction]: [
      {
        [direction === 'ingress' ? 'fromEndpoints' : 'toEndpoints']: [
          { matchLabels: { app: peer } },
        ],
        toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
      },
    ],
  },
});

/**
 * A Cilium 1.18 agent pod: a release without the high-scale ipcache mode, which an unread
 * cilium-config leaves unknown too on 1.14 to 1.17 (test/engine/cilium-high-scale-ipcache.test.ts).
 */
const CILIUM_AGENT = {
  metadata: { name: 'cilium-x1', namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } },
  spec: {
    hostNetwork: true,
    containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.18.0' }],
  },
  status: { podIP: '192.168.1.10' },
};

/** Pods x/a and x/b, a may send to b on 80 only and b take only that, cilium-config refused. */
async function clusterWithoutCiliumConfig(): Promise<string> {
  const server = await routedApiServer({
    '/apis': (res) =>
      jsonAnswer(res, 200, {
        groups: [
          { name: 'cilium.io', versions: [{ groupVersion: 'cilium.io/v2', version: 'v2' }] },
        ],
      }),
    '/apis/cilium.io/v2': (res) =>
      jsonAnswer(res, 200, {
        resources: [
          { name: 'ciliumnetworkpolicies', kind: 'CiliumNetworkPolicy', namespaced: true },
        ],
      }),
    '/api/v1/namespaces': listOf([{ metadata: { name: 'x' } }]),
    '/api/v1/pods': listOf([bareXPod('a', '10.0.0.1'), bareXPod('b', '10.0.0.2'), CILIUM_AGENT]),
    '/api/v1/services': listOf([]),
    '/apis/discovery.k8s.io/v1/endpointslices': listOf([]),
    '/apis/networking.k8s.io/v1/networkpolicies': listOf([]),
    '/apis/cilium.io/v2/ciliumnetworkpolicies': listOf([
      cnp('b-from-a', 'b', 'ingress', 'a'),
      cnp('a-to-b', 'a', 'egress', 'b'),
    ]),
    '/api/v1/namespaces/kube-system/configmaps': forbidden,
  });
  return kubeconfigFile(tempDir(), server.url);
}

describe('a refused kube-system/cilium-config', () => {
  const check = async (port: number, ...more: string[]) =>
    runCli([
      'check',
      'x/a',
      'x/b',
      '--port',
      String(port),
      '--kubeconfig',
      await clusterWithoutCiliumConfig(),
      ...more,
    ]);

  it('keeps a verdict every enforcement mode gives, and lists the ConfigMap as unread', async () => {
    const run = await check(80, '-o', 'json');
    expect(JSON.parse(run.stdout)).toMatchObject({
      verdict: 'ALLOWED',
      partial: true,
      unread: [
        {
          resource: 'configmaps',
          namespace: 'kube-system',
          name: 'cilium-config',
          reason: '403 Forbidden',
          canI: 'kubectl auth can-i list configmaps -n kube-system',
        },
      ],
    });
  });

  it('is UNKNOWN where enable-policy "never" would allow what the policies deny', async () => {
    const run = await check(81);
    expect(run.stdout.split('\n')[0]).toBe('UNKNOWN  x/a -> x/b  TCP 81');
    expect(run.stdout).toContain(
      'configmaps kube-system/cilium-config could not be read (403 Forbidden); check: kubectl auth can-i list configmaps -n kube-system, so Cilium\'s enable-policy is unknown: "never" would enforce no policy and answer otherwise than the "default" assumed',
    );
    expect(run.stderr).toContain(
      'cannot read ConfigMap kube-system/cilium-config (403 Forbidden); Cilium\'s policy enforcement mode is assumed to be "default", and answers that "always" or "never" would change are UNKNOWN',
    );
  });
});
