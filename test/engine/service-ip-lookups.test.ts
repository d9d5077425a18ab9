/**
 * The look-ups behind the audit's ipBlock findings about Services: a pod by address, the
 * Services by ClusterIP, each Service routed once. A cluster of many selector-less Services
 * whose ClusterIPs several ipBlocks hold took the audit minutes when each look-up read every pod.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ipBlockFindings, serviceIpBlockFindings } from '../../src/engine/audit/ip-blocks.js';
import { addressEndpoint } from '../../src/engine/compile/endpoint.js';
import { PodAddresses } from '../../src/engine/compile/pod-addresses.js';
import { type ServiceRoutingMemo, servicesInIpBlock } from '../../src/engine/compile/services.js';
import { compileIpBlock } from '../../src/engine/primitives/ip-block.js';
import { analyseYaml } from '../helpers/load.js';

function pod(name: string, ips: readonly string[], hostNetwork = false): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: ${name}}}
spec: {hostNetwork: ${hostNetwork}, containers: [{name: c, image: i}]}
status: {podIP: ${ips[0]}, podIPs: [${ips.map((ip) => `{ip: '${ip}'}`).join(', ')}]}
`;
}

/** A Service without a selector and its EndpointSlice listing `backends`. */
function externalService(name: string, clusterIP: string, backends: readonly string[]): string {
  return `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {clusterIP: '${clusterIP}', ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: shop, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [${backends.map((ip) => `{addresses: ['${ip}']}`).join(', ')}]
`;
}

/** An egress policy of one ipBlock per CIDR. */
function egressTo(name: string, cidrs: readonly string[]): string {
  return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [${cidrs.map((cidr) => `{ipBlock: {cidr: '${cidr}'}}`).join(', ')}]}]
`;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a pod by address', () => {
  it("is the first off the host network with it, each pod's addresses read once", () => {
    const read = vi.spyOn(PodAddresses.prototype, 'of');
    const others = Array.from({ length: 40 }, (_, i) => pod(`p${i}`, [`10.0.1.${i}`]));
    const analysis = analyseYaml(
      pod('node-agent', ['10.0.0.5'], true),
      pod('api', ['10.0.0.5']),
      pod('api-copy', ['10.0.0.5']),
      pod('dual', ['10.0.0.7', 'fd00::7']),
      ...others,
    );
    const nameOf = (ip: string) => {
      const endpoint = addressEndpoint(analysis, ip);
      return endpoint?.kind === 'pod' ? endpoint.pod.name : endpoint?.kind;
    };
    expect(nameOf('10.0.0.5')).toBe('api');
    expect(nameOf('fd00::7')).toBe('dual');
    expect(nameOf('10.0.0.7')).toBe('dual');
    expect(nameOf('10.0.0.9')).toBe('external');
    expect(nameOf('not-an-address')).toBeUndefined();
    for (let i = 0; i < 40; i++) expect(nameOf(`10.0.1.${i}`)).toBe(`p${i}`);
    // Each pod off the host network once; before, each look-up read the pods up to the one found.
    expect(read.mock.calls.length).toBe(analysis.pods.filter((p) => !p.hostNetwork).length);
  });
});

describe('the Services an ipBlock holds', () => {
  const analysis = analyseYaml(
    pod('api', ['10.0.0.5']),
    externalService('b-legacy', '10.96.0.20', ['10.0.0.5']),
    externalService('a-billing', '10.96.0.10', ['10.0.0.5', '192.0.2.1']),
    externalService('c-outside', '10.97.0.1', ['192.0.2.2']),
    `---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: shop}
spec: {clusterIP: None, selector: {app: api}, ports: [{port: 80}]}
`,
  );
  const named = (cidr: string, except: string[] = [], memo?: ServiceRoutingMemo) =>
    servicesInIpBlock(analysis, compileIpBlock({ cidr, except }), undefined, memo);

  it('are those with a ClusterIP inside it, outside its excepts, in input order, each routed once', () => {
    const memo: ServiceRoutingMemo = new Map();
    const services = (cidr: string, except: string[] = []) =>
      named(cidr, except, memo).map((s) => s.service);
    const wide = named('10.96.0.0/16', [], memo);
    expect(wide).toEqual([
      { service: 'shop/b-legacy', clusterIPs: ['10.96.0.20'], backends: ['10.0.0.5'] },
      {
        service: 'shop/a-billing',
        clusterIPs: ['10.96.0.10'],
        backends: ['10.0.0.5', '192.0.2.1'],
      },
    ]);
    expect(services('10.96.0.0/16', ['10.96.0.16/28'])).toEqual(['shop/a-billing']);
    expect(services('10.0.0.0/8')).toEqual(['shop/b-legacy', 'shop/a-billing', 'shop/c-outside']);
    const narrow = named('10.96.0.10/32', [], memo);
    expect(narrow.map((s) => s.service)).toEqual(['shop/a-billing']);
    // Blocks holding the same Service share its routing, found once.
    expect([...memo.keys()].map((service) => service.name)).toEqual([
      'b-legacy',
      'a-billing',
      'c-outside',
    ]);
    expect(narrow[0]?.backends).toBe(wide[1]?.backends);
  });
});

describe("the audit's ipBlock findings over many Services", () => {
  it("read each pod's addresses a few times, not once per Service backend and block", () => {
    const pods = Array.from({ length: 30 }, (_, i) => pod(`p${i}`, [`10.0.1.${i}`]));
    const services = Array.from({ length: 30 }, (_, i) =>
      externalService(`s${i}`, `10.96.0.${i + 1}`, [`10.0.1.${i}`]),
    );
    const analysis = analyseYaml(
      ...pods,
      ...services,
      egressTo('wide', ['10.96.0.0/16']),
      egressTo('wider', ['10.0.0.0/8']),
    );
    const read = vi.spyOn(PodAddresses.prototype, 'of');
    const findings = [...serviceIpBlockFindings(analysis), ...ipBlockFindings(analysis)];
    expect(findings.map((f) => f.code)).toEqual([
      'ip-block-contains-service-ip',
      'ip-block-contains-service-ip',
      'ip-block-contains-pods',
    ]);
    // A few reads per pod, for the indexes; not one per Service backend and block.
    expect(read.mock.calls.length).toBeLessThanOrEqual(3 * pods.length);
  });
});
