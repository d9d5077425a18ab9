import { describe, expect, it } from 'vitest';
import { compileCluster } from '../../src/engine/compile/compile.js';
import { computeMatrix } from '../../src/engine/evaluate/matrix.js';
import type { Cluster, NetworkPolicy } from '../../src/engine/model/types.js';
import { portSetAllows, portSetKey, unionPortSets } from '../../src/engine/primitives/port-set.js';
import { policyEffect, withPolicies } from '../../src/engine/scaffold/effect.js';
import { scaffoldPolicy } from '../../src/engine/scaffold/scaffold.js';
import { isClusterDnsPod } from '../../src/engine/scaffold/scaffold-fix.js';
import { loadDemo } from '../../src/io/load-input.js';

/** The effect computed the slow, obvious way: two full matrices, every pair compared. */
function referenceEffect(cluster: Cluster, added: readonly NetworkPolicy[]) {
  const before = computeMatrix(compileCluster(cluster));
  const after = computeMatrix(compileCluster(withPolicies(cluster, added)));
  const pods = cluster.pods;
  const opened: string[] = [];
  const closed: string[] = [];
  const dnsBlocked: string[] = [];
  pods.forEach((from, i) => {
    let resolvedBefore = false;
    let resolvedAfter = false;
    pods.forEach((to, j) => {
      const a = before.connections(i, j);
      const b = after.connections(i, j);
      if (isClusterDnsPod(to)) {
        resolvedBefore ||= portSetAllows(a, 'UDP', 53);
        resolvedAfter ||= portSetAllows(b, 'UDP', 53);
      }
      const union = portSetKey(unionPortSets([a, b]));
      if (union !== portSetKey(a)) opened.push(`${from.id}->${to.id}`);
      if (union !== portSetKey(b)) closed.push(`${from.id}->${to.id}`);
    });
    if (resolvedBefore && !resolvedAfter) dnsBlocked.push(from.id);
  });
  return { opened, closed, dnsBlocked };
}

const demo = loadDemo().cluster;
const existing = (name: string) => demo.policies.find((p) => `${p.namespace}/${p.name}` === name);

const CHANGES: [string, NetworkPolicy[]][] = [
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
    expect([...effect.dnsBlocked].sort()).toEqual([...reference.dnsBlocked].sort());
    expect(effect.opened.length + effect.closed.length + effect.dnsBlocked.length).toBeGreaterThan(
      0,
    );
  });
});
