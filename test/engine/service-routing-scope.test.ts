/**
 * Which of a Service's backends a client really reaches: internalTrafficPolicy Local keeps
 * ClusterIP traffic on the client's node, a pod without an address of the Service's families is
 * no endpoint, cluster DNS names only ready pods of a headless Service, and topology hints may
 * narrow a client's backends to its zone.
 */
import { describe, expect, it } from 'vitest';
import { checkOutcome, checkTargets, resolvedId, resolveTarget } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, type PodSpec, podYaml, stream } from '../helpers/scenario.js';

/** A Service selecting app=APP on port 80 with these spec fields (YAML flow entries). */
function serviceYaml(name: string, app: string, spec: string, metadata = ''): string {
  return `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop${metadata}}
spec: {selector: {app: ${app}}, ports: [{port: 80}], ${spec}}
`;
}

/** Ingress to tier=closed pods is denied. */
const CLOSED = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: closed, namespace: shop}
spec: {podSelector: {matchLabels: {tier: closed}}, policyTypes: [Ingress]}
`;

function pod(name: string, ip: string, spec: PodSpec = {}): string {
  return podYaml(`shop/${name}`, { ips: [ip], ...spec });
}

/** api-a on node-a is open, api-b on node-b is closed; clients on node-a, node-c and unknown. */
const CLUSTER = stream(
  namespaceYaml('shop'),
  CLOSED,
  pod('client', '10.0.0.1', { nodeName: 'node-a' }),
  pod('far', '10.0.0.3', { nodeName: 'node-c' }),
  pod('roamer', '10.0.0.2'),
  pod('api-a', '10.0.1.1', { labels: { app: 'api', tier: 'open' }, nodeName: 'node-a' }),
  pod('api-b', '10.0.1.2', { labels: { app: 'api', tier: 'closed' }, nodeName: 'node-b' }),
  pod('web-a', '10.0.2.1', { labels: { app: 'web' }, nodeName: 'node-a' }),
  pod('web-b', '10.0.2.2', { labels: { app: 'web' }, nodeName: 'node-b' }),
);

function check(yaml: string, source: string, destination: string) {
  const analysis = analyseYaml(yaml);
  const answer = checkTargets(analysis, { source, destination, port: 80, namespace: 'shop' });
  if (!answer.ok) return answer.error;
  const { flows, notes } = answer.value;
  return {
    outcome: checkOutcome(flows),
    to: flows.map((flow) => flow.to),
    doubts: flows.flatMap((flow) => (flow.routeDoubt ? [flow.routeDoubt.kind] : [])),
    notes: notes.map((note) => note.kind),
  };
}

describe('internalTrafficPolicy Local', () => {
  const LOCAL = stream(
    CLUSTER,
    serviceYaml('api', 'api', 'clusterIP: 10.96.0.10, internalTrafficPolicy: Local'),
    serviceYaml('web', 'web', 'clusterIP: 10.96.0.11, internalTrafficPolicy: Local'),
  );

  it('sends a client only to the backends on its own node, by name or ClusterIP', () => {
    const local = {
      outcome: 'ALLOWED',
      to: ['shop/api-a'],
      doubts: [],
      notes: ['internal-traffic-local'],
    };
    expect(check(LOCAL, 'shop/client', 'svc/api')).toEqual(local);
    expect(check(LOCAL, 'shop/client', '10.96.0.10')).toEqual({
      ...local,
      notes: ['service-address', 'internal-traffic-local'],
    });
    // Without the policy every backend counts, the closed one too.
    const cluster = LOCAL.replace(', internalTrafficPolicy: Local', '');
    expect(check(cluster, 'shop/client', 'svc/api')).toMatchObject({
      outcome: 'DENIED',
      to: ['shop/api-a', 'shop/api-b'],
    });
  });

  it('has no backends for a client on a node without one: the error names the node', () => {
    expect(check(LOCAL, 'shop/far', 'svc/api')).toEqual({
      kind: 'service-has-no-endpoints',
      text: 'svc/api',
      service: 'shop/api',
      notReady: [],
      node: 'node-c',
    });
  });

  it('is UNKNOWN for a client whose node is unknown, unless every backend denies', () => {
    expect(check(LOCAL, 'shop/roamer', 'svc/web')).toEqual({
      outcome: 'UNKNOWN',
      to: ['shop/web-a', 'shop/web-b'],
      doubts: ['node-unknown', 'node-unknown'],
      notes: ['internal-traffic-local'],
    });
    const allClosed = LOCAL.replace('tier: "open"', 'tier: "closed"');
    expect(check(allClosed, 'shop/roamer', 'svc/api')).toMatchObject({
      outcome: 'DENIED',
      doubts: [],
    });
  });

  it('does not apply to a headless Service, which has no ClusterIP to proxy', () => {
    const headless = stream(
      CLUSTER,
      serviceYaml('web', 'web', 'clusterIP: None, internalTrafficPolicy: Local'),
    );
    expect(check(headless, 'shop/far', 'svc/web')).toMatchObject({
      outcome: 'ALLOWED',
      to: ['shop/web-a', 'shop/web-b'],
      notes: [],
    });
  });

  it('reads the node of a selector-less Service from its EndpointSlices', () => {
    const slices = stream(
      CLUSTER,
      `
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec: {clusterIP: 10.96.0.12, ports: [{port: 80}], internalTrafficPolicy: Local}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: legacy-1, namespace: shop, labels: {kubernetes.io/service-name: legacy}}
addressType: IPv4
endpoints:
- {addresses: [10.0.1.1], nodeName: node-a}
- {addresses: [10.0.1.2], nodeName: node-b}
ports: [{port: 80}]
`,
    );
    expect(check(slices, 'shop/client', 'svc/legacy')).toMatchObject({
      outcome: 'ALLOWED',
      to: ['shop/api-a'],
    });
  });
});

describe("a Service's address families", () => {
  const PODS = stream(
    namespaceYaml('shop'),
    pod('v4', '10.0.3.1', { labels: { app: 'db' } }),
    podYaml('shop/v6', { labels: { app: 'db' }, ips: ['fd00::31'] }),
  );

  function backends(yaml: string, target: string) {
    const resolved = resolveTarget(analyseYaml(yaml), target, 'shop', 80, undefined);
    return resolved.ok ? resolved.value.endpoints.map(resolvedId) : resolved.error.kind;
  }

  it('leave out a pod with no address of any of them (spec.ipFamilies, else the ClusterIP)', () => {
    const headless = stream(PODS, serviceYaml('db', 'db', 'clusterIP: None, ipFamilies: [IPv4]'));
    expect(backends(headless, 'svc/db')).toEqual(['shop/v4']);
    const v6 = headless.replace('ipFamilies: [IPv4]', 'ipFamilies: [IPv6]');
    expect(backends(v6, 'svc/db')).toEqual(['shop/v6']);
    const bothHeadless = headless.replace(', ipFamilies: [IPv4]', '');
    expect(backends(bothHeadless, 'svc/db')).toEqual(['shop/v4', 'shop/v6']);
  });

  it('give no endpoints when no selected pod has an address of them', () => {
    const v4Only = stream(
      namespaceYaml('shop'),
      podYaml('shop/v6', { labels: { app: 'db' }, ips: ['fd00::31'] }),
      serviceYaml('db', 'db', 'clusterIP: 10.96.0.30'),
    );
    expect(backends(v4Only, 'svc/db')).toBe('service-has-no-endpoints');
  });
});

describe('names of a headless Service', () => {
  const DB = stream(
    namespaceYaml('shop'),
    serviceYaml('db', 'db', 'clusterIP: None'),
    pod('db-0', '10.0.4.1', { labels: { app: 'db' }, ready: true }),
    pod('db-1', '10.0.4.2', { labels: { app: 'db' }, ready: false }),
  );

  function resolve(yaml: string, text: string) {
    const resolved = resolveTarget(analyseYaml(yaml), text, 'shop', 80, undefined);
    return resolved.ok ? resolved.value.endpoints.map(resolvedId) : resolved.error;
  }

  it('are answered for ready pods only: a not-ready pod is named, not read as a host', () => {
    expect(resolve(DB, '10-0-4-1.db.shop.svc.cluster.local')).toEqual(['shop/db-0']);
    const notReady = {
      kind: 'pod-dns-not-ready',
      pod: 'shop/db-1',
      service: 'shop/db',
    };
    expect(resolve(DB, '10-0-4-2.db.shop.svc.cluster.local')).toMatchObject(notReady);
    expect(resolve(DB, '10-0-4-2.db.shop')).toMatchObject(notReady);
  });

  it('the Service name itself: ready pods only, no terminating fallback as kube-proxy has', () => {
    const draining = stream(
      namespaceYaml('shop'),
      serviceYaml('db', 'db', 'clusterIP: None'),
      pod('db-1', '10.0.4.2', { labels: { app: 'db' }, ready: false }),
      pod('db-2', '10.0.4.3', { labels: { app: 'db' }, ready: true, terminating: true }),
    );
    expect(resolve(draining, 'svc/db')).toEqual({
      kind: 'service-has-no-endpoints',
      text: 'svc/db',
      service: 'shop/db',
      notReady: [{ pod: 'shop/db-1' }, { pod: 'shop/db-2' }],
      headless: true,
    });
    // Through a ClusterIP kube-proxy does fall back to the serving terminating pod.
    const proxied = draining.replace('clusterIP: None', 'clusterIP: 10.96.0.40');
    expect(resolve(proxied, 'svc/db')).toEqual(['shop/db-2']);
  });

  it('are answered for every pod with publishNotReadyAddresses', () => {
    const published = DB.replace(
      'clusterIP: None',
      'clusterIP: None, publishNotReadyAddresses: true',
    );
    expect(resolve(published, '10-0-4-2.db.shop.svc.cluster.local')).toEqual(['shop/db-1']);
  });
});

describe('topology hints', () => {
  it('make a client UNKNOWN when its backends answer differently', () => {
    const preferClose = stream(
      CLUSTER,
      serviceYaml('api', 'api', 'clusterIP: 10.96.0.10, trafficDistribution: PreferClose'),
    );
    expect(check(preferClose, 'shop/client', 'svc/api')).toEqual({
      outcome: 'UNKNOWN',
      to: ['shop/api-a', 'shop/api-b'],
      doubts: ['topology-hints', 'topology-hints'],
      notes: [],
    });
    const annotated = stream(
      CLUSTER,
      serviceYaml(
        'api',
        'api',
        'clusterIP: 10.96.0.10',
        ', annotations: {service.kubernetes.io/topology-mode: Auto}',
      ),
    );
    expect(check(annotated, 'shop/client', 'svc/api')).toMatchObject({ outcome: 'UNKNOWN' });
  });

  it('change nothing when every backend answers the same', () => {
    const preferClose = stream(
      CLUSTER,
      serviceYaml('web', 'web', 'clusterIP: 10.96.0.11, trafficDistribution: PreferClose'),
    );
    expect(check(preferClose, 'shop/client', 'svc/web')).toMatchObject({
      outcome: 'ALLOWED',
      doubts: [],
    });
  });
});
