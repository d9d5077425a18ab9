import { describe, expect, it } from 'vitest';
import { checkTargets, parsePortSpec, resolvedId, resolveTarget } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const SERVICES = `
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  clusterIP: 10.96.0.10
  ports: [{port: 80, targetPort: 8080, name: http}]
---
apiVersion: v1
kind: Service
metadata: {name: ghost, namespace: shop}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: external, namespace: shop}
spec:
  ports: [{port: 443}]
`;

const analysis = analyseYaml(
  stream(
    namespaceYaml('shop'),
    podYaml('shop/web', { labels: { app: 'web' }, ips: ['10.0.0.1'] }),
    podYaml('shop/api', { labels: { app: 'api' }, ips: ['10.0.0.2'], ports: [{ port: 8080 }] }),
  ),
  SERVICES,
);

const resolve = (text: string, port: string | number = 80) =>
  resolveTarget(analysis, text, 'shop', port, undefined);

describe('parsePortSpec', () => {
  it('reads a number or a name', () => {
    expect(parsePortSpec('8080')).toEqual({ ok: true, value: 8080 });
    expect(parsePortSpec(53)).toEqual({ ok: true, value: 53 });
    expect(parsePortSpec('http')).toEqual({ ok: true, value: 'http' });
  });

  it('returns, not throws, a port out of range or an empty one', () => {
    for (const port of ['0', '65536', 70000]) {
      expect(parsePortSpec(port)).toEqual({
        ok: false,
        error: { kind: 'port-out-of-range', port },
      });
    }
    expect(parsePortSpec('')).toEqual({ ok: false, error: { kind: 'port-empty' } });
  });
});

describe('resolveTarget returns why a target names nothing', () => {
  it('a pod, a service and addresses that exist resolve', () => {
    expect(resolve('shop/web').ok).toBe(true);
    expect(resolve('pod/api').ok).toBe(true);
    expect(resolve('svc/api').ok).toBe(true);
    expect(resolve('10.96.0.10').ok).toBe(true);
    expect(resolve('203.0.113.7').ok).toBe(true);
  });

  it.each([
    ['nope', { kind: 'no-such-pod', text: 'nope', pod: 'shop/nope' }],
    ['a/b/c', { kind: 'unrecognised-target', text: 'a/b/c' }],
    ['10.0.0', { kind: 'unrecognised-target', text: '10.0.0' }],
    ['shop/nope', { kind: 'no-such-pod', text: 'shop/nope', pod: 'shop/nope' }],
    ['pod/nope', { kind: 'no-such-pod', text: 'pod/nope', pod: 'shop/nope' }],
    ['svc/nope', { kind: 'no-such-service', text: 'svc/nope', service: 'shop/nope' }],
    [
      'service/external',
      { kind: 'service-without-selector', text: 'service/external', service: 'shop/external' },
    ],
    ['svc/ghost', { kind: 'service-selects-no-pod', text: 'svc/ghost' }],
  ])('%s', (text, error) => {
    expect(resolve(text)).toEqual({ ok: false, error });
  });

  it('a service port that is not declared, with the ports that are', () => {
    const resolved = resolve('svc/api', 9090);
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.error).toMatchObject({
      kind: 'no-such-service-port',
      text: 'svc/api',
      port: 9090,
      protocol: undefined,
      known: [{ port: 80, name: 'http' }],
    });
  });

  it('a named port on an address outside the cluster', () => {
    expect(resolve('203.0.113.7', 'http')).toEqual({
      ok: false,
      error: { kind: 'named-port-needs-workload', text: '203.0.113.7' },
    });
  });
});

describe('a name missing from its namespace, found in another', () => {
  // A bare name is read in -n's namespace (kubectl's default); users often leave -n out.
  const elsewhere = analyseYaml(
    stream(
      namespaceYaml('shop'),
      namespaceYaml('prod'),
      namespaceYaml('staging'),
      podYaml('prod/api-7d9f-x2k4p', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
      podYaml('prod/db-0', { labels: { app: 'db' }, ips: ['10.0.0.3'] }),
      podYaml('staging/db-0', { labels: { app: 'db' }, ips: ['10.0.0.4'] }),
    ),
    `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: prod}
spec:
  selector: {app: api}
  ports: [{port: 80}]
`,
  );
  const missing = (text: string) => {
    const resolved = resolveTarget(elsewhere, text, 'shop', 80, undefined);
    return resolved.ok ? undefined : resolved.error;
  };

  it.each([
    ['db-0', 'no-such-pod', ['prod/db-0', 'staging/db-0']],
    ['shop/db-0', 'no-such-pod', ['prod/db-0', 'staging/db-0']],
    ['pod/db-0', 'no-such-pod', ['prod/db-0', 'staging/db-0']],
    ['api', 'no-such-pod', ['prod/api']],
    ['svc/api', 'no-such-service', ['svc/api.prod']],
    ['deploy/api', 'no-such-workload', ['deploy/api -n prod']],
  ])('%s is offered where it is', (text, kind, suggestions) => {
    expect(missing(text)).toMatchObject({ kind, suggestions });
  });

  it('offers nothing for a name no namespace holds, nor a Service for a pod name', () => {
    expect(missing('cache')).not.toHaveProperty('suggestions');
    expect(missing('svc/db-0')).not.toHaveProperty('suggestions');
    expect(missing('sts/api')).not.toHaveProperty('suggestions');
  });
});

describe('checkTargets', () => {
  const check = (source: string, destination: string, port: string) =>
    checkTargets(analysis, { source, destination, port, namespace: 'shop' });

  it('answers with the parsed port and one flow per endpoint pair', () => {
    const checked = check('shop/web', 'svc/api', '80');
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.port).toBe(80);
    expect(checked.value.flows.map((f) => [f.from, f.to])).toEqual([['shop/web', 'shop/api']]);
  });

  it('reports the port first, then the source, then the destination', () => {
    expect(check('shop/nope', 'svc/nope', '0')).toMatchObject({
      ok: false,
      error: { kind: 'port-out-of-range' },
    });
    expect(check('shop/nope', 'svc/nope', '80')).toMatchObject({
      ok: false,
      error: { kind: 'no-such-pod', text: 'shop/nope' },
    });
    expect(check('shop/web', 'svc/nope', '80')).toMatchObject({
      ok: false,
      error: { kind: 'no-such-service', text: 'svc/nope' },
    });
  });
});

describe('targets typed without a kind: NAME, NAME.NAMESPACE and host names', () => {
  const endpointsOf = (text: string, port: string | number = 80) => {
    const resolved = resolve(text, port);
    if (!resolved.ok) throw new Error(`${text} did not resolve: ${resolved.error.kind}`);
    return resolved.value;
  };
  const ids = (text: string) =>
    endpointsOf(text).endpoints.map((e) => [resolvedId(e), e.port, e.via ?? null]);

  it('a bare NAME is a pod of the namespace given (-n), with close names when none is', () => {
    expect(ids('web')).toEqual([['shop/web', 80, null]]);
    expect(resolve('wbe')).toEqual({
      ok: false,
      error: { kind: 'no-such-pod', text: 'wbe', pod: 'shop/wbe', suggestions: ['web'] },
    });
  });

  it('NAME.NAMESPACE is the Service of that name as cluster DNS resolves it, else the pod', () => {
    const service = endpointsOf('api.shop');
    expect(ids('api.shop')).toEqual([['shop/api', 8080, 'service port 80 -> targetPort 8080']]);
    expect(service.reading).toEqual({
      kind: 'named-object',
      text: 'api.shop',
      object: 'service',
      namespace: 'shop',
      name: 'api',
    });
    expect(ids('web.shop')).toEqual([['shop/web', 80, null]]);
    expect(endpointsOf('web.shop').reading).toMatchObject({ kind: 'named-object', object: 'pod' });
  });

  it('NAME.NAMESPACE naming nothing there is a host name, with what was close', () => {
    expect(ids('wbe.shop')).toEqual([['wbe.shop', 80, null]]);
    expect(endpointsOf('wbe.shop').reading).toEqual({
      kind: 'hostname',
      text: 'wbe.shop',
      hostname: 'wbe.shop',
      namespace: { name: 'shop', known: true },
      suggestions: ['web.shop'],
    });
    expect(endpointsOf('example.com').reading).toEqual({
      kind: 'hostname',
      text: 'example.com',
      hostname: 'example.com',
      namespace: { name: 'com', known: false },
    });
  });

  it('a host name is compared in lower case without its final dot, and takes a port number', () => {
    expect(ids('WWW.Example.COM.')).toEqual([['www.example.com', 80, null]]);
    expect(resolve('www.example.com', 'https')).toEqual({
      ok: false,
      error: { kind: 'named-port-needs-workload', text: 'www.example.com' },
    });
  });
});

describe('a Service port with a named targetPort', () => {
  // Kubernetes' endpoint controllers skip, for a port, every selected pod whose containers do
  // not declare its named targetPort with its protocol: those pods receive none of its traffic.
  const named = analyseYaml(
    stream(
      namespaceYaml('dns'),
      podYaml('dns/new', {
        labels: { app: 'dns' },
        ips: ['10.0.0.5'],
        ports: [{ name: 'dns', port: 5353, protocol: 'UDP' }],
      }),
      podYaml('dns/old', {
        labels: { app: 'dns' },
        ips: ['10.0.0.6'],
        ports: [{ name: 'dns', port: 53 }],
      }),
    ),
    `
apiVersion: v1
kind: Service
metadata: {name: resolver, namespace: dns}
spec:
  selector: {app: dns}
  ports: [{name: udp, port: 53, protocol: UDP, targetPort: dns}, {name: tcp, port: 5300, protocol: TCP, targetPort: tls}]
`,
  );
  const resolveNamed = (port: number, protocol: 'TCP' | 'UDP') =>
    resolveTarget(named, 'svc/resolver', 'dns', port, protocol);

  it('has as backends only the pods that declare it with its protocol', () => {
    const resolved = resolveNamed(53, 'UDP');
    if (!resolved.ok) throw new Error(`svc/resolver should resolve: ${resolved.error.kind}`);
    expect(resolved.value.endpoints.map((e) => [resolvedId(e), e.port])).toEqual([
      ['dns/new', 5353],
    ]);
  });

  it('names the targetPort when no selected pod declares it', () => {
    expect(resolveNamed(5300, 'TCP')).toEqual({
      ok: false,
      error: {
        kind: 'target-port-on-no-pod',
        text: 'svc/resolver',
        service: 'dns/resolver',
        targetPort: 'tls',
        protocol: 'TCP',
      },
    });
  });
});

describe('an ExternalName Service', () => {
  // ServiceSpec.selector: "Ignored if type is ExternalName"; its name is a CNAME to an outside host.
  const external = analyseYaml(
    stream(
      namespaceYaml('shop'),
      podYaml('shop/db', { labels: { app: 'db' }, ips: ['10.0.0.7'], ports: [{ port: 5432 }] }),
    ),
    `
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  type: ExternalName
  externalName: db.example.com
  selector: {app: db}
  ports: [{port: 5432}]
`,
  );

  it('stands for no pod, even with a selector that matches some', () => {
    expect(resolveTarget(external, 'svc/db', 'shop', 5432, undefined)).toEqual({
      ok: false,
      error: { kind: 'external-name-service', text: 'svc/db', service: 'shop/db' },
    });
  });
});
