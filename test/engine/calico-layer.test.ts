/**
 * The Calico layer's choices that the conformance cases do not show one by one: when Calico's
 * policies take part at all, and which policies a staged preview puts in force.
 */
import { describe, expect, it } from 'vitest';
import { calicoLayerMode, policiesInForce } from '../../src/engine/compile/compile-calico.js';
import type { CalicoPolicy } from '../../src/engine/index.js';

const policy = (overrides: Partial<CalicoPolicy>): CalicoPolicy => ({
  kind: 'NetworkPolicy',
  apiVersion: 'projectcalico.org/v3',
  namespace: 'shop',
  name: 'p',
  tier: 'default',
  selector: { kind: 'all' } as CalicoPolicy['selector'],
  types: ['Ingress'],
  ingress: [],
  egress: [],
  staged: false,
  outOfScope: [],
  ...overrides,
});

describe('calicoLayerMode', () => {
  const some = [policy({})];
  it.each([
    [[], 'calico', false, 'absent'],
    [some, 'calico', true, 'enforced'],
    [some, 'cilium', false, 'ignored'],
    [some, 'other', false, 'ignored'],
    [some, undefined, false, 'assumed'],
    [some, undefined, true, 'undecided'],
  ] as const)('%j on %s (Cilium policies too: %s) is %s', (policies, plugin, cilium, mode) => {
    expect(calicoLayerMode({ calicoPolicies: policies }, plugin, cilium)).toBe(mode);
  });
});

describe('policiesInForce', () => {
  const enforced = policy({ name: 'web' });
  const stagedSet = policy({ kind: 'StagedNetworkPolicy', name: 'lock', staged: true });
  const stagedDelete = policy({
    kind: 'StagedNetworkPolicy',
    name: 'web',
    staged: true,
    stagedAction: 'Delete',
  });
  const all = [enforced, stagedSet, stagedDelete];

  it('leaves staged policies out unless previewed', () => {
    expect(policiesInForce(all, []).map((p) => p.name)).toEqual(['web']);
  });

  it('puts a previewed staged Set policy in force', () => {
    const inForce = policiesInForce(all, ['stagednetworkpolicy/shop/lock']);
    expect(inForce.map((p) => [p.name, p.staged])).toEqual([
      ['web', false],
      ['lock', false],
    ]);
  });

  it('takes the enforced policy of the same name out for a previewed staged Delete', () => {
    expect(policiesInForce(all, ['stagednetworkpolicy/shop/web'])).toEqual([]);
  });
});
