import { ClassRepresentatives, type ConnectivityMatrix, NO_PAIR } from '../src/engine/index.js';

/**
 * Counts the ordered pairs of distinct pods whose connection id passes `counts`, reading one
 * pair of pods per pair of a source class and a destination class (as `matrix -o json --group`
 * reads the matrix) instead of every pair of pods, then each of the matrix's exceptions.
 */
export function countPairsByClass(
  matrix: ConnectivityMatrix,
  counts: (connectionId: number) => boolean,
): number {
  const { classOf, exceptions } = matrix;
  const representatives = new ClassRepresentatives(matrix);
  const { sources, destinations } = representatives;
  /** Whether the pair standing for a pair of classes counts; undefined when there is none. */
  const classCounts = (pair: readonly [number, number] | undefined) =>
    pair && counts(matrix.connectionId(...pair));
  // Read from one array in the loop: each class's own list lies elsewhere in memory.
  const sourceSizes = Int32Array.from(sources, (members) => members.length);
  // How many pods of the destination class are in each source class: their pairs with
  // themselves are not pairs of distinct pods. Destination classes outside, as the matrix
  // keeps a destination class's cells together.
  const selves = new Int32Array(sources.length);
  const ids = new Int32Array(sources.length);
  let pairs = 0;
  destinations.forEach((members, dc) => {
    for (const position of members) {
      const sc = classOf.sources[position] as number;
      selves[sc] = (selves[sc] as number) + 1;
    }
    representatives.connectionIdsTo(dc, ids);
    for (let sc = 0; sc < sources.length; sc++) {
      const id = ids[sc] as number;
      if (id === NO_PAIR || !counts(id)) continue;
      pairs += (sourceSizes[sc] as number) * members.length - (selves[sc] as number);
    }
    for (const position of members) selves[classOf.sources[position] as number] = 0;
  });
  // An exception counts by its own answer, not its classes'.
  for (const [from, to] of exceptions?.pairs() ?? []) {
    const byClasses = classCounts(representatives.ofClassesOf(from, to));
    pairs += Number(counts(matrix.connectionId(from, to))) - Number(byClasses);
  }
  return pairs;
}
