import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/engine/index.js';
import {
  completenessBadges,
  completenessData,
  completenessLines,
} from '../../src/render/completeness.js';

const EMPTY: Cluster = { namespaces: [], pods: [], services: [], policies: [] };

const policies = (count: number): Cluster['unmodelledPolicies'] =>
  Array.from({ length: count }, (_, i) => ({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    namespace: 'web',
    name: `p${i + 1}`,
  }));

describe('completeness text', () => {
  it('says nothing for a complete input', () => {
    expect(completenessLines(EMPTY)).toEqual([]);
    expect(completenessBadges(EMPTY)).toEqual([]);
  });

  it('names at most ten policies, then how many more', () => {
    const lines = completenessLines({ ...EMPTY, unmodelledPolicies: policies(12) });
    expect(lines.slice(-2)).toEqual([
      '  CiliumNetworkPolicy web/p10 (cilium.io/v2)',
      '  and 2 more',
    ]);
    expect(lines.filter((line) => line.startsWith('  CiliumNetworkPolicy'))).toHaveLength(10);
  });

  it('names an unread list without a namespace as unread everywhere', () => {
    const lines = completenessLines({
      ...EMPTY,
      unread: [
        {
          resource: 'pods',
          reason: '403 Forbidden',
          canI: 'kubectl auth can-i list pods --all-namespaces',
        },
      ],
    });
    expect(lines).toEqual([
      '',
      'partial: these lists could not be read, and what they hold is not in this answer:',
      '  pods (403 Forbidden); check: kubectl auth can-i list pods --all-namespaces',
    ]);
  });

  it('badges one policy in the singular', () => {
    expect(completenessBadges({ ...EMPTY, unmodelledPolicies: policies(1) })).toEqual([
      '1 unmodelled policy',
    ]);
  });
});

describe('an unread staged policy list', () => {
  const staged: Cluster = {
    ...EMPTY,
    unread: [
      {
        resource: 'stagednetworkpolicies.projectcalico.org',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list stagednetworkpolicies.projectcalico.org --all-namespaces',
      },
    ],
  };

  it('is still named, and said to leave only the staged previews incomplete', () => {
    expect(completenessLines(staged)).toEqual([
      '',
      'partial: these lists could not be read, and what they hold is not in this answer:',
      '  stagednetworkpolicies.projectcalico.org (403 Forbidden); check: kubectl auth can-i list stagednetworkpolicies.projectcalico.org --all-namespaces',
      'staged policies are never enforced, so an unread staged list leaves the verdicts as they are; the staged previews are incomplete',
    ]);
    expect(completenessData(staged)).toMatchObject({
      partial: true,
      stagedPreviewsIncomplete: true,
    });
  });

  it('is not claimed for other unread lists', () => {
    const pods: Cluster = {
      ...EMPTY,
      unread: [{ resource: 'pods', reason: '403 Forbidden', canI: 'kubectl auth can-i list pods' }],
    };
    expect(completenessData(pods).stagedPreviewsIncomplete).toBeUndefined();
    expect(completenessLines(pods).join('\n')).not.toContain('staged previews');
  });
});
