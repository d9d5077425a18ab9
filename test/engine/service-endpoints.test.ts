import { describe, expect, it } from 'vitest';
import { endpointId } from '../../src/engine/compile/endpoint.js';
import {
  checkTargets,
  explainPod,
  resolvedId,
  resolveTarget,
  serviceBackendSet,
} from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

/** An EndpointSlice of a Service with one port and one endpoint per address, as slices have. */
function sliceYaml(id: string, service: string, addresses: string[], port: string): string {
  const [namespace, name] = id.split('/');
  return `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: {kubernetes.io/service-name: ${service}}
addressType: IPv4
endpoints: [${addresses.map((address) => `{addresses: [${address}]}`).join(', ')}]
ports: [${port}]
`;
}

const SERVICES = `
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
spec:
  clusterIP: 10.96.0.1
  ports: [{name: https, port: 443, targetPort: 6443}]
---
apiVersion: v1
kind: Service
metadata: {name: legacy-db, namespace: shop}
spec:
  clusterIP: 10.96.0.20
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: orphan, namespace: shop}
spec:
  clusterIP: 10.96.0.50
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: mismatch, namespace: shop}
spec:
  ports: [{name: db, port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  clusterIP: 10.96.0.10
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: outside, namespace: shop}
spec:
  type: ExternalName
  externalName: db.example.com
  selector: {app: api}
  ports: [{port: 80}]
`;

/** The client may send only to the API server's ClusterIP, as the issue's user wrote it. */
const CLIENT_EGRESS = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.96.0.1/32}}]
    ports: [{port: 443}]
  - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.96.0.0/30]}}]
    ports: [{port: 8080}]
`;

const analysis = analyseYaml(
  stream(
    namespaceYaml('default'),
    namespaceYaml('shop'),
    podYaml('shop/client', { labels: { app: 'client' }, ips: ['10.0.0.1'] }),
    podYaml('shop/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
  ),
  SERVICES,
  sliceYaml('default/kubernetes', 'kubernetes', ['172.18.0.2'], '{name: https, port: 6443}'),
  sliceYaml('shop/legacy-db-1', 'legacy-db', ['10.0.0.2', '192.0.2.10'], '{port: 5432}'),
  sliceYaml('shop/mismatch-1', 'mismatch', ['192.0.2.11'], '{name: other, port: 5432}'),
  CLIENT_EGRESS,
);

function resolve(text: string, port: number | string) {
  const resolved = resolveTarget(analysis, text, 'shop', port, undefined);
  return resolved.ok
    ? resolved.value.endpoints.map((e) => `${resolvedId(e)}:${e.port}/${e.protocol}`)
    : resolved.error;
}

describe('Services without a selector resolve through their EndpointSlices', () => {
  it('to the pod that has an address, else to the address itself, on the slice port', () => {
    expect(resolve('svc/legacy-db', 5432)).toEqual(['shop/api:5432/TCP', '192.0.2.10:5432/TCP']);
  });

  it('the kubernetes Service resolves to the API server endpoint on 6443', () => {
    expect(resolve('svc/kubernetes.default', 443)).toEqual(['172.18.0.2:6443/TCP']);
    expect(resolve('kubernetes.default.svc.cluster.local', 'https')).toEqual([
      '172.18.0.2:6443/TCP',
    ]);
  });

  it('a slice port is paired with the Service port by name: none matches, no endpoints', () => {
    expect(resolve('svc/mismatch', 5432)).toEqual({
      kind: 'service-has-no-endpoints',
      text: 'svc/mismatch',
      service: 'shop/mismatch',
      notReady: [],
    });
  });

  it('without slices the backends stay unknown', () => {
    expect(resolve('svc/orphan', 80)).toEqual({
      kind: 'service-without-selector',
      text: 'svc/orphan',
      service: 'shop/orphan',
    });
  });
});

describe('the backends of a whole Service, as the services list counts them', () => {
  const backends = (id: string) => {
    const service = analysis.services.get(id);
    if (!service) throw new Error(`no service ${id}`);
    const set = serviceBackendSet(analysis, service);
    if (set.kind === 'selected') return set.podIdxs.map((idx) => analysis.pods[idx]?.id);
    if (set.kind === 'endpoint-slices') return set.endpoints.map(endpointId);
    return set.kind;
  };

  it('a selector: the pods it matches', () => {
    expect(backends('shop/api')).toEqual(['shop/api']);
  });

  it('no selector: the endpoints of its slices that serve its ports, the pod among them', () => {
    expect(backends('shop/legacy-db')).toEqual(['shop/api', '192.0.2.10']);
    expect(backends('shop/mismatch')).toEqual([]);
  });

  it('no selector and no slices: unknown', () => {
    expect(backends('shop/orphan')).toBe('unknown');
  });

  it('an ExternalName Service: no pod, whatever its selector matches (as check resolves it)', () => {
    expect(backends('shop/outside')).toEqual([]);
  });
});

describe('a ClusterIP destination is answered for the backends', () => {
  const check = (destination: string, port: number) =>
    checkTargets(analysis, { source: 'shop/client', destination, port, namespace: 'shop' });

  it('10.96.0.1:443 is the API server on 6443, which the ClusterIP ipBlock does not admit', () => {
    const checked = check('10.96.0.1', 443);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.notes).toEqual([
      {
        kind: 'service-address',
        address: '10.96.0.1',
        service: 'default/kubernetes',
        port: 443,
        protocol: 'TCP',
        backendPorts: [6443],
      },
    ]);
    const [flow] = checked.value.flows;
    expect(checked.value.flows).toHaveLength(1);
    expect([flow?.from, flow?.to, flow?.verdict?.port, flow?.verdict?.allowed]).toEqual([
      'shop/client',
      '172.18.0.2',
      6443,
      false,
    ]);
  });

  it('a selected Service ClusterIP is answered for its pods on the targetPort, with the note', () => {
    const checked = check('10.96.0.10', 80);
    const notes = checked.ok ? checked.value.notes : [];
    expect(
      notes.map((n) => (n.kind === 'service-address' ? [n.service, n.backendPorts] : n.kind)),
    ).toEqual([['shop/api', [8080]]]);
  });

  it('no confident verdict when the backends are unknown', () => {
    expect(check('10.96.0.50', 80)).toEqual({
      ok: false,
      error: { kind: 'cluster-ip-backends-unknown', text: '10.96.0.50', service: 'shop/orphan' },
    });
  });

  it('a Service name (not its ClusterIP) has no note', () => {
    const checked = check('svc/legacy-db', 5432);
    expect(checked.ok && checked.value.notes).toEqual([]);
  });
});

describe('an ipBlock holding a ClusterIP that decides a verdict is a caveat of it', () => {
  const flows = (destination: string, port: number) => {
    const checked = checkTargets(analysis, {
      source: 'shop/client',
      destination,
      port,
      namespace: 'shop',
    });
    return checked.ok ? checked.value.flows : [];
  };
  const kubernetes = {
    service: 'default/kubernetes',
    clusterIPs: ['10.96.0.1'],
    backends: ['172.18.0.2'],
  };

  it('a rule naming the ClusterIP misses the backend it was meant for', () => {
    const [flow] = flows('10.96.0.1', 443);
    expect(flow?.verdict?.verdict).toBe('DENIED');
    expect(flow?.caveats).toEqual([
      {
        decided: 'denied',
        peer: {
          policy: { namespace: 'shop', name: 'client-egress' },
          direction: 'egress',
          ruleIndex: 0,
          peerIndex: 0,
        },
        cidr: '10.96.0.1/32',
        except: [],
        services: [kubernetes],
        backendsOutside: ['172.18.0.2'],
      },
    ]);
  });

  it('a rule that allows the flow names the Services whose ClusterIPs it holds', () => {
    const [flow] = flows('svc/api', 80);
    expect(flow?.verdict?.verdict).toBe('ALLOWED');
    expect(flow?.caveats?.map((c) => [c.decided, c.peer.ruleIndex, c.cidr])).toEqual([
      ['allowed', 1, '10.0.0.0/8'],
    ]);
    // 10.96.0.1 is excepted; the others' backends are inside but for the one outside address.
    expect(flow?.caveats?.[0]?.services.map((s) => s.service)).toEqual([
      'shop/legacy-db',
      'shop/orphan',
      'shop/api',
    ]);
    expect(flow?.caveats?.[0]?.backendsOutside).toEqual(['192.0.2.10']);
  });

  it('a denied flow to an address no Service sends to has no caveat', () => {
    const [flow] = flows('192.0.2.99', 443);
    expect(flow?.verdict?.verdict).toBe('DENIED');
    expect(flow).not.toHaveProperty('caveats');
  });

  it('explain marks the grants whose ipBlock holds ClusterIPs', () => {
    const client = analysis.podIndex.get('shop/client') ?? -1;
    const grants = explainPod(analysis, client).egress.grants;
    expect(grants.map((g) => g.services?.map((s) => s.service))).toEqual([
      ['default/kubernetes'],
      ['shop/legacy-db', 'shop/orphan', 'shop/api'],
    ]);
  });
});
