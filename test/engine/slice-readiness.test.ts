/**
 * kube-proxy sends a Service's traffic to the ready endpoints of its EndpointSlices, and only
 * when a family has none to those serving and terminating; a not-ready endpoint is no backend.
 */
import { describe, expect, it } from 'vitest';
import { endpointId } from '../../src/engine/compile/endpoint.js';
import { resolvedId, resolveTarget, serviceBackendSet } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

/** A Service without a selector, on port 6379. */
function serviceYaml(name: string, clusterIP: string): string {
  return `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {clusterIP: ${clusterIP}, ports: [{port: 6379}]}
`;
}

/** An EndpointSlice of a Service with the endpoints given as YAML flow maps. */
function sliceYaml(name: string, service: string, family: string, endpoints: string[]): string {
  return `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}
  namespace: shop
  labels: {kubernetes.io/service-name: ${service}}
addressType: ${family}
endpoints: [${endpoints.join(', ')}]
ports: [{port: 6379}]
`;
}

const NOT_READY = 'conditions: {ready: false}';
const DRAINING = 'conditions: {ready: false, serving: true, terminating: true}';
const STOPPING = 'conditions: {ready: false, serving: false, terminating: true}';

const analysis = analyseYaml(
  stream(
    namespaceYaml('shop'),
    podYaml('shop/cache-0', { labels: { app: 'cache' }, ips: ['10.0.0.2'] }),
    podYaml('shop/dual-0', { labels: { app: 'dual' }, ips: ['10.0.0.3', 'fd00::3'] }),
  ),
  serviceYaml('cache', '10.96.0.30'),
  sliceYaml('cache-1', 'cache', 'IPv4', [
    '{addresses: [10.0.0.2], conditions: {ready: true}}',
    `{addresses: [192.0.2.20], ${NOT_READY}}`,
    // No conditions written: ready.
    '{addresses: [192.0.2.21]}',
    // kube-proxy takes the first address only.
    '{addresses: [192.0.2.22, 192.0.2.23]}',
    // Serving and terminating, but other endpoints are ready.
    `{addresses: [192.0.2.24], ${DRAINING}}`,
  ]),
  serviceYaml('drain', '10.96.0.31'),
  sliceYaml('drain-1', 'drain', 'IPv4', [
    `{addresses: [192.0.2.30], ${DRAINING}}`,
    `{addresses: [192.0.2.31], ${STOPPING}}`,
  ]),
  serviceYaml('dual', '10.96.0.32'),
  sliceYaml('dual-v4', 'dual', 'IPv4', [
    `{addresses: [192.0.2.40], ${DRAINING}}`,
    `{addresses: [10.0.0.3], ${NOT_READY}}`,
  ]),
  sliceYaml('dual-v6', 'dual', 'IPv6', [
    '{addresses: ["fd00::3"]}',
    '{addresses: ["fd00::41"]}',
    `{addresses: ["fd00::42"], ${DRAINING}}`,
  ]),
  serviceYaml('down', '10.96.0.33'),
  sliceYaml('down-1', 'down', 'IPv4', [`{addresses: [192.0.2.50], ${NOT_READY}}`]),
);

function resolve(text: string) {
  const resolved = resolveTarget(analysis, text, 'shop', 6379, undefined);
  if (!resolved.ok) return resolved.error;
  const { endpoints, notReady } = resolved.value;
  const notReadyIn = notReady?.endpoints.map((e) =>
    'pod' in e ? `pod ${e.pod}` : `${e.address} in ${e.slice}`,
  );
  return { backends: endpoints.map(resolvedId), service: notReady?.service, notReady: notReadyIn };
}

describe('EndpointSlice endpoints kube-proxy sends to', () => {
  it('the ready ones (no condition written is ready), each by its first address', () => {
    expect(resolve('svc/cache')).toEqual({
      backends: ['shop/cache-0', '192.0.2.21', '192.0.2.22'],
      service: 'shop/cache',
      notReady: ['192.0.2.20 in cache-1', '192.0.2.24 in cache-1'],
    });
  });

  it('with none ready, the serving and terminating ones, said so in how the port is reached', () => {
    const resolved = resolveTarget(analysis, 'svc/drain', 'shop', 6379, undefined);
    expect(resolved.ok && resolved.value.endpoints.map((e) => [resolvedId(e), e.via])).toEqual([
      [
        '192.0.2.30',
        'service port 6379 -> endpoint port 6379 of EndpointSlice drain-1 (terminating: kube-proxy uses it while no endpoint is ready)',
      ],
    ]);
    expect(resolve('svc/drain')).toMatchObject({ notReady: ['192.0.2.31 in drain-1'] });
  });

  it('decides the fallback per address family, as kube-proxy runs one proxier per family', () => {
    // Pod dual-0 is not ready in the IPv4 slice but ready in the IPv6 one: a backend over IPv6.
    expect(resolve('svc/dual')).toEqual({
      backends: ['192.0.2.40', 'shop/dual-0', 'fd00::41'],
      service: 'shop/dual',
      notReady: ['10.0.0.3 in dual-v4', 'fd00::42 in dual-v6'],
    });
  });

  it('none at all: no endpoints, naming the ones not ready', () => {
    expect(resolve('svc/down')).toEqual({
      kind: 'service-has-no-endpoints',
      text: 'svc/down',
      service: 'shop/down',
      notReady: [{ address: '192.0.2.50', slice: 'down-1' }],
    });
  });

  it('the backends of the whole Service leave out the ones not ready', () => {
    const service = analysis.services.get('shop/cache');
    const set = service && serviceBackendSet(analysis, service);
    expect(set?.kind === 'endpoint-slices' && set.endpoints.map(endpointId)).toEqual([
      'shop/cache-0',
      '192.0.2.21',
      '192.0.2.22',
    ]);
  });
});
