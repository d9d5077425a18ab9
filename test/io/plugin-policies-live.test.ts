/** Cilium's and Calico's objects read live: their kinds, cilium-config, a refused list. */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/io/cluster/api-client.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { readCluster, scopeObjects } from '../../src/io/cluster/load-cluster.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import {
  emptyList,
  type FakeApiServer,
  fakeApiServer,
  jsonAnswer,
  kubeconfigFile,
  listBody,
  tempDir,
} from '../helpers/fake-api.js';

const group = (name: string, version: string) => ({
  name,
  versions: [{ groupVersion: `${name}/${version}`, version }],
});

const DISCOVERY: Record<string, unknown> = {
  '/apis': { groups: [group('cilium.io', 'v2'), group('crd.projectcalico.org', 'v1')] },
  '/apis/cilium.io/v2': {
    resources: [
      { name: 'ciliumnetworkpolicies', kind: 'CiliumNetworkPolicy', namespaced: true },
      { name: 'ciliumnetworkpolicies/status', kind: 'CiliumNetworkPolicy', namespaced: true },
      {
        name: 'ciliumclusterwidenetworkpolicies',
        kind: 'CiliumClusterwideNetworkPolicy',
        namespaced: false,
      },
      { name: 'ciliumendpoints', kind: 'CiliumEndpoint', namespaced: true },
    ],
  },
  '/apis/crd.projectcalico.org/v1': {
    resources: [
      { name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
      { name: 'tiers', kind: 'Tier', namespaced: false },
      {
        name: 'stagedkubernetesnetworkpolicies',
        kind: 'StagedKubernetesNetworkPolicy',
        namespaced: true,
      },
      { name: 'ippools', kind: 'IPPool', namespaced: false },
    ],
  },
};

const CNP = {
  metadata: { name: 'deny-web', namespace: 'shop', managedFields: [{ manager: 'kubectl' }] },
  spec: {
    endpointSelector: { matchLabels: { app: 'api' } },
    ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }],
  },
};
const STAGED_K8S = {
  metadata: { name: 'api-lockdown', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
};
const STAGED_K8S_PATH = '/apis/crd.projectcalico.org/v1/stagedkubernetesnetworkpolicies';
const TIER = { metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Pass' } };
const CILIUM_CONFIG = {
  metadata: { name: 'cilium-config', namespace: 'kube-system' },
  data: { 'enable-policy': 'always', 'enable-sctp': 'true', 'clustermesh-token': 'hunter2' },
};

const CILIUM_CONFIG_PATH = '/api/v1/namespaces/kube-system/configmaps';

const forbidden = (res: ServerResponse) =>
  jsonAnswer(res, 403, { kind: 'Status', reason: 'Forbidden', message: 'forbidden', code: 403 });

/**
 * A fake API server with Cilium's and Calico's groups: lists of CiliumNetworkPolicies, Tiers and
 * cilium-config hold one object each, `refuse` paths answer 403, other lists are empty.
 */
async function pluginCluster(refuse: readonly string[] = []): Promise<FakeApiServer> {
  const lists: Record<string, unknown[]> = {
    '/apis/cilium.io/v2/ciliumnetworkpolicies': [CNP],
    '/apis/crd.projectcalico.org/v1/tiers': [TIER],
    [STAGED_K8S_PATH]: [STAGED_K8S],
    [CILIUM_CONFIG_PATH]: [CILIUM_CONFIG],
  };
  const server = await fakeApiServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (refuse.includes(path)) return forbidden(res);
    if (DISCOVERY[path]) return jsonAnswer(res, 200, DISCOVERY[path]);
    const items = lists[path];
    if (items) return jsonAnswer(res, 200, listBody(items));
    emptyList(res);
  });
  return server;
}

const client = (url: string) =>
  new ApiClient(resolveKubeConfig({ kubeconfig: kubeconfigFile(tempDir(), url) }, {}), 5000);

async function readFrom(server: FakeApiServer) {
  try {
    return await readCluster(client(server.url), ['shop']);
  } finally {
    await server.close();
  }
}

describe('Cilium and Calico objects read live', () => {
  it('reads every Cilium and Calico policy kind, Calico Tiers included, as whole manifests', async () => {
    const read = await readFrom(await pluginCluster());
    const plural = read.scopes.map((s) => s.resource.plural);
    expect(plural).toEqual(
      expect.arrayContaining([
        'ciliumnetworkpolicies.cilium.io',
        'ciliumclusterwidenetworkpolicies.cilium.io',
        'networkpolicies.crd.projectcalico.org',
        'tiers.crd.projectcalico.org',
      ]),
    );
    expect(plural).not.toContain('ciliumendpoints.cilium.io');
    const objects = scopeObjects(read.scopes, 'test').map((o) => o.object);
    expect(objects).toContainEqual({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'deny-web', namespace: 'shop' },
      spec: CNP.spec,
    });
    expect(objects).toContainEqual({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'Tier',
      ...TIER,
    });
    expect(read.unread).toEqual([]);
  });

  it('reads the cilium-config ConfigMap alone, by a field selector', async () => {
    const server = await pluginCluster();
    const read = await readFrom(server);
    expect(server.requests.filter((r) => r.startsWith(CILIUM_CONFIG_PATH))).toEqual([
      `${CILIUM_CONFIG_PATH}?fieldSelector=metadata.name%3Dcilium-config&limit=500`,
    ]);
    const objects = scopeObjects(read.scopes, 'test').map((o) => o.object);
    expect(objects).toContainEqual({ apiVersion: 'v1', kind: 'ConfigMap', ...CILIUM_CONFIG });
  });

  it('keeps of cilium-config its enable-policy and enable-sctp, and no other key', async () => {
    const read = await readFrom(await pluginCluster());
    const { cluster } = normalizeObjects(scopeObjects(read.scopes, 'test'));
    expect(cluster.ciliumConfig).toEqual({
      enforcement: 'always',
      sctp: true,
      clusterNetworkPolicy: false,
    });
    expect(JSON.stringify(cluster)).not.toContain('hunter2');
  });

  it('does not ask for cilium-config where Cilium is not installed', async () => {
    const server = await fakeApiServer((req, res) => {
      if (req.url === '/apis') return jsonAnswer(res, 200, { groups: [] });
      emptyList(res);
    });
    await readFrom(server);
    expect(server.requests.some((r) => r.includes('configmaps'))).toBe(false);
  });

  it('goes on without cilium-config when it is refused, naming it unread', async () => {
    const read = await readFrom(await pluginCluster([CILIUM_CONFIG_PATH]));
    expect(read.scopes.map((s) => s.resource.kind)).not.toContain('ConfigMap');
    expect(read.findings).toContainEqual({
      severity: 'info',
      code: 'cilium-config-unread',
      message:
        'cannot read ConfigMap kube-system/cilium-config (403 Forbidden); Cilium\'s policy enforcement mode is assumed to be "default", and answers that "always" or "never" would change are UNKNOWN, as are SCTP answers, which depend on its enable-sctp, and on Cilium 1.20 or later answers a ClusterNetworkPolicy decides, which depend on its enable-k8s-cluster-network-policy, and answers a Cilium policy with icmps rules decides, which the agent refuses without its enable-icmp-rules; on Cilium 1.14 to 1.17, egress answers that its enable-high-scale-ipcache could change, and toServices answers its enable-k8s-terminating-endpoint could. Check with: kubectl auth can-i list configmaps -n kube-system',
    });
    expect(read.unread).toEqual([
      {
        resource: 'configmaps',
        namespace: 'kube-system',
        name: 'cilium-config',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list configmaps -n kube-system',
      },
    ]);
  });

  it('reads StagedKubernetesNetworkPolicies as staged, never as enforced NetworkPolicies', async () => {
    const read = await readFrom(await pluginCluster());
    const { cluster } = normalizeObjects(scopeObjects(read.scopes, 'test'));
    expect(cluster.policies).toEqual([]);
    expect(
      (cluster.stagedKubernetesPolicies ?? []).map((staged) => [
        staged.apiVersion,
        staged.policy.namespace,
        staged.policy.name,
      ]),
    ).toEqual([['crd.projectcalico.org/v1', 'shop', 'api-lockdown']]);
  });

  it('names a refused cluster-wide StagedKubernetesNetworkPolicy list as a partial read', async () => {
    const read = await readFrom(await pluginCluster([STAGED_K8S_PATH]));
    // Refused cluster-wide, it is read in the namespaces asked about, as the other kinds are.
    expect(read.unread).toEqual([
      {
        resource: 'stagedkubernetesnetworkpolicies.crd.projectcalico.org',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list stagedkubernetesnetworkpolicies.crd.projectcalico.org --all-namespaces',
        readIn: ['shop'],
      },
    ]);
  });

  it('names a refused Calico Tier list as unread, and reads the rest', async () => {
    const read = await readFrom(await pluginCluster(['/apis/crd.projectcalico.org/v1/tiers']));
    expect(read.unread).toEqual([
      {
        resource: 'tiers.crd.projectcalico.org',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list tiers.crd.projectcalico.org',
      },
    ]);
    expect(read.scopes.map((s) => s.resource.plural)).toContain('ciliumnetworkpolicies.cilium.io');
  });

  describe('ServiceAccounts, listed only for Calico selectors on their labels', () => {
    const CALICO_POLICIES = '/apis/crd.projectcalico.org/v1/networkpolicies';
    const ACCOUNTS = '/api/v1/serviceaccounts';
    const ACCOUNT = { metadata: { name: 'api', namespace: 'shop', labels: { team: 'a' } } };
    const policy = (source: Record<string, unknown>) => ({
      metadata: { name: 'p', namespace: 'shop' },
      spec: { selector: "app == 'api'", ingress: [{ action: 'Allow', source }] },
    });
    const calicoCluster = (source: Record<string, unknown>, refuse: readonly string[] = []) =>
      fakeApiServer((req, res) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (refuse.includes(path)) return forbidden(res);
        if (DISCOVERY[path]) return jsonAnswer(res, 200, DISCOVERY[path]);
        if (path === CALICO_POLICIES) return jsonAnswer(res, 200, listBody([policy(source)]));
        if (path === ACCOUNTS) return jsonAnswer(res, 200, listBody([ACCOUNT]));
        emptyList(res);
      });
    const asked = (server: FakeApiServer) => server.requests.some((r) => r.startsWith(ACCOUNTS));

    it.each([
      ['serviceAccounts.selector', { serviceAccounts: { selector: "team == 'a'" } }],
      ['pcsa.* in a selector', { selector: "pcsa.team == 'a'" }],
    ])('lists them cluster-wide for %s', async (_, source) => {
      const server = await calicoCluster(source);
      const read = await readFrom(server);
      expect(asked(server)).toBe(true);
      expect(scopeObjects(read.scopes, 'test').map((o) => o.object)).toContainEqual({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        ...ACCOUNT,
      });
    });

    it('does not ask for them when no Calico policy selects on their labels', async () => {
      const server = await calicoCluster({ serviceAccounts: { names: ['api'] } });
      await readFrom(server);
      expect(asked(server)).toBe(false);
    });

    it('names a refused list as unread, with the can-i command', async () => {
      const server = await calicoCluster({ serviceAccounts: { selector: "team == 'a'" } }, [
        ACCOUNTS,
      ]);
      const read = await readFrom(server);
      expect(read.unread).toContainEqual({
        resource: 'serviceaccounts',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list serviceaccounts --all-namespaces',
      });
      expect(read.findings.map((f) => f.message)).toContainEqual(
        expect.stringContaining('Calico selectors on ServiceAccount labels stay UNKNOWN'),
      );
    });
  });
});
