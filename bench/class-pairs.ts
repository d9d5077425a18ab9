import type { ConnectivityMatrix } from '../src/engine/index.js';

/** Each class's size and first two positions (-1 where it has fewer), from each position's class. */
function classMembers(classOf: Int32Array, count: number) {
  const size = new Int32Array(count);
  const first = new Int32Array(count).fill(-1);
  const second = new Int32Array(count).fill(-1);
  classOf.forEach((cls, position) => {
    if (first[cls] === -1) first[cls] = position;
    else if (second[cls] === -1) second[cls] = position;
    size[cls] = (size[cls] as number) + 1;
  });
  return { size, first, second };
}

/**
 * Counts the ordered pairs of distinct pods whose connection id passes `counts`, reading one
 * pair of pods per pair of a source class and a destination class (as `matrix -o json --group`
 * reads the matrix) instead of every pair of pods: their answers are the same by definition.
 */
export function countPairsByClass(
  matrix: ConnectivityMatrix,
  counts: (connectionId: number) => boolean,
): number {
  const { sources, destinations } = matrix.classOf;
  const source = classMembers(sources, matrix.classCounts.sources);
  const destination = classMembers(destinations, matrix.classCounts.destinations);
  const membersOfDestination: number[][] = Array.from(destination.size, () => []);
  destinations.forEach((dc, position) => {
    membersOfDestination[dc]?.push(position);
  });
  // How many pods of the destination class are in each source class: their pairs with
  // themselves are not pairs of distinct pods. Destination classes outside, as the matrix
  // keeps a destination class's cells together.
  const selves = new Int32Array(matrix.classCounts.sources);
  let pairs = 0;
  membersOfDestination.forEach((members, dc) => {
    for (const position of members) {
      const sc = sources[position] as number;
      selves[sc] = (selves[sc] as number) + 1;
    }
    for (let sc = 0; sc < selves.length; sc++) {
      let from = source.first[sc] as number;
      let to = destination.first[dc] as number;
      if (from === to) {
        // Another pod of either class; none when both classes are this one pod.
        if ((destination.second[dc] as number) >= 0) to = destination.second[dc] as number;
        else if ((source.second[sc] as number) >= 0) from = source.second[sc] as number;
        else continue;
      }
      if (!counts(matrix.connectionId(from, to))) continue;
      pairs +=
        (source.size[sc] as number) * (destination.size[dc] as number) - (selves[sc] as number);
    }
    for (const position of members) selves[sources[position] as number] = 0;
  });
  return pairs;
}
