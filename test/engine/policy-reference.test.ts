import { describe, expect, it } from 'vitest';
import { findReferencedPolicy, parsePolicyReference } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, policyYaml, stream } from '../helpers/scenario.js';

describe('parsePolicyReference', () => {
  it('reads a NetworkPolicy in the namespace given, before the kind, or after a dot', () => {
    expect(parsePolicyReference('netpol/web', 'app')).toEqual({
      kind: 'network-policy',
      namespace: 'app',
      name: 'web',
    });
    expect(parsePolicyReference('shop/networkpolicies/web', 'app')).toEqual({
      kind: 'network-policy',
      namespace: 'shop',
      name: 'web',
    });
    expect(parsePolicyReference('netpol/web.shop', 'app')).toEqual({
      kind: 'network-policy',
      namespace: 'app',
      name: 'web.shop',
      dotted: { namespace: 'shop', name: 'web' },
    });
  });

  it('reads cluster policies by their short name, and flags a namespace given to one', () => {
    expect(parsePolicyReference('ClusterNetworkPolicy/guard', 'app')).toEqual({
      kind: 'cluster-policy',
      name: 'cnp/guard',
    });
    expect(parsePolicyReference('app/banp/default', 'app')).toEqual({
      kind: 'namespaced-cluster-policy',
      namespace: 'app',
      name: 'banp/default',
    });
  });

  it('leaves pods, workloads and malformed references to the target parser', () => {
    for (const text of ['web', 'app/web', 'deploy/web', 'app/deploy/web', 'netpol/', 'a/b/c/d']) {
      expect(parsePolicyReference(text, 'app')).toBeUndefined();
    }
  });
});

describe('findReferencedPolicy', () => {
  const cluster = analyseYaml(
    stream(
      namespaceYaml('app'),
      namespaceYaml('shop'),
      policyYaml('app/v1.2', 'podSelector: {}'),
      policyYaml('shop/web', 'podSelector: {}'),
    ),
  ).cluster;
  const find = (text: string) => {
    const reference = parsePolicyReference(text, 'app');
    if (reference?.kind !== 'network-policy') throw new Error(`${text} names no NetworkPolicy`);
    const found = findReferencedPolicy(cluster, reference);
    return found.ok ? `${found.policy.namespace}/${found.policy.name}` : found.missing;
  };

  it('prefers a whole name with dots, then NAME.NAMESPACE', () => {
    expect(find('netpol/v1.2')).toBe('app/v1.2');
    expect(find('netpol/web.shop')).toBe('shop/web');
  });

  it('reports the dotted reading missing when its namespace exists, else the whole name', () => {
    expect(find('netpol/wb.shop')).toEqual({ namespace: 'shop', name: 'wb', suggestions: ['web'] });
    expect(find('netpol/v1.3')).toMatchObject({ namespace: 'app', name: 'v1.3' });
  });
});
