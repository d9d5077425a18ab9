import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadLive } from '../../src/io/cluster/load-live.js';
import {
  type FakeApiServer,
  jsonAnswer as json,
  kubeconfigFile,
  routedApiServer,
  tempDir,
} from '../helpers/fake-api.js';

let server: FakeApiServer | undefined;

function forbidden(res: ServerResponse, what: string): void {
  json(res, 403, {
    kind: 'Status',
    reason: 'Forbidden',
    message: `${what} is forbidden`,
    code: 403,
  });
}

function list(res: ServerResponse, items: unknown[]): void {
  json(res, 200, { items, metadata: { resourceVersion: '7' } });
}

const NAMESPACES = [
  { metadata: { name: 'a', labels: { 'kubernetes.io/metadata.name': 'a' } } },
  { metadata: { name: 'b', labels: { 'kubernetes.io/metadata.name': 'b' } } },
];

/** Reads a live snapshot from a fake API server answering from `routes`. */
async function serve(routes: Record<string, (res: ServerResponse) => void>) {
  server = await routedApiServer(routes);
  return loadLive({ kubeconfig: kubeconfigFile(tempDir(), server.url) }, {});
}

const CORE = {
  '/api/v1/namespaces': (res: ServerResponse) => list(res, NAMESPACES),
  '/api/v1/pods': (res: ServerResponse) => list(res, []),
  '/api/v1/services': (res: ServerResponse) => list(res, []),
  '/apis/networking.k8s.io/v1/networkpolicies': (res: ServerResponse) => list(res, []),
  '/apis/discovery.k8s.io/v1/endpointslices': (res: ServerResponse) => list(res, []),
};

describe('a live read records the lists it could not read', () => {
  it('is complete when every list can be read', async () => {
    const live = await serve(CORE);
    expect(live.cluster.unread).toBeUndefined();
    expect(live.cluster.unmodelledPolicies).toBeUndefined();
  });

  it('names the namespaces whose networkpolicies stay unread after a cluster-wide denial', async () => {
    const live = await serve({
      ...CORE,
      '/apis/networking.k8s.io/v1/networkpolicies': (res) => forbidden(res, 'networkpolicies'),
      '/apis/networking.k8s.io/v1/namespaces/a/networkpolicies': (res) => list(res, []),
      '/apis/networking.k8s.io/v1/namespaces/b/networkpolicies': (res) =>
        forbidden(res, 'networkpolicies in b'),
    });
    expect(live.cluster.unread).toEqual([
      {
        resource: 'networkpolicies',
        namespace: 'b',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list networkpolicies -n b',
      },
    ]);
  });

  it('keeps the namespaces’ order, not their answers’, in the findings and the policies', async () => {
    const four = ['a', 'b', 'c', 'd'];
    const policy = (ns: string) => ({
      metadata: { name: `deny-${ns}`, namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    // The later the namespace, the sooner its answer: a and c refuse, b and d hold a policy.
    const late = (ns: string, answer: (res: ServerResponse) => void) => (res: ServerResponse) =>
      setTimeout(() => answer(res), 60 * (four.length - four.indexOf(ns)));
    const live = await serve({
      ...CORE,
      '/api/v1/namespaces': (res) =>
        list(
          res,
          four.map((name) => ({ metadata: { name } })),
        ),
      '/apis/networking.k8s.io/v1/networkpolicies': (res) => forbidden(res, 'networkpolicies'),
      ...Object.fromEntries(
        four.map((ns) => [
          `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
          late(ns, (res) =>
            ns === 'a' || ns === 'c'
              ? forbidden(res, `networkpolicies in ${ns}`)
              : list(res, [policy(ns)]),
          ),
        ]),
      ),
    });
    const refusedIn = live.findings.flatMap(
      (finding) =>
        finding.message.match(/^cannot list networkpolicies in namespace (\w)/)?.[1] ?? [],
    );
    expect(refusedIn).toEqual(['a', 'c']);
    expect(live.cluster.policies.map((p) => p.name)).toEqual(['deny-b', 'deny-d']);
  });

  it('records nothing when a cluster-wide denial is made up by reading every namespace', async () => {
    const live = await serve({
      ...CORE,
      '/apis/networking.k8s.io/v1/networkpolicies': (res) => forbidden(res, 'networkpolicies'),
      '/apis/networking.k8s.io/v1/namespaces/a/networkpolicies': (res) => list(res, []),
      '/apis/networking.k8s.io/v1/namespaces/b/networkpolicies': (res) => list(res, []),
    });
    expect(live.cluster.unread).toBeUndefined();
  });

  it('records a list unread cluster-wide when the namespaces to fall back on are unknown', async () => {
    const live = await serve({
      ...CORE,
      '/api/v1/namespaces': (res) => forbidden(res, 'namespaces'),
      '/apis/networking.k8s.io/v1/networkpolicies': (res) => forbidden(res, 'networkpolicies'),
      '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies': (res) => list(res, []),
    });
    expect(live.cluster.unread).toEqual([
      {
        resource: 'namespaces',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list namespaces',
      },
      {
        resource: 'networkpolicies',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list networkpolicies --all-namespaces',
        // Read in the namespace fallen back on: its pods' policies are known.
        readIn: ['default'],
      },
    ]);
  });
});

describe('a live read takes the pod ranges from the Nodes when it can', () => {
  it("takes the pod ranges from the Nodes' podCIDRs", async () => {
    const live = await serve({
      ...CORE,
      '/api/v1/nodes': (res) =>
        list(res, [{ metadata: { name: 'n1' }, spec: { podCIDR: '10.244.3.0/24' } }]),
    });
    expect(live.cluster.podCidrs).toEqual(['10.244.3.0/24']);
  });

  it('goes on without them when nodes are forbidden: a note, nothing unread', async () => {
    const live = await serve({
      ...CORE,
      '/api/v1/nodes': (res) => forbidden(res, 'nodes'),
    });
    expect(live.cluster.podCidrs).toBeUndefined();
    expect(live.cluster.unread).toBeUndefined();
    expect(live.findings.map((f) => `${f.severity}: ${f.message}`)).toEqual([
      'info: cannot list nodes (403 Forbidden), so the pod address ranges are unknown: verdicts that depend on the IP of a pod without one are UNKNOWN unless --pod-cidr gives them. Check with: kubectl auth can-i list nodes',
    ]);
  });

  it('goes on without them when listing nodes fails', async () => {
    const live = await serve({
      ...CORE,
      '/api/v1/nodes': (res) =>
        json(res, 500, {
          kind: 'Status',
          reason: 'InternalError',
          message: 'etcd down',
          code: 500,
        }),
    });
    expect(live.cluster.podCidrs).toBeUndefined();
    expect(live.findings.map((f) => f.code)).toEqual(['pod-range-unknown']);
  });
});

const CILIUM_GROUPS = {
  '/apis': (res: ServerResponse) =>
    json(res, 200, {
      kind: 'APIGroupList',
      groups: [
        { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }] },
        { name: 'cilium.io', versions: [{ groupVersion: 'cilium.io/v2', version: 'v2' }] },
      ],
    }),
  '/apis/cilium.io/v2': (res: ServerResponse) =>
    json(res, 200, {
      kind: 'APIResourceList',
      groupVersion: 'cilium.io/v2',
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
    }),
};

describe('a live read finds the policies of layers the engine does not evaluate', () => {
  it('reads the policy kinds API discovery finds (Cilium: evaluated), and no other group', async () => {
    const live = await serve({
      ...CORE,
      ...CILIUM_GROUPS,
      '/apis/cilium.io/v2/ciliumnetworkpolicies': (res) =>
        list(res, [
          { metadata: { name: 'allow-dns', namespace: 'a' }, spec: { endpointSelector: {} } },
        ]),
      '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies': (res) =>
        list(res, [{ metadata: { name: 'lockdown' }, spec: { endpointSelector: {} } }]),
    });
    expect(
      live.cluster.ciliumPolicies?.map((p) => `${p.kind} ${p.namespace ?? '-'}/${p.name}`),
    ).toEqual(['CiliumNetworkPolicy a/allow-dns', 'CiliumClusterwideNetworkPolicy -/lockdown']);
    expect(live.cluster.unmodelledPolicies).toBeUndefined();
    expect(live.cluster.unread).toBeUndefined();
    // Cilium's configuration is listed alone (to be watched); absent, the default mode is kept quietly.
    expect(server?.requests).toContain(
      '/api/v1/namespaces/kube-system/configmaps?fieldSelector=metadata.name%3Dcilium-config&limit=500',
    );
    expect(live.cluster.ciliumConfig).toBeUndefined();
    expect(server?.requests.some((path) => path.includes('ciliumendpoints'))).toBe(false);
    expect(server?.requests.some((path) => path.startsWith('/apis/apps'))).toBe(false);
  });

  it("reads Cilium's enforcement mode from cilium-config; refused, it is an unread object", async () => {
    const policies = {
      '/apis/cilium.io/v2/ciliumnetworkpolicies': (res: ServerResponse) => list(res, []),
      '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies': (res: ServerResponse) => list(res, []),
    };
    const always = await serve({
      ...CORE,
      ...CILIUM_GROUPS,
      ...policies,
      '/api/v1/namespaces/kube-system/configmaps': (res) =>
        list(res, [
          {
            metadata: { name: 'cilium-config', namespace: 'kube-system' },
            data: { 'enable-policy': 'always', 'enable-k8s-cluster-network-policy': 'true' },
          },
        ]),
    });
    expect(always.cluster.ciliumConfig).toEqual({
      enforcement: 'always',
      sctp: false,
      clusterNetworkPolicy: true,
    });
    const refused = await serve({
      ...CORE,
      ...CILIUM_GROUPS,
      ...policies,
      '/api/v1/namespaces/kube-system/configmaps': (res) => forbidden(res, 'configmaps'),
    });
    expect(refused.cluster.ciliumConfig).toBeUndefined();
    expect(refused.findings.map((f) => f.message).join('\n')).toContain(
      'cannot read ConfigMap kube-system/cilium-config (403 Forbidden); Cilium\'s policy enforcement mode is assumed to be "default", and answers that "always" or "never" would change are UNKNOWN',
    );
    expect(refused.cluster.unread).toEqual([
      {
        resource: 'configmaps',
        namespace: 'kube-system',
        name: 'cilium-config',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list configmaps -n kube-system',
      },
    ]);
  });

  it('records a policy list it may not read as unread, with the group in its name', async () => {
    const live = await serve({
      ...CORE,
      ...CILIUM_GROUPS,
      '/apis/cilium.io/v2/ciliumnetworkpolicies': (res) => list(res, []),
      '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies': (res) => forbidden(res, 'ccnp'),
    });
    expect(live.cluster.unread).toEqual([
      {
        resource: 'ciliumclusterwidenetworkpolicies.cilium.io',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list ciliumclusterwidenetworkpolicies.cilium.io',
      },
    ]);
  });

  it('records a group whose discovery fails (an aggregated API that is down) as unread', async () => {
    const live = await serve({
      ...CORE,
      '/apis': (res) =>
        json(res, 200, {
          groups: [
            {
              name: 'projectcalico.org',
              versions: [{ groupVersion: 'projectcalico.org/v3', version: 'v3' }],
            },
          ],
        }),
      '/apis/projectcalico.org/v3': (res) =>
        json(res, 503, { reason: 'ServiceUnavailable', message: 'the server is unavailable' }),
    });
    expect(live.cluster.unread).toEqual([
      {
        resource: 'projectcalico.org/v3',
        reason: '503 ServiceUnavailable',
        canI: 'kubectl auth can-i get /apis/projectcalico.org/v3',
      },
    ]);
  });
});
