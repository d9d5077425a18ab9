import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/io/cluster/api-client.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { readCluster, snapshotFromScopes } from '../../src/io/cluster/load-cluster.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { runCli } from '../helpers/cli.js';
import {
  emptyList,
  type FakeApiServer,
  fakeApiServer,
  kubeconfigFile,
  tempDir,
} from '../helpers/fake-api.js';

function normalize(yaml: string) {
  return normalizeObjects(parseManifestText(yaml, 'in.yaml').objects);
}

const SLICE = {
  metadata: {
    name: 'db-1',
    namespace: 'shop',
    labels: { 'kubernetes.io/service-name': 'db' },
  },
  addressType: 'IPv4',
  endpoints: [
    { addresses: ['192.0.2.1', '192.0.2.2'] },
    { addresses: ['192.0.2.3'], conditions: { ready: false, serving: true, terminating: true } },
  ],
  ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }, { name: 'all' }],
};

describe('EndpointSlices from manifests', () => {
  it('reads the Service label, each endpoint with its conditions, and the ports with a number', () => {
    const { cluster, findings } = normalize(
      JSON.stringify({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', ...SLICE }),
    );
    expect(findings).toEqual([]);
    expect(cluster.endpointSlices).toEqual([
      {
        namespace: 'shop',
        name: 'db-1',
        service: 'db',
        // Conditions not written read as kube-proxy reads them: ready, serving, not terminating.
        endpoints: [
          {
            addresses: ['192.0.2.1', '192.0.2.2'],
            ready: true,
            serving: true,
            terminating: false,
          },
          { addresses: ['192.0.2.3'], ready: false, serving: true, terminating: true },
        ],
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      },
    ]);
  });

  it('reads v1beta1 slices the same way', () => {
    const { cluster } = normalize(
      JSON.stringify({ apiVersion: 'discovery.k8s.io/v1beta1', kind: 'EndpointSlice', ...SLICE }),
    );
    expect(cluster.endpointSlices?.map((s) => s.service)).toEqual(['db']);
  });

  it('refuses a malformed slice with an error naming it, and keeps the rest of the input', () => {
    const { cluster, findings } = normalize(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: bad, namespace: shop}
endpoints: [{addresses: 10.0.0.1}]
ports: [{port: http}]
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
`);
    expect(cluster.endpointSlices).toBeUndefined();
    expect(cluster.namespaces.map((n) => n.name)).toEqual(['shop']);
    expect(findings.map((f) => [f.object, f.message])).toEqual([
      [
        'EndpointSlice shop/bad',
        'endpoints[0].addresses: Invalid value: "10.0.0.1": must be a list',
      ],
      ['EndpointSlice shop/bad', 'ports[0].port: Invalid value: "http": must be an integer'],
    ]);
  });
});

/** A Service without selector and its hand-written Endpoints (one address not ready). */
const MANUAL_ENDPOINTS = `apiVersion: v1
kind: Namespace
metadata: {name: b}
---
apiVersion: v1
kind: Service
metadata: {name: ext-db, namespace: b}
spec: {ports: [{port: 5432, targetPort: 15432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: ext-db, namespace: b}
subsets:
- addresses: [{ip: 192.0.2.20}, {ip: 192.0.2.21}]
  notReadyAddresses: [{ip: 192.0.2.22}]
  ports: [{port: 15432}]
`;

describe('Endpoints of a Service without selector, mirrored as the control plane does', () => {
  it('become its EndpointSlice (each address with its readiness, subset ports), unless not mirrored', () => {
    const { cluster, findings } = normalize(MANUAL_ENDPOINTS);
    expect(findings).toEqual([]);
    expect(cluster.endpointSlices).toEqual([
      {
        namespace: 'b',
        name: 'ext-db-mirror-1',
        service: 'ext-db',
        endpoints: [
          { addresses: ['192.0.2.20'], ready: true, serving: true, terminating: false },
          { addresses: ['192.0.2.21'], ready: true, serving: true, terminating: false },
          { addresses: ['192.0.2.22'], ready: false, serving: true, terminating: false },
        ],
        ports: [{ name: '', port: 15432, protocol: 'TCP' }],
      },
    ]);
    // Not mirrored: labelled skip-mirror, of a Service with a selector, or beside its own slice.
    const skip = MANUAL_ENDPOINTS.replace(
      'metadata: {name: ext-db, namespace: b}\nsubsets',
      "metadata: {name: ext-db, namespace: b, labels: {endpointslice.kubernetes.io/skip-mirror: 'true'}}\nsubsets",
    );
    const selector = MANUAL_ENDPOINTS.replace(
      'spec: {ports:',
      'spec: {selector: {app: db}, ports:',
    );
    const sliced = `${MANUAL_ENDPOINTS}---\n${JSON.stringify({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', ...SLICE, metadata: { ...SLICE.metadata, namespace: 'b', labels: { 'kubernetes.io/service-name': 'ext-db' } } })}`;
    expect(normalize(skip).cluster.endpointSlices).toBeUndefined();
    expect(normalize(selector).cluster.endpointSlices).toBeUndefined();
    expect(normalize(sliced).cluster.endpointSlices?.map((s) => s.name)).toEqual(['db-1']);
  });

  it('let check answer for the addresses behind svc/NAME instead of refusing', async () => {
    const run = await runCli(
      ['check', '192.0.2.9', 'svc/ext-db.b', '--port', '5432', '-f', '-', '--assume-enforced'],
      MANUAL_ENDPOINTS,
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('ALLOWED  192.0.2.9 -> 192.0.2.20  TCP 15432');
    expect(run.stdout).toContain('ALLOWED  192.0.2.9 -> 192.0.2.21  TCP 15432');
    expect(run.stdout).not.toContain('-> 192.0.2.22');
    expect(run.stdout).toContain(
      'note: service b/ext-db: endpoint 192.0.2.22 (EndpointSlice ext-db-mirror-1) not ready: kube-proxy sends no traffic to it',
    );
  });
});

describe('EndpointSlices read live', () => {
  let server: FakeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const client = (url: string) =>
    new ApiClient(resolveKubeConfig({ kubeconfig: kubeconfigFile(tempDir(), url) }, {}), 5000);

  it('lists discovery.k8s.io/v1 endpointslices into the snapshot', async () => {
    server = await fakeApiServer((req, res) => {
      if (!req.url?.startsWith('/apis/discovery.k8s.io/v1/endpointslices')) return emptyList(res);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ items: [SLICE], metadata: { resourceVersion: '7' } }));
    });
    const read = await readCluster(client(server.url), []);
    const snapshot = snapshotFromScopes(read, 'test');
    expect(snapshot.cluster.endpointSlices?.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      'shop/db-1',
    ]);
  });

  it('a forbidden list is a warning with the can-i command, like the other lists', async () => {
    server = await fakeApiServer((req, res) => {
      if (!req.url?.includes('/endpointslices')) return emptyList(res);
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'no', code: 403 }));
    });
    const read = await readCluster(client(server.url), ['shop']);
    expect(read.findings.map((f) => [f.severity, f.message])).toEqual([
      [
        'warning',
        'cannot list endpointslices in namespace shop (403 Forbidden: no); the analysis is partial. Check with: kubectl auth can-i list endpointslices -n shop',
      ],
      [
        'warning',
        'cannot list endpointslices cluster-wide (403 Forbidden); read no namespace instead, so the analysis is partial. Check with: kubectl auth can-i list endpointslices --all-namespaces',
      ],
    ]);
  });
});
