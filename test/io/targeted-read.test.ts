import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Namespace, NetworkPolicy, PolicyPeer } from '../../src/engine/index.js';
import { LiveReader, loadLive } from '../../src/io/cluster/load-live.js';
import {
  labelSelectorQuery,
  peerSelections,
  type ReadReach,
  targetNamespaces,
} from '../../src/io/cluster/targeted-read.js';
import { runCli } from '../helpers/cli.js';
import {
  jsonAnswer,
  kubeconfigFile,
  listOf,
  routedApiServer,
  tempDir,
} from '../helpers/fake-api.js';

describe('the namespaces a target names', () => {
  it.each([
    ['shop/web', ['shop']],
    ['web', ['default']],
    ['deploy/api', ['default']],
    ['shop/deploy/api', ['shop']],
    ['svc/api.shop', ['shop']],
    ['api.shop.svc.cluster.local', ['shop']],
    // A Service or pod of namespace shop when it holds one, else a host: shop is read.
    ['api.shop', ['shop']],
    ['www.example.com', []],
  ])('%s is in %j', (target, namespaces) => {
    expect(targetNamespaces(target, 'default')).toEqual(namespaces);
  });

  it.each(['10.0.0.7', 'fd00::7', 'netpol/deny'])(
    '%s could be anything: the whole cluster is read',
    (target) => {
      expect(targetNamespaces(target, 'default')).toBeUndefined();
    },
  );
});

const NAMESPACES: Namespace[] = [
  { name: 'shop', labels: { team: 'a' } },
  { name: 'bank', labels: { team: 'b' } },
  { name: 'lab', labels: { team: 'a', env: 'dev' } },
];

const EVERYTHING = { matchLabels: {}, matchExpressions: [] };

function policy(namespace: string, ingress: readonly PolicyPeer[][]): NetworkPolicy {
  return {
    namespace,
    name: 'p',
    podSelector: EVERYTHING,
    policyTypes: ['Ingress'],
    ingress: ingress.map((peers) => ({ peers, ports: [] })),
    egress: [],
  };
}

describe('a label selector as the API server takes it (labelSelector=)', () => {
  it.each([
    [{}, [], ''],
    [{ app: 'web' }, [], 'app=web'],
    [{ app: 'web', 'example.com/tier': '' }, [], 'app=web,example.com/tier='],
    [{}, [{ key: 'tier', operator: 'In', values: ['a', 'b'] }], 'tier in (a,b)'],
    [{}, [{ key: 'tier', operator: 'NotIn', values: ['a'] }], 'tier notin (a)'],
    [{}, [{ key: 'canary', operator: 'Exists', values: [] }], 'canary'],
    [{ app: 'web' }, [{ key: 'legacy', operator: 'DoesNotExist', values: [] }], 'app=web,!legacy'],
  ] as const)('%j with %j is %j', (matchLabels, matchExpressions, query) => {
    expect(labelSelectorQuery({ matchLabels, matchExpressions })).toBe(query);
  });
});

/** The namespaces of a peer selection, and their queries, sorted for comparison. */
function selections(found: Map<string, Set<string>> | undefined) {
  return found && Object.fromEntries([...found].map(([ns, queries]) => [ns, [...queries].sort()]));
}

describe('the pods policy peers can select', () => {
  it('are in the policy namespace for a podSelector alone', () => {
    const peers = [{ podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] } }];
    expect(selections(peerSelections([policy('bank', [peers])], NAMESPACES))).toEqual({
      bank: ['app=web'],
    });
  });

  it('are every pod of the namespaces a namespaceSelector selects, set-based terms included', () => {
    const namespaceSelector = {
      matchLabels: { team: 'a' },
      matchExpressions: [{ key: 'env', operator: 'DoesNotExist' as const, values: [] }],
    };
    expect(
      selections(peerSelections([policy('bank', [[{ namespaceSelector }]])], NAMESPACES)),
    ).toEqual({ shop: [''] });
  });

  it('are in every namespace for an empty namespaceSelector', () => {
    const podSelector = { matchLabels: { app: 'db' }, matchExpressions: [] };
    const peers = [{ namespaceSelector: EVERYTHING, podSelector }];
    expect(selections(peerSelections([policy('bank', [peers])], NAMESPACES))).toEqual({
      shop: ['app=db'],
      bank: ['app=db'],
      lab: ['app=db'],
    });
  });

  it('are none for a policy without rules (it only isolates)', () => {
    expect(selections(peerSelections([policy('bank', [])], NAMESPACES))).toEqual({});
  });

  it('cannot be told for a rule without peers or with an ipBlock', () => {
    expect(peerSelections([policy('bank', [[]])], NAMESPACES)).toBeUndefined();
    const block = [{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }];
    expect(peerSelections([policy('bank', [block])], NAMESPACES)).toBeUndefined();
  });
});

/** A namespace as the API server lists it. */
function namespace(name: string, labels: Record<string, string> = {}) {
  return { metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

function pod(ns: string, name: string, labels: Record<string, string> = {}) {
  return { metadata: { namespace: ns, name, labels }, spec: { containers: [{ name: 'c' }] } };
}

/** shop's api admits pods of team-a namespaces: shop and lab. bank is another team's. */
const ROUTES = {
  '/api/v1/namespaces': listOf([
    namespace('bank'),
    namespace('kube-system'),
    namespace('lab', { team: 'a' }),
    namespace('shop', { team: 'a' }),
  ]),
  '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies': listOf([
    {
      metadata: { namespace: 'shop', name: 'api' },
      spec: {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }],
      },
    },
  ]),
  '/api/v1/namespaces/shop/pods': listOf([pod('shop', 'web'), pod('shop', 'api', { app: 'api' })]),
  '/api/v1/namespaces/lab/pods': listOf([pod('lab', 'tester')]),
  // Answers the cluster-wide lists: of host-network pods (the fieldSelector) and the full read's.
  '/api/v1/pods': listOf([{ ...pod('calico-system', 'calico-node'), spec: { hostNetwork: true } }]),
};

const EMPTY = [
  '/api/v1/nodes',
  '/api/v1/services',
  '/apis/networking.k8s.io/v1/networkpolicies',
  '/apis/discovery.k8s.io/v1/endpointslices',
  ...['shop', 'lab', 'bank', 'kube-system'].flatMap((ns) => [
    `/api/v1/namespaces/${ns}/services`,
    `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
    `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
  ]),
  '/api/v1/namespaces/kube-system/pods',
];

/** The fake API server of these tests, answering ROUTES, `routes` and EMPTY. */
function serverFor(routes: Record<string, (res: ServerResponse) => void> = {}) {
  return routedApiServer({
    ...Object.fromEntries(EMPTY.map((path) => [path, listOf([])])),
    ...ROUTES,
    ...routes,
  });
}

async function readFor(
  targets: readonly string[],
  routes: Record<string, (res: ServerResponse) => void> = {},
  reach: ReadReach = 'peers',
) {
  const server = await serverFor(routes);
  const flags = { kubeconfig: kubeconfigFile(tempDir(), server.url) };
  const live = await loadLive(flags, {}, undefined, { targets, reach });
  return { live, requests: server.requests.map((url) => decodeURIComponent(url)) };
}

describe('a live read for a check or explain', () => {
  it('lists the pods of the namespaces the answer depends on, and host-network pods', async () => {
    const { live, requests } = await readFor(['shop/web', 'shop/api']);
    expect(live.targeted).toBe(true);
    expect(live.cluster.pods.map((p) => p.id).sort()).toEqual([
      'calico-system/calico-node',
      'lab/tester',
      'shop/api',
      'shop/web',
    ]);
    expect(requests).toContain('/api/v1/pods?fieldSelector=spec.hostNetwork=true&limit=500');
    expect(requests.filter((url) => url.startsWith('/api/v1/pods?limit'))).toEqual([]);
    expect(requests.some((url) => url.startsWith('/api/v1/namespaces/bank/'))).toBe(false);
  });

  it("leaves the peers' namespaces out when it reaches the targets only", async () => {
    const { live, requests } = await readFor(['shop/web', 'shop/api'], {}, 'targets');
    expect(live.targeted).toBe(true);
    expect(live.cluster.pods.map((p) => p.id).sort()).toEqual([
      'calico-system/calico-node',
      'shop/api',
      'shop/web',
    ]);
    expect(requests.some((url) => url.startsWith('/api/v1/namespaces/lab/'))).toBe(false);
  });

  it("asks the server for the pods a peer selects, and reads their namespace's policies", async () => {
    const { live, requests } = await readFor(
      ['shop/api'],
      {
        '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies': listOf([
          {
            metadata: { namespace: 'shop', name: 'api' },
            spec: {
              podSelector: {},
              ingress: [
                {
                  from: [
                    {
                      namespaceSelector: { matchLabels: { team: 'a' } },
                      podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
                    },
                  ],
                },
              ],
            },
          },
        ]),
      },
      'selected-pods',
    );
    expect(live.targeted).toBe(true);
    expect(requests).toContain('/api/v1/namespaces/lab/pods?labelSelector=app&limit=500');
    expect(requests).toContain(
      '/apis/networking.k8s.io/v1/namespaces/lab/networkpolicies?limit=500',
    );
    expect(requests.some((url) => url.startsWith('/api/v1/namespaces/lab/services'))).toBe(false);
  });

  it('reads everything when a policy list is refused, to report it as the full read does', async () => {
    const refused = (res: ServerResponse) =>
      jsonAnswer(res, 403, { kind: 'Status', reason: 'Forbidden', message: 'no', code: 403 });
    const { live, requests } = await readFor(['shop/web', 'shop/api'], {
      '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies': refused,
    });
    expect(live.targeted).toBe(false);
    expect(requests).toContain('/api/v1/pods?limit=500');
  });

  it('reads everything when a cluster-wide list is refused, for the answer to say so', async () => {
    const refused = (res: ServerResponse) =>
      jsonAnswer(res, 403, { kind: 'Status', reason: 'Forbidden', message: 'no', code: 403 });
    const { live } = await readFor(['shop/web', 'shop/api'], {
      '/api/v1/services': refused,
    });
    expect(live.targeted).toBe(false);
    expect(live.findings.map((finding) => finding.message)).toContainEqual(
      expect.stringContaining('cannot list services cluster-wide'),
    );
  });

  it('reads everything for a target that could be any pod (an address)', async () => {
    const { live } = await readFor(['shop/web', '10.0.0.7']);
    expect(live.targeted).toBe(false);
  });
});

describe('reads that reach further one after another (check: its targets, then their peers)', () => {
  it('request only what the wider read adds', async () => {
    const server = await serverFor();
    const reader = new LiveReader({ kubeconfig: kubeconfigFile(tempDir(), server.url) }, {});
    const targets = ['shop/web', 'shop/api'];
    await reader.read({ targets, reach: 'targets' });
    const first = server.requests.length;
    const live = await reader.read({ targets, reach: 'peers' });
    reader.close();
    expect(live.cluster.pods.map((p) => p.id).sort()).toEqual([
      'calico-system/calico-node',
      'lab/tester',
      'shop/api',
      'shop/web',
    ]);
    expect(new Set(server.requests).size).toBe(server.requests.length);
    // lab is the peers' namespace: its pods, Services, EndpointSlices and policies.
    const added = server.requests.slice(first).map((url) => url.split('?')[0]);
    expect(added.sort()).toEqual([
      '/api/v1/namespaces/lab/pods',
      '/api/v1/namespaces/lab/services',
      '/apis/discovery.k8s.io/v1/namespaces/lab/endpointslices',
      '/apis/networking.k8s.io/v1/namespaces/lab/networkpolicies',
    ]);
  });
  it("asks for the ends' pods without waiting for the lists that tell what else to read", async () => {
    let podsAsked = () => {};
    const asked = new Promise<void>((resolve) => {
      podsAsked = resolve;
    });
    const server = await serverFor({
      // The namespaces come only once shop's pods were asked for.
      '/api/v1/namespaces': (res) => void asked.then(() => ROUTES['/api/v1/namespaces'](res)),
      '/api/v1/namespaces/shop/pods': (res) => {
        podsAsked();
        ROUTES['/api/v1/namespaces/shop/pods'](res);
      },
    });
    const kubeconfig = kubeconfigFile(tempDir(), server.url);
    const live = await loadLive({ kubeconfig, requestTimeout: '5s' }, {}, undefined, {
      targets: ['shop/web', 'shop/api'],
      reach: 'targets',
    });
    expect(live.targeted).toBe(true);
  });
});

describe("check's live read", () => {
  async function check(
    targets: readonly string[],
    routes: Record<string, (res: ServerResponse) => void> = {},
  ) {
    const server = await serverFor(routes);
    const kubeconfig = kubeconfigFile(tempDir(), server.url);
    const args = ['check', ...targets, '--port', '80', '--kubeconfig', kubeconfig];
    const run = await runCli([...args, '--request-timeout', '5s']);
    return { run, requests: server.requests.map((url) => decodeURIComponent(url)) };
  }

  it("asks for the peers' namespaces without waiting for the ends' lists", async () => {
    let labAsked = () => {};
    const asked = new Promise<void>((resolve) => {
      labAsked = resolve;
    });
    const { run, requests } = await check(['shop/web', 'shop/api'], {
      // The host-network pods come only once the peers' namespace (lab) was asked for.
      '/api/v1/pods': (res) => void asked.then(() => ROUTES['/api/v1/pods'](res)),
      '/api/v1/namespaces/lab/pods': (res) => {
        labAsked();
        ROUTES['/api/v1/namespaces/lab/pods'](res);
      },
    });
    expect(run.exitCode).toBe(0);
    expect(new Set(requests).size).toBe(requests.length);
    expect(requests.filter((url) => url.startsWith('/api/v1/pods?limit'))).toEqual([]);
  });

  it('reads the ends alone when the peers reach too many namespaces, not everything', async () => {
    const many = Array.from({ length: 20 }, (_, i) => namespace(`team-${i}`, { team: 'a' }));
    const routes = Object.fromEntries(
      many.flatMap(({ metadata: { name } }) =>
        [
          `/api/v1/namespaces/${name}/pods`,
          `/api/v1/namespaces/${name}/services`,
          `/apis/discovery.k8s.io/v1/namespaces/${name}/endpointslices`,
          `/apis/networking.k8s.io/v1/namespaces/${name}/networkpolicies`,
        ].map((path) => [path, listOf([])]),
      ),
    );
    const { run, requests } = await check(['lab/tester', 'shop/api'], {
      ...routes,
      '/api/v1/namespaces': listOf([
        namespace('kube-system'),
        namespace('lab', { team: 'a' }),
        namespace('shop', { team: 'a' }),
        ...many,
      ]),
    });
    // shop's api admits team-a namespaces: 22 of them. The verdict needs shop and lab only.
    expect(run.exitCode).toBe(0);
    expect(requests.filter((url) => url.startsWith('/api/v1/pods?limit'))).toEqual([]);
    expect(requests.some((url) => url.startsWith('/api/v1/namespaces/team-'))).toBe(false);
  });
});
