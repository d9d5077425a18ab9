import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  compileCluster,
  PROTOCOLS,
  policyEffect,
  portSetAllows,
  validateNetworkPolicy,
  withPolicies,
} from '../../src/engine/index.js';
import {
  policyManifest,
  type ScaffoldRequest,
  scaffoldPolicy,
} from '../../src/engine/scaffold/scaffold.js';
import { loadDemo } from '../../src/io/load-input.js';
import { readNetworkPolicy } from '../../src/io/normalize/normalize-policy.js';
import { parsePolicyPort as readPolicyPort } from '../../src/syntax/port-syntax.js';
import { parseSelector as readSelector } from '../../src/syntax/selector-syntax.js';
import { throwing } from '../helpers/parsed.js';

const parseSelector = throwing(readSelector);
const parsePolicyPort = throwing(readPolicyPort);

const app = parseSelector('app=api');
const REQUESTS: ScaffoldRequest[] = [
  { kind: 'default-deny', namespace: 'shop', direction: 'ingress' },
  { kind: 'default-deny', namespace: 'shop', direction: 'egress' },
  { kind: 'default-deny', namespace: 'shop', direction: 'both' },
  { kind: 'allow-dns', namespace: 'shop' },
  { kind: 'allow-same-namespace', namespace: 'shop' },
  {
    kind: 'allow',
    namespace: 'shop',
    direction: 'ingress',
    pods: app,
    peers: [
      { pods: parseSelector('app=web') },
      { namespaces: parseSelector('team=a'), pods: parseSelector('role in (client,admin)') },
    ],
    ports: [
      parsePolicyPort('8080/TCP'),
      parsePolicyPort('http'),
      parsePolicyPort('9000-9100/UDP'),
      parsePolicyPort('SCTP'),
    ],
  },
  {
    kind: 'allow',
    namespace: 'shop',
    direction: 'egress',
    pods: app,
    peers: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }],
    ports: [parsePolicyPort('443')],
  },
  {
    kind: 'allow-from-namespace',
    purpose: 'monitoring',
    namespace: 'shop',
    pods: app,
    from: parseSelector('kubernetes.io/metadata.name=monitoring'),
    fromPods: parseSelector('app=prometheus'),
    ports: [parsePolicyPort('metrics')],
  },
];

describe('scaffold templates', () => {
  it.each(REQUESTS.map((r) => [scaffoldPolicy(r).name, r] as const))(
    '%s is valid and its manifest reads back the same',
    (_, request) => {
      const policy = scaffoldPolicy(request);
      expect(validateNetworkPolicy(policy)).toEqual([]);
      const manifest = policyManifest(policy);
      const read = readNetworkPolicy(manifest, policy.name, policy.namespace);
      expect(read.errors).toEqual([]);
      expect(read.policy).toEqual(policy);
    },
  );

  it('names default-denies by direction and allows by the selected pods', () => {
    expect(REQUESTS.slice(0, 3).map((r) => scaffoldPolicy(r).name)).toEqual([
      'default-deny-ingress',
      'default-deny-egress',
      'default-deny-all',
    ]);
    expect(scaffoldPolicy(REQUESTS[5] as ScaffoldRequest).name).toMatch(/^allow-api-ingress-from-/);
  });

  it('names an allow by what it does: its pods, direction, peers and ports', () => {
    const everyPod = parseSelector('');
    const allow = (more: Partial<Extract<ScaffoldRequest, { kind: 'allow' }>>) =>
      scaffoldPolicy({
        kind: 'allow',
        namespace: 'shop',
        direction: 'egress',
        pods: everyPod,
        peers: [],
        ports: [],
        ...more,
      }).name;
    const sameNamespace = parseSelector('kubernetes.io/metadata.name=shop');
    expect(allow({ peers: [{ namespaces: sameNamespace }] })).toBe(
      'allow-egress-to-same-namespace',
    );
    expect(allow({ peers: [{ pods: everyPod }] })).toBe('allow-egress-to-same-namespace');
    expect(
      allow({
        pods: parseSelector('app=web'),
        peers: [{ pods: parseSelector('app=api') }],
        ports: [parsePolicyPort('8080')],
      }),
    ).toBe('allow-web-egress-to-api-8080');
    expect(
      allow({
        peers: [{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }],
        ports: [parsePolicyPort('443')],
      }),
    ).toBe('allow-egress-to-10.0.0.0-8-443');
    expect(
      allow({
        direction: 'ingress',
        peers: [{ namespaces: parseSelector('kubernetes.io/metadata.name=monitoring') }],
      }),
    ).toBe('allow-ingress-from-monitoring');
    expect(allow({})).toBe('allow-all-egress');
  });

  it('lets the DNS template reach kube-dns pods in kube-system on UDP and TCP 53 only', () => {
    const dns = scaffoldPolicy({ kind: 'allow-dns', namespace: 'shop' });
    expect(dns.egress[0]?.ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    expect(dns.egress[0]?.peers[0]).toEqual({
      namespaceSelector: {
        matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
        matchExpressions: [],
      },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [] },
    });
  });
});

describe('the preview of a policy', () => {
  it('announces exactly the flows that change, as the engine then evaluates them', () => {
    const { cluster } = loadDemo();
    const added = [
      scaffoldPolicy({ kind: 'default-deny', namespace: 'legacy', direction: 'egress' }),
    ];
    const effect = policyEffect(cluster, added);
    const before = compileCluster(cluster);
    const after = compileCluster(withPolicies(cluster, added));
    const closed = new Map(effect.closed.map((f) => [`${f.from}->${f.to}`, f]));
    expect(effect.opened).toEqual([]);
    expect(effect.dnsBlocked.map((loss) => loss.protocol)).toEqual(['UDP']);
    expect(effect.dnsBlocked.flatMap((loss) => loss.pods).sort()).toEqual(
      before.pods
        .filter((p) => p.namespace === 'legacy')
        .map((p) => p.id)
        .sort(),
    );
    // Every pair, probed on the ports the demo uses: a verdict changes exactly where announced.
    // Like the effect, a flow counts as open unless surely DENIED (an UNKNOWN one may be open).
    const probes = [53, 80, 443, 5432, 8080, 8443, 9090].flatMap((port) =>
      PROTOCOLS.map((protocol) => ({ port, protocol })),
    );
    before.pods.forEach((from, i) => {
      before.pods.forEach((to, j) => {
        for (const { port, protocol } of probes) {
          const was =
            evaluateFlow(before, podEndpoint(before, i), podEndpoint(before, j), protocol, port)
              .verdict !== 'DENIED';
          const is =
            evaluateFlow(after, podEndpoint(after, i), podEndpoint(after, j), protocol, port)
              .verdict !== 'DENIED';
          const announced = closed.get(`${from.id}->${to.id}`);
          if (was !== is) {
            expect(announced, `${from.id}->${to.id} ${protocol}/${port}`).toBeDefined();
            expect(
              portSetAllows(announced?.before ?? { TCP: [], UDP: [], SCTP: [] }, protocol, port),
            ).toBe(true);
            expect(
              portSetAllows(announced?.after ?? { TCP: [], UDP: [], SCTP: [] }, protocol, port),
            ).toBe(false);
          }
        }
      });
    });
    expect(effect.closed.length).toBeGreaterThan(0);
  });
});
