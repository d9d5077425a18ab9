/** Pairs of positions of a matrix whose answer may differ from their classes'. */
export interface ExceptionPairs {
  /** Whether the pair of positions `from`, `to` is one. */
  has(from: number, to: number): boolean;
  /** Every such pair, `from` ascending, then `to`. */
  pairs(): Iterable<readonly [number, number]>;
}
