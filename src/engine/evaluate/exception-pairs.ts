/** Pairs of positions of a matrix whose answer may differ from their classes'. */
export interface ExceptionPairs {
  /** Whether the pair of positions `from`, `to` is one. */
  has(from: number, to: number): boolean;
  /** Every such pair, `from` ascending, then `to`. */
  pairs(): Iterable<readonly [number, number]>;
  /**
   * Bits per source class and per destination class of the matrix: the classes of a pair that
   * is one share a bit, so where `sources[sc] & destinations[dc]` is 0 no pair of the two
   * classes is one, and a loop over classes need not ask `has`.
   */
  readonly classBits: ClassBits;
}

/** Bits per source class and per destination class: see ExceptionPairs.classBits. */
export interface ClassBits {
  readonly sources: Uint8Array;
  readonly destinations: Uint8Array;
}

/** The bits of the positions of each of `count` classes together, given each position's class. */
export function bitsByClass(bits: Uint8Array, classOf: Int32Array, count: number): Uint8Array {
  const together = new Uint8Array(count);
  bits.forEach((bit, position) => {
    const cls = classOf[position] as number;
    together[cls] = (together[cls] as number) | bit;
  });
  return together;
}
