import { describe, expect, it } from 'vitest';
import type { Cluster, NetworkPolicy, ScaffoldedPolicy } from '../../src/engine/index.js';
import { policyEffect, scaffoldClusterPolicy, scaffoldPolicy } from '../../src/engine/index.js';
import type { FlowChange } from '../../src/engine/scaffold/effect.js';
import { loadDemo } from '../../src/io/load-input.js';
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
