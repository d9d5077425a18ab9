import { type ConnectivityMatrix, membersOf } from './matrix.js';

/**
 * The pairs of pods standing for the pairs of a matrix's classes: a pair of a source class and
 * a destination class answers as any of its pairs but a pod with itself and the matrix's
 * exceptions, so it is read from one such pair. Where every pair of two classes is an
 * exception or a pod with itself, any such pair stands for them (each differing exception is
 * then apart from it).
 */
export class ClassRepresentatives {
  /** The positions of each source class, and of each destination class, ascending. */
  readonly sources: Int32Array[];
  readonly destinations: Int32Array[];
  /**
   * The first position of each source class, and of each destination class: a loop over the
   * classes reads these from one array each, which stays in cache where the lists do not.
   */
  readonly firstSources: Int32Array;
  readonly firstDestinations: Int32Array;
  /** The class bits of the matrix's exceptions (all 0 when there are none). */
  private readonly sourceBits: Uint8Array;
  private readonly destinationBits: Uint8Array;
  /** Representatives found for exceptions, by pair of classes. */
  private readonly known = new Map<number, readonly [number, number] | undefined>();

  /** The representatives of the classes of `matrix`. */
  constructor(private readonly matrix: ConnectivityMatrix) {
    this.sources = membersOf(matrix.classOf.sources, matrix.classCounts.sources);
    this.destinations = membersOf(matrix.classOf.destinations, matrix.classCounts.destinations);
    this.firstSources = firstMembers(this.sources);
    this.firstDestinations = firstMembers(this.destinations);
    const bits = matrix.exceptions?.classBits;
    this.sourceBits = bits?.sources ?? new Uint8Array(this.sources.length);
    this.destinationBits = bits?.destinations ?? new Uint8Array(this.destinations.length);
  }

  /**
   * Whether the first pods of source class `sc` and destination class `dc` stand for them: two
   * pods, and not an exception. Mostly so, read without touching the lists (the hot path of a
   * grouped matrix), asking the exceptions only where the classes' bits meet.
   */
  firstPairStands(sc: number, dc: number): boolean {
    const from = this.firstSources[sc] as number;
    const to = this.firstDestinations[dc] as number;
    if (from === to) return false;
    const bits = (this.sourceBits[sc] as number) & (this.destinationBits[dc] as number);
    return bits === 0 || !this.matrix.exceptions?.has(from, to);
  }

  /**
   * Writes into `into[sc]`, for each source class, the interned id of the connections of the
   * pair standing for it and destination class `dc` (see `of`); NO_PAIR where there is none.
   */
  connectionIdsTo(dc: number, into: Int32Array): void {
    this.matrix.plainConnectionIds(this.firstSources, this.firstDestinations[dc] as number, into);
    // Where the first pods are one pod or may be an exception, the search (rare).
    const to = this.firstDestinations[dc] as number;
    const bits = this.destinationBits[dc] as number;
    for (let sc = 0; sc < into.length; sc++) {
      if (this.firstSources[sc] !== to && ((this.sourceBits[sc] as number) & bits) === 0) continue;
      if (this.firstPairStands(sc, dc)) continue;
      const pair = this.of(sc, dc);
      into[sc] = pair ? this.matrix.connectionId(...pair) : NO_PAIR;
    }
  }

  /**
   * The pairs of classes that have a pair standing for them and that `listed` holds for (given
   * that pair's connections id), source class by source class, each one's destination classes
   * ascending. Read a destination class's row at a time, twice (count, then fill): the cost is
   * that of the matrix's rows, not of a question per pair of classes.
   */
  pairsBySource(listed: (connectionId: number) => boolean): ClassPairList {
    const S = this.sources.length;
    const row = new Int32Array(S);
    const starts = new Int32Array(S + 1);
    const eachListed = (visit: (sc: number, dc: number, id: number) => void) => {
      for (let dc = 0; dc < this.destinations.length; dc++) {
        this.connectionIdsTo(dc, row);
        for (let sc = 0; sc < S; sc++) {
          const id = row[sc] as number;
          if (id !== NO_PAIR && listed(id)) visit(sc, dc, id);
        }
      }
    };
    eachListed((sc) => {
      starts[sc + 1] = (starts[sc + 1] as number) + 1;
    });
    for (let sc = 0; sc < S; sc++)
      starts[sc + 1] = (starts[sc + 1] as number) + (starts[sc] as number);
    const destinations = new Int32Array(starts[S] as number);
    const connectionIds = new Int32Array(destinations.length);
    const next = starts.slice(0, S);
    eachListed((sc, dc, id) => {
      const at = next[sc] as number;
      destinations[at] = dc;
      connectionIds[at] = id;
      next[sc] = at + 1;
    });
    return { starts, destinations, connectionIds };
  }

  /** The pair standing for source class `sc` and destination class `dc`; undefined when none. */
  of(sc: number, dc: number): readonly [number, number] | undefined {
    if (this.firstPairStands(sc, dc)) {
      return [this.firstSources[sc] as number, this.firstDestinations[dc] as number];
    }
    const { exceptions } = this.matrix;
    const sources = this.sources[sc] as Int32Array;
    const destinations = this.destinations[dc] as Int32Array;
    let fallback: readonly [number, number] | undefined;
    // Past the first pair only for classes that share a pod or hold exceptions: each pair
    // passed over is one of those, so the search costs no more than they number.
    for (const from of sources) {
      for (const to of destinations) {
        if (from === to) continue;
        if (!exceptions?.has(from, to)) return [from, to];
        fallback ??= [from, to];
      }
    }
    return fallback;
  }

  /** The pair standing for the classes of the pair `from`, `to` (an exception), remembered. */
  ofClassesOf(from: number, to: number): readonly [number, number] | undefined {
    const sc = this.matrix.classOf.sources[from] as number;
    const dc = this.matrix.classOf.destinations[to] as number;
    const key = sc * this.destinations.length + dc;
    if (!this.known.has(key)) this.known.set(key, this.of(sc, dc));
    return this.known.get(key);
  }
}

/**
 * Pairs of classes listed source class by source class: those of source class `sc` have their
 * destination classes at `destinations[starts[sc]]` up to (not including) `starts[sc + 1]`, and
 * the connections id of the pair standing for each at the same index of `connectionIds`.
 */
export interface ClassPairList {
  readonly starts: Int32Array;
  readonly destinations: Int32Array;
  readonly connectionIds: Int32Array;
}

/** ClassRepresentatives.connectionIdsTo's id for a pair of classes with no pair of two pods. */
export const NO_PAIR = -1;

/** The first member of each group (every group has one). */
function firstMembers(groups: readonly Int32Array[]): Int32Array {
  return Int32Array.from(groups, (members) => members[0] as number);
}
