import { describe, expect, it } from 'vitest';
import type { Cluster, IpBlock, NetworkPolicy, ScaffoldedPolicy } from '../../src/engine/index.js';
import {
  EMPTY_PORT_SET,
  policyEffect,
  scaffoldClusterPolicy,
  scaffoldPolicy,
} from '../../src/engine/index.js';
import { FULL_PORT_SET, portSetOf } from '../../src/engine/primitives/port-set.js';
import type { FlowChange } from '../../src/engine/scaffold/effect.js';
import { loadDemo } from '../../src/io/load-input.js';
import { effectLines } from '../../src/render/effect.js';
import { clusterOfYaml, fixture } from '../helpers/load.js';
import { dnsLosses, matrixEffect } from '../helpers/matrix-effect.js';

/** The effect computed the slow, obvious way: two full matrices, every pair compared. */
function referenceEffect(cluster: Cluster, added: readonly ScaffoldedPolicy[]) {
  const { opened, closed, dnsBlocked } = matrixEffect(cluster, added);
  const pairs = (changes: readonly FlowChange[]) => changes.map((f) => `${f.from}->${f.to}`);
  return { opened: pairs(opened), closed: pairs(closed), dnsBlocked };
}

const demo = loadDemo().cluster;
const existing = (name: string) => demo.policies.find((p) => `${p.namespace}/${p.name}` === name);

const CHANGES: [string, ScaffoldedPolicy[]][] = [
  [
    'a default-deny of legacy',
    [scaffoldPolicy({ kind: 'default-deny', namespace: 'legacy', direction: 'both' })],
  ],
  [
    'allow-dns alone, which isolates egress',
    [scaffoldPolicy({ kind: 'allow-dns', namespace: 'legacy' })],
  ],
  [
    'ingress isolation of the DNS pods, which blocks DNS for everyone',
    [scaffoldPolicy({ kind: 'default-deny', namespace: 'kube-system', direction: 'ingress' })],
  ],
  [
    'allow same namespace in staging',
    [scaffoldPolicy({ kind: 'allow-same-namespace', namespace: 'staging' })],
  ],
  [
    'a Baseline default-deny of legacy that keeps DNS',
    [
      scaffoldClusterPolicy({
        kind: 'baseline-deny',
        namespace: 'legacy',
        direction: 'egress',
        allowDns: true,
      }),
    ],
  ],
  [
    'an Admin deny of staging both ways, over its NetworkPolicies',
    [scaffoldClusterPolicy({ kind: 'admin-deny', namespace: 'staging', direction: 'both' })],
  ],
  [
    'an Admin deny of kube-system ingress, which blocks DNS for everyone',
    [
      scaffoldClusterPolicy({
        kind: 'admin-deny',
        namespace: 'kube-system',
        direction: 'ingress',
        priority: 5,
      }),
    ],
  ],
  [
    'replacing a policy by name with one that allows less',
    [{ ...(existing('production/allow-dns-egress') as NetworkPolicy), egress: [] }],
  ],
];

describe('policyEffect', () => {
  it.each(CHANGES)('announces exactly the flows two full matrices tell apart: %s', (_, added) => {
    const effect = policyEffect(demo, added);
    const reference = referenceEffect(demo, added);
    expect(effect.opened.map((f) => `${f.from}->${f.to}`)).toEqual(reference.opened);
    expect(effect.closed.map((f) => `${f.from}->${f.to}`)).toEqual(reference.closed);
    expect(dnsLosses(effect).sort()).toEqual([...reference.dnsBlocked].sort());
    expect(effect.opened.length + effect.closed.length + effect.dnsBlocked.length).toBeGreaterThan(
      0,
    );
  });

  it('changes nothing with a Baseline default-deny where NetworkPolicies isolate every pod', () => {
    const added = [
      scaffoldClusterPolicy({ kind: 'baseline-deny', namespace: 'production', direction: 'both' }),
    ];
    expect(referenceEffect(demo, added)).toEqual({ opened: [], closed: [], dnsBlocked: [] });
    expect(policyEffect(demo, added)).toMatchObject({ opened: [], closed: [], dnsBlocked: [] });
  });
});

describe('the policies a change writes over', () => {
  it('names the existing policy of the same namespace and name, and says so first', () => {
    const added = [{ ...(existing('production/allow-dns-egress') as NetworkPolicy), egress: [] }];
    const effect = policyEffect(demo, added);
    expect(effect.replaced).toEqual(['production/allow-dns-egress']);
    expect(effectLines(effect, { clusterPolicy: false, allowDnsFlag: false })[0]).toBe(
      'replaces production/allow-dns-egress, which has the same name: applying it writes over that policy (the flows below count that)',
    );
  });

  it('names a cluster policy by its kind, and nothing when no name is taken', () => {
    const admin = scaffoldClusterPolicy({
      kind: 'admin-deny',
      namespace: 'staging',
      direction: 'both',
    });
    const twice = policyEffect(
      { ...demo, clusterPolicies: [...(demo.clusterPolicies ?? []), admin] },
      [admin],
    );
    expect(twice.replaced).toEqual([`cnp/${admin.name}`]);
    const fresh = scaffoldPolicy({ kind: 'allow-same-namespace', namespace: 'legacy' });
    expect(policyEffect(demo, [fresh]).replaced).toBeUndefined();
    // Another namespace's policy of that name is not written over.
    expect(policyEffect(demo, [{ ...fresh, name: 'default-deny-all' }]).replaced).toBeUndefined();
  });
});

describe('the effect on flows with addresses outside the pods', () => {
  it('counts egress to an address block the policy names, for each pod it opens', () => {
    const [pod] = demo.pods.filter((p) => p.namespace === 'production');
    const allow = scaffoldPolicy({
      kind: 'allow',
      namespace: 'production',
      direction: 'egress',
      pods: { matchLabels: { ...pod?.labels }, matchExpressions: [] },
      peers: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/25'] } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    });
    const effect = policyEffect(demo, [allow]);
    const external = effect.opened.filter((f) => f.to === '203.0.113.0/24');
    expect(external.map((f) => f.from)).toContain(pod?.id);
    expect(external.every((f) => f.after.TCP.some(([lo, hi]) => lo <= 443 && 443 <= hi))).toBe(
      true,
    );
  });

  it('counts nothing for a block its excepts take out entirely', () => {
    const allow = scaffoldPolicy({
      kind: 'allow',
      namespace: 'production',
      direction: 'egress',
      pods: { matchLabels: {}, matchExpressions: [] },
      peers: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/24'] } }],
      ports: [],
    });
    expect(policyEffect(demo, [allow]).opened.filter((f) => f.to.includes('/'))).toEqual([]);
  });
});

describe('the effect on dual-stack pods, each address family apart', () => {
  // shop/db admits 10.1.0.0/16 only: shop/web reaches it over IPv4, not over IPv6.
  const dualStack = clusterOfYaml(fixture('manifests/dual-stack/cluster.yaml'));
  const policy = (name: string) => dualStack.policies.find((p) => p.name === name) as NetworkPolicy;
  /** The policy with its one ingress rule admitting these address blocks. */
  const withBlocks = (name: string, blocks: readonly IpBlock[]): NetworkPolicy => {
    const base = policy(name);
    const [rule] = base.ingress;
    const peers = blocks.map((ipBlock) => ({ ipBlock }));
    return { ...base, ingress: [{ ...(rule as (typeof base.ingress)[number]), peers }] };
  };
  const ipv4Pods = { cidr: '10.1.0.0/16', except: ['10.1.0.40/32'] };
  const ipv6Pods = { cidr: 'fd00:1::/64', except: [] };
  const elsewhere = { cidr: '192.168.0.0/16', except: [] };
  const denyEgress = scaffoldPolicy({
    kind: 'default-deny',
    namespace: 'shop',
    direction: 'egress',
  });
  const FAMILY_CHANGES: [string, ScaffoldedPolicy[]][] = [
    ['a default-deny closing what IPv4 alone allowed', [denyEgress]],
    ['a block opening IPv6 to db', [withBlocks('db-in', [ipv4Pods, ipv6Pods])]],
    ['a block closing IPv4 to cache', [withBlocks('cache-in', [ipv6Pods])]],
    ['db admitting no pod address, which only IPv4 reached', [withBlocks('db-in', [elsewhere])]],
  ];
  /** The flows between pods (the reference knows no address blocks). */
  const podIds = new Set(dualStack.pods.map((pod) => pod.id));
  const betweenPods = (flows: readonly FlowChange[]) =>
    flows.filter((f) => podIds.has(f.from) && podIds.has(f.to)).map((f) => `${f.from}->${f.to}`);

  it.each(FAMILY_CHANGES)('announces what two full matrices tell apart: %s', (_, added) => {
    const effect = policyEffect(dualStack, added);
    const reference = referenceEffect(dualStack, added);
    expect(betweenPods(effect.opened)).toEqual(reference.opened);
    expect(betweenPods(effect.closed)).toEqual(reference.closed);
    expect(effect.opened.length + effect.closed.length).toBeGreaterThan(0);
  });

  it('closes a flow IPv4 alone allowed, with each family before and after', () => {
    const webToDb = policyEffect(dualStack, [denyEgress]).closed.find(
      (f) => f.from === 'shop/web' && f.to === 'shop/db',
    );
    // What both families allow was nothing already: only IPv4 loses TCP 5432.
    expect(webToDb?.before).toEqual(EMPTY_PORT_SET);
    expect(webToDb?.after).toEqual(EMPTY_PORT_SET);
    expect(webToDb?.families).toEqual({
      IPv4: { before: portSetOf('TCP', 5432, 5432), after: EMPTY_PORT_SET },
      IPv6: { before: EMPTY_PORT_SET, after: EMPTY_PORT_SET },
    });
  });

  it("marks a dual-stack pod's flows with an address block with the block's family", () => {
    const toBlock = scaffoldPolicy({
      kind: 'allow',
      namespace: 'shop',
      direction: 'egress',
      pods: { matchLabels: { app: 'web' }, matchExpressions: [] },
      peers: [{ ipBlock: { cidr: '203.0.113.0/24', except: [] } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    });
    const effect = policyEffect(dualStack, [toBlock]);
    const webToBlock = effect.closed.find(
      (f) => f.from === 'shop/web' && f.to === '203.0.113.0/24',
    );
    expect(webToBlock?.families).toEqual({
      IPv4: { before: FULL_PORT_SET, after: portSetOf('TCP', 443, 443) },
      IPv6: { before: EMPTY_PORT_SET, after: EMPTY_PORT_SET },
    });
    expect(effectLines(effect, { clusterPolicy: false, allowDnsFlag: false })).toContain(
      '  shop/web -> 203.0.113.0/24: all ports (IPv4 only) => TCP 443 (IPv4 only)',
    );
  });

  it('opens a flow an added IPv6 block allows, and nothing over IPv4 that was open', () => {
    const effect = policyEffect(dualStack, [withBlocks('db-in', [ipv4Pods, ipv6Pods])]);
    expect(effect.closed).toEqual([]);
    const webToDb = effect.opened.find((f) => f.from === 'shop/web' && f.to === 'shop/db');
    expect(webToDb?.after).toEqual(portSetOf('TCP', 5432, 5432));
    expect(webToDb?.families?.IPv6).toEqual({
      before: EMPTY_PORT_SET,
      after: portSetOf('TCP', 5432, 5432),
    });
  });
});
