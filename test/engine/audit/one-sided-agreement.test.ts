/**
 * The one-sided-allow finding, which compares pods by class, against every pair of pods judged
 * one by one with allowedConnections, on random clusters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCluster } from '../../../src/engine/index.js';
import { clusterArb } from '../../helpers/cluster-arbitrary.js';
import { params } from '../../helpers/engine-probes.js';
import { oneSidedByPairs, oneSidedKeys } from '../../helpers/one-sided-pairs.js';
import { tieredClusterArb } from '../../helpers/tier-arbitrary.js';

describe('one-sided allows agree with every pair judged alone', () => {
  it('on random clusters', () => {
    fc.assert(
      fc.property(clusterArb({ minPolicies: 1, maxPolicies: 6 }), (cluster) => {
        const analysis = compileCluster(cluster);
        expect(oneSidedKeys(analysis)).toEqual(oneSidedByPairs(analysis));
      }),
      params,
    );
  });

  it('on random clusters whose Calico, Cilium or cluster policies tell alike pods apart', () => {
    fc.assert(
      fc.property(tieredClusterArb(), (cluster) => {
        const analysis = compileCluster(cluster);
        expect(oneSidedKeys(analysis)).toEqual(oneSidedByPairs(analysis));
      }),
      params,
    );
  });
});
