/**
 * A table of interned ids written a run of cells at a time: two bytes a cell while every id
 * written fits in 16 bits (a matrix of 50,000 pods has hundreds of millions of cells and rarely
 * more than a few thousand distinct connections), widened to four bytes the first time one does
 * not.
 */
export class IdRows {
  private cells: Uint16Array | Int32Array;

  /** A table of `size` cells, all 0. */
  constructor(size: number) {
    this.cells = new Uint16Array(size);
  }

  /** The cells, to index directly once every row is written (the hot path of a matrix). */
  get ids(): Uint16Array | Int32Array {
    return this.cells;
  }

  /** Writes `id` into the cells from `start` up to (not including) `end`. */
  fill(id: number, start: number, end: number): void {
    this.widenFor(id);
    this.cells.fill(id, start, end);
  }

  /** Writes `id` into one cell. */
  set(index: number, id: number): void {
    this.widenFor(id);
    this.cells[index] = id;
  }

  private widenFor(id: number): void {
    if (id > 0xffff && this.cells instanceof Uint16Array) this.cells = Int32Array.from(this.cells);
  }
}
