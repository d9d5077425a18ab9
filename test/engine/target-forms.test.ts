import { describe, expect, it } from 'vitest';
import {
  checkTargets,
  parseTargetName,
  resolvedId,
  resolveTarget,
} from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const WORKLOADS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  template:
    metadata: {labels: {app: frontend}}
    spec: {containers: [{name: main, image: web}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: main, image: db}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: main, image: agent}]}
`;

/** Pods as a live read has them: owned by a ReplicaSet named after the Deployment and hash. */
function ownedPod(id: string, owner: string, hash: string, ip: string): string {
  const [namespace, name] = id.split('/');
  const [kind, ownerName] = owner.split('/');
  return `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: {app: nginx, pod-template-hash: "${hash}"}
  ownerReferences: [{kind: ${kind}, name: ${ownerName}, apiVersion: apps/v1, uid: x}]
spec: {containers: [{name: main, image: nginx, ports: [{containerPort: 80}]}]}
status: {podIP: ${ip}}
`;
}

const SERVICES = `
apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: secure-ns}
spec:
  selector: {app: nginx}
  clusterIP: 10.96.5.5
  ports: [{port: 80, targetPort: 8080}]
`;

const analysis = analyseYaml(
  stream(
    namespaceYaml('shop'),
    namespaceYaml('namespace-a'),
    namespaceYaml('secure-ns'),
    namespaceYaml('namespace-b'),
    podYaml('secure-ns/nginx-0', { labels: { app: 'nginx' }, ips: ['10.0.1.1'] }),
    podYaml('shop/cart-5f6d7-abcde', { labels: { app: 'cart' }, ips: ['10.0.2.1'] }),
    podYaml('shop/cart-5f6d7-fghij', { labels: { app: 'cart' }, ips: ['10.0.2.2'] }),
    podYaml('shop/payments-1-xyz', { labels: { app: 'payments' }, ips: ['10.0.2.3'] }),
  ),
  ownedPod('namespace-a/nginx-7d4b9c-x2x', 'ReplicaSet/nginx-7d4b9c', '7d4b9c', '10.0.3.1'),
  ownedPod('namespace-a/nginx-7d4b9c-y3y', 'ReplicaSet/nginx-7d4b9c', '7d4b9c', '10.0.3.2'),
  ownedPod('namespace-b/web-5c8f-aaaaa', 'ReplicaSet/web-5c8f', '5c8f', '10.0.4.1'),
  ownedPod('namespace-b/web-0', 'StatefulSet/web', 'x', '10.0.4.2'),
  WORKLOADS,
  SERVICES,
);

/** The endpoint ids a target resolves to, or the problem. */
function resolve(text: string, namespace = 'shop') {
  const resolved = resolveTarget(analysis, text, namespace, 80, undefined);
  return resolved.ok ? resolved.value.endpoints.map(resolvedId) : resolved.error;
}

describe('service targets', () => {
  it.each([
    'svc/nginx.secure-ns',
    'nginx.secure-ns.svc',
    'nginx.secure-ns.svc.cluster.local',
    'nginx.secure-ns.svc.cluster.local.',
    'service/nginx.secure-ns',
  ])('%s names the service in its namespace, whatever -n says', (text) => {
    expect(resolve(text, 'shop')).toEqual(['secure-ns/nginx-0']);
  });

  it('svc/NAME still looks in the current namespace', () => {
    expect(resolve('svc/nginx', 'secure-ns')).toEqual(['secure-ns/nginx-0']);
    expect(resolve('svc/nginx', 'shop')).toMatchObject({ kind: 'no-such-service' });
  });

  it('suggests the closest service names, in the form typed', () => {
    expect(resolve('svc/ngnix.secure-ns')).toEqual({
      kind: 'no-such-service',
      text: 'svc/ngnix.secure-ns',
      service: 'secure-ns/ngnix',
      suggestions: ['svc/nginx.secure-ns'],
    });
    expect(resolve('ngin.secure-ns.svc.cluster.local')).toMatchObject({
      suggestions: ['nginx.secure-ns.svc.cluster.local'],
    });
  });
});

describe('workload targets', () => {
  it('deploy/NAME stands for the pods its template stands for', () => {
    expect(resolve('deploy/frontend')).toEqual(['shop/frontend']);
    expect(resolve('deployment/frontend')).toEqual(['shop/frontend']);
    expect(resolve('sts/db')).toEqual(['shop/db']);
    expect(resolve('statefulset/db')).toEqual(['shop/db']);
    expect(resolve('ds/agent')).toEqual(['shop/agent']);
    expect(resolve('daemonset/agent')).toEqual(['shop/agent']);
  });

  it('deploy/NAME stands for every pod of its ReplicaSets (named NAME-HASH) when pods were read', () => {
    expect(resolve('deploy/nginx', 'namespace-a')).toEqual([
      'namespace-a/nginx-7d4b9c-x2x',
      'namespace-a/nginx-7d4b9c-y3y',
    ]);
  });

  it('a workload of another kind is not found, and the names of that kind are suggested', () => {
    expect(resolve('sts/frontend')).toEqual({
      kind: 'no-such-workload',
      text: 'sts/frontend',
      workload: 'StatefulSet shop/frontend',
    });
    expect(resolve('deploy/fronted')).toEqual({
      kind: 'no-such-workload',
      text: 'deploy/fronted',
      workload: 'Deployment shop/fronted',
      suggestions: ['deploy/frontend'],
    });
  });
});

describe('NAMESPACE/NAME', () => {
  it('is the pod of that name first', () => {
    expect(resolve('shop/cart-5f6d7-abcde')).toEqual(['shop/cart-5f6d7-abcde']);
  });

  it('is a unique workload: all its pods', () => {
    expect(resolve('namespace-a/nginx')).toEqual([
      'namespace-a/nginx-7d4b9c-x2x',
      'namespace-a/nginx-7d4b9c-y3y',
    ]);
  });

  it('is a unique pod-name prefix', () => {
    expect(resolve('shop/payments')).toEqual(['shop/payments-1-xyz']);
  });

  it('names the candidates when ambiguous', () => {
    expect(resolve('shop/cart')).toEqual({
      kind: 'ambiguous-target',
      text: 'shop/cart',
      candidates: ['shop/cart-5f6d7-abcde', 'shop/cart-5f6d7-fghij'],
    });
    expect(resolve('namespace-b/web', 'default')).toEqual({
      kind: 'ambiguous-target',
      text: 'namespace-b/web',
      candidates: ['deploy/web -n namespace-b', 'sts/web -n namespace-b'],
    });
  });

  it('a prefix counts only up to a dash: shop/pay is not payments-1-xyz', () => {
    expect(resolve('shop/pay')).toMatchObject({ kind: 'no-such-pod', pod: 'shop/pay' });
  });

  it('suggests the closest pod and workload names of the namespace', () => {
    expect(resolve('shop/paymnets-1-xyz')).toEqual({
      kind: 'no-such-pod',
      text: 'shop/paymnets-1-xyz',
      pod: 'shop/paymnets-1-xyz',
      suggestions: ['shop/payments-1-xyz'],
    });
    expect(resolve('pod/fronted')).toMatchObject({ suggestions: ['pod/frontend'] });
  });
});

describe('NAMESPACE/KIND/NAME', () => {
  it('names a workload, pod or Service of that namespace, whatever -n says', () => {
    expect(resolve('namespace-a/deploy/nginx', 'shop')).toEqual([
      'namespace-a/nginx-7d4b9c-x2x',
      'namespace-a/nginx-7d4b9c-y3y',
    ]);
    expect(resolve('namespace-b/sts/web', 'shop')).toEqual(['namespace-b/web-0']);
    expect(resolve('shop/pod/payments-1-xyz', 'default')).toEqual(['shop/payments-1-xyz']);
    expect(resolve('secure-ns/svc/nginx', 'shop')).toEqual(['secure-ns/nginx-0']);
  });

  it('suggests in the form typed, and takes no other form after the namespace', () => {
    expect(resolve('namespace-a/deploy/ngnix')).toMatchObject({
      kind: 'no-such-workload',
      suggestions: ['namespace-a/deploy/nginx'],
    });
    for (const text of ['shop/svc/nginx.secure-ns', 'shop/cart/x', 'a/b/c/d']) {
      expect(resolve(text)).toMatchObject({ kind: 'unrecognised-target' });
    }
  });

  it('says a policy is no end of a connection, in any of its forms', () => {
    expect(resolve('netpol/web')).toEqual({
      kind: 'policy-target',
      text: 'netpol/web',
      policyKind: 'NetworkPolicy',
    });
    expect(resolve('shop/networkpolicy/web')).toMatchObject({ policyKind: 'NetworkPolicy' });
    expect(resolve('cnp/guard')).toMatchObject({ policyKind: 'ClusterNetworkPolicy' });
  });
});

describe('address blocks', () => {
  it('a one-address block is that address; a wider one is refused with its range', () => {
    expect(resolve('10.244.2.10/32')).toEqual(resolve('10.244.2.10'));
    expect(resolve('203.0.113.7/32')).toEqual(resolve('203.0.113.7'));
    expect(resolve('10.0.0.0/8')).toEqual({
      kind: 'address-block-target',
      text: '10.0.0.0/8',
      first: '10.0.0.0',
      last: '10.255.255.255',
    });
    expect(resolve('2001:db8::/127')).toMatchObject({ first: '2001:db8::', last: '2001:db8::1' });
  });

  it('an address with a slash and no prefix length of its family is no address block', () => {
    for (const text of ['10.0.0.0/33', '10.0.0.0/', '2001:db8::/129', '10.0.0.1/x']) {
      expect(resolve(text)).toEqual({ kind: 'invalid-address-block', text });
    }
  });
});

describe('checkTargets with the new forms', () => {
  it('answers one flow per pod of a workload', () => {
    const checked = checkTargets(analysis, {
      source: 'deploy/nginx',
      destination: 'nginx.secure-ns.svc.cluster.local',
      port: 80,
      namespace: 'namespace-a',
    });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.flows.map((f) => [f.from, f.to])).toEqual([
      ['namespace-a/nginx-7d4b9c-x2x', 'secure-ns/nginx-0'],
      ['namespace-a/nginx-7d4b9c-y3y', 'secure-ns/nginx-0'],
    ]);
    expect(checked.value.notes).toEqual([]);
  });
});

describe('checkTargets without a port', () => {
  const ask = (destination: string, protocol?: 'TCP' | 'UDP') =>
    checkTargets(analysis, {
      source: 'deploy/nginx',
      destination,
      namespace: 'namespace-a',
      ...(protocol ? { protocol } : {}),
    });

  it('takes the port of a Service that has one, as curl http://NAME.NAMESPACE.svc does', () => {
    for (const destination of ['nginx.secure-ns.svc', 'svc/nginx.secure-ns', '10.96.5.5']) {
      const checked = ask(destination);
      expect(checked.ok && checked.value.port).toBe(80);
      expect(checked.ok && checked.value.flows.map((f) => f.verdict?.port)).toEqual([8080, 8080]);
    }
  });

  it('asks for it when the destination is no Service, or a Service without a port of that protocol, after what names nothing', () => {
    expect(ask('namespace-b/web-0')).toEqual({
      ok: false,
      error: { kind: 'port-needed', destination: 'namespace-b/web-0', known: [] },
    });
    expect(ask('svc/ngnix.secure-ns')).toMatchObject({
      ok: false,
      error: { kind: 'no-such-service', suggestions: ['svc/nginx.secure-ns'] },
    });
    expect(ask('svc/nginx.secure-ns', 'UDP')).toMatchObject({
      ok: false,
      error: { kind: 'port-needed', known: [] },
    });
  });
});

describe('pod A/AAAA names', () => {
  it('reads the address as CoreDNS does: three dashes are IPv4 dots, else IPv6 colons', () => {
    const address = (text: string) => {
      const name = parseTargetName(text, 'default');
      return name?.form === 'pod-address' ? name.address : undefined;
    };
    expect(address('10-0-0-50.a.pod.cluster.local')).toBe('10.0.0.50');
    expect(address('10-0-0-50.a.pod')).toBe('10.0.0.50');
    expect(address('fd00--50.a.pod.cluster.local')).toBe('fd00::50');
    expect(address('2001-db8-0-0-0-0-0-1.a.pod')).toBe('2001:db8:0:0:0:0:0:1');
    // Not an address either way: no pod name, read as an ordinary host name.
    expect(address('10-0-0.a.pod.cluster.local')).toBeUndefined();
    expect(parseTargetName('web-1.a.pod.example.com', 'default')?.form).toBe('hostname');
  });
});
