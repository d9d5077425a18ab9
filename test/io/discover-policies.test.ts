/** API discovery of the policy kinds the engine does not evaluate, against a fake ApiClient. */
import { describe, expect, it } from 'vitest';
import {
  type ApiClient,
  ApiError,
  RequestTimeoutError,
  UnreachableError,
} from '../../src/io/cluster/api-client.js';
import { discoverPolicyResources } from '../../src/io/cluster/discover-policies.js';

/** A client whose GETs answer from `routes` (an Error is thrown), 404 for any other path. */
function fakeClient(routes: Record<string, unknown>): { client: ApiClient; asked: string[] } {
  const asked: string[] = [];
  const client = {
    get: async (path: string) => {
      asked.push(path);
      const answer = routes[path];
      if (answer === undefined) throw new ApiError(404, 'NotFound', `${path} not found`);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as ApiClient;
  return { client, asked };
}

const group = (name: string, ...versions: string[]) => ({
  name,
  versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
});

const CALICO_RESOURCES = (groupVersion: string) => ({
  groupVersion,
  resources: [
    { name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
    { name: 'globalnetworkpolicies', kind: 'GlobalNetworkPolicy', namespaced: false },
    { name: 'ippools', kind: 'IPPool', namespaced: false },
  ],
});

const BOTH_CALICO_GROUPS = {
  '/apis': { groups: [group('projectcalico.org', 'v3'), group('crd.projectcalico.org', 'v1')] },
  '/apis/crd.projectcalico.org/v1': CALICO_RESOURCES('crd.projectcalico.org/v1'),
};

const timeout = (what: string) =>
  new RequestTimeoutError(`no complete answer from https://k for ${what} within 5s`, '5s');

const kinds = (resources: readonly { apiVersion: string; kind: string; plural: string }[]) =>
  resources.map((r) => `${r.apiVersion} ${r.kind} ${r.plural}`);

describe('policy discovery', () => {
  it('records a discovery request that times out as unread, and reads the other groups', async () => {
    const { client } = fakeClient({
      '/apis': { groups: [group('cilium.io', 'v2'), group('crd.antrea.io', 'v1beta1')] },
      '/apis/cilium.io/v2': timeout('v2'),
      '/apis/crd.antrea.io/v1beta1': {
        resources: [{ name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true }],
      },
    });
    const found = await discoverPolicyResources(client);
    expect(kinds(found.resources)).toEqual([
      'crd.antrea.io/v1beta1 NetworkPolicy networkpolicies.crd.antrea.io',
    ]);
    expect(found.unread).toEqual([
      {
        resource: 'cilium.io/v2',
        reason: 'no answer within 5s (--request-timeout)',
        canI: 'kubectl auth can-i get /apis/cilium.io/v2',
      },
    ]);
  });

  it('records a group list that times out as unread', async () => {
    const { client } = fakeClient({ '/apis': timeout('apis') });
    expect(await discoverPolicyResources(client)).toEqual({
      resources: [],
      unread: [
        {
          resource: 'API groups',
          reason: 'no answer within 5s (--request-timeout)',
          canI: 'kubectl auth can-i get /apis',
        },
      ],
    });
  });

  it('still ends the run when the server cannot be reached at all', async () => {
    const { client } = fakeClient({ '/apis': new UnreachableError('connection refused') });
    await expect(discoverPolicyResources(client)).rejects.toThrow('connection refused');
  });

  it('reads Calico through the API server group when it answers, not its CRDs', async () => {
    const { client, asked } = fakeClient({
      ...BOTH_CALICO_GROUPS,
      '/apis/projectcalico.org/v3': CALICO_RESOURCES('projectcalico.org/v3'),
    });
    const found = await discoverPolicyResources(client);
    expect(kinds(found.resources)).toEqual([
      'projectcalico.org/v3 NetworkPolicy networkpolicies.projectcalico.org',
      'projectcalico.org/v3 GlobalNetworkPolicy globalnetworkpolicies.projectcalico.org',
    ]);
    expect(found.unread).toEqual([]);
    expect(asked).not.toContain('/apis/crd.projectcalico.org/v1');
  });

  it.each([
    ['fails', new ApiError(503, 'ServiceUnavailable', 'the server is unavailable')],
    ['times out', timeout('v3')],
  ])(
    'reads Calico from crd.projectcalico.org v1 when projectcalico.org v3 discovery %s',
    async (_, error) => {
      const { client } = fakeClient({ ...BOTH_CALICO_GROUPS, '/apis/projectcalico.org/v3': error });
      const found = await discoverPolicyResources(client);
      expect(kinds(found.resources)).toEqual([
        'crd.projectcalico.org/v1 NetworkPolicy networkpolicies.crd.projectcalico.org',
        'crd.projectcalico.org/v1 GlobalNetworkPolicy globalnetworkpolicies.crd.projectcalico.org',
      ]);
      expect(found.unread).toEqual([]);
    },
  );

  it('keeps both failures unread when the CRD group fails too', async () => {
    const { client } = fakeClient({
      ...BOTH_CALICO_GROUPS,
      '/apis/projectcalico.org/v3': new ApiError(503, 'ServiceUnavailable', 'down'),
      '/apis/crd.projectcalico.org/v1': new ApiError(403, 'Forbidden', 'no'),
    });
    const found = await discoverPolicyResources(client);
    expect(found.resources).toEqual([]);
    expect(found.unread.map((u) => `${u.resource} ${u.reason}`)).toEqual([
      'projectcalico.org/v3 503 ServiceUnavailable',
      'crd.projectcalico.org/v1 403 Forbidden',
    ]);
  });

  it('keeps the failure unread when the cluster serves no CRD group to fall back on', async () => {
    const { client } = fakeClient({
      '/apis': { groups: [group('projectcalico.org', 'v3')] },
      '/apis/projectcalico.org/v3': new ApiError(503, 'ServiceUnavailable', 'down'),
    });
    const found = await discoverPolicyResources(client);
    expect(found.unread.map((u) => `${u.resource} ${u.reason}`)).toEqual([
      'projectcalico.org/v3 503 ServiceUnavailable',
    ]);
  });
});
