import { describe, expect, it } from 'vitest';
import { countPairsByClass } from '../../bench/class-pairs.js';
import { CLUSTER_SIZES, generateCluster } from '../../bench/synthetic-cluster.js';
import { PortSetTable } from '../../src/engine/evaluate/port-set-table.js';
import {
  type Cluster,
  type ConnectivityMatrix,
  compileCluster,
  computeMatrix,
  portSetAllows,
} from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';

/** Counts the ordered pairs of distinct pods whose connection id passes `counts`, one by one. */
function countEveryPair(matrix: ConnectivityMatrix, counts: (id: number) => boolean): number {
  let pairs = 0;
  const n = matrix.podIdxs.length;
  for (let from = 0; from < n; from++) {
    for (let to = 0; to < n; to++)
      if (from !== to && counts(matrix.connectionId(from, to))) pairs++;
  }
  return pairs;
}

const smallCluster = (): Cluster =>
  normalizeObjects(
    generateCluster(CLUSTER_SIZES.small).map((object, i) => ({
      object,
      location: { file: 'small', item: i + 1 },
    })),
  ).cluster;

describe('countPairsByClass (the bench reads the matrix by classes)', () => {
  it('counts what reading every pair counts, on the bench cluster, the demo and part of it', () => {
    let exceptions = 0;
    for (const cluster of [smallCluster(), loadDemo().cluster]) {
      const analysis = compileCluster(cluster);
      const some = analysis.pods.map((_, idx) => idx).filter((idx) => idx % 3 !== 1);
      for (const matrix of [computeMatrix(analysis), computeMatrix(analysis, some.reverse())]) {
        const predicates = [
          (id: number) => id !== PortSetTable.EMPTY,
          (id: number) => portSetAllows(matrix.portSet(id), 'TCP', 8080),
        ];
        for (const counts of predicates) {
          const expected = countEveryPair(matrix, counts);
          expect(expected).toBeGreaterThan(0);
          expect(countPairsByClass(matrix, counts)).toBe(expected);
        }
        exceptions += [...(matrix.exceptions?.pairs() ?? [])].length;
      }
    }
    // The bench cluster's hostNetwork DaemonSet pods make node-local pairs, counted apart.
    expect(exceptions).toBeGreaterThan(0);
  });
});
