import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, PolicyPeer } from '../../src/engine/index.js';
import { loadLive } from '../../src/io/cluster/load-live.js';
import { peerNamespaces, targetNamespaces } from '../../src/io/cluster/targeted-read.js';
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

const NAMESPACES = [
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

describe('the namespaces whose pods policy peers can select', () => {
  it('is the policy namespace for a podSelector alone', () => {
    const peers = [{ podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] } }];
    expect(peerNamespaces([policy('bank', [peers])], NAMESPACES)).toEqual(new Set(['bank']));
  });

  it('is the namespaces a namespaceSelector selects, set-based terms included', () => {
    const namespaceSelector = {
      matchLabels: { team: 'a' },
      matchExpressions: [{ key: 'env', operator: 'DoesNotExist' as const, values: [] }],
    };
    expect(peerNamespaces([policy('bank', [[{ namespaceSelector }]])], NAMESPACES)).toEqual(
      new Set(['shop']),
    );
  });

  it('is every namespace for an empty namespaceSelector', () => {
    const peers = [{ namespaceSelector: EVERYTHING, podSelector: EVERYTHING }];
    expect(peerNamespaces([policy('bank', [peers])], NAMESPACES)).toEqual(
      new Set(['shop', 'bank', 'lab']),
    );
  });

  it('is none for a policy without rules (it only isolates)', () => {
    expect(peerNamespaces([policy('bank', [])], NAMESPACES)).toEqual(new Set());
  });

  it('cannot be told for a rule without peers or with an ipBlock', () => {
    expect(peerNamespaces([policy('bank', [[]])], NAMESPACES)).toBeUndefined();
    const block = [{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }];
    expect(peerNamespaces([policy('bank', [block])], NAMESPACES)).toBeUndefined();
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
  ...['shop', 'lab', 'kube-system'].flatMap((ns) => [
    `/api/v1/namespaces/${ns}/services`,
    `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
    `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
  ]),
  '/api/v1/namespaces/kube-system/pods',
];

async function readFor(
  targets: readonly string[],
  routes: Record<string, (res: ServerResponse) => void> = {},
) {
  const server = await routedApiServer({
    ...Object.fromEntries(EMPTY.map((path) => [path, listOf([])])),
    ...ROUTES,
    ...routes,
  });
  const flags = { kubeconfig: kubeconfigFile(tempDir(), server.url) };
  const live = await loadLive(flags, {}, undefined, { targets });
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

  it('reads everything when a policy list is refused, to report it as the full read does', async () => {
    const refused = (res: ServerResponse) =>
      jsonAnswer(res, 403, { kind: 'Status', reason: 'Forbidden', message: 'no', code: 403 });
    const { live, requests } = await readFor(['shop/web', 'shop/api'], {
      '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies': refused,
    });
    expect(live.targeted).toBe(false);
    expect(requests).toContain('/api/v1/pods?limit=500');
  });

  it('reads everything for a target that could be any pod (an address)', async () => {
    const { live } = await readFor(['shop/web', '10.0.0.7']);
    expect(live.targeted).toBe(false);
  });
});
