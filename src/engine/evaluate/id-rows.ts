/** Whether every id of a row fits in 16 bits (a plain loop: this runs on every cell). */
function fitsTwoBytes(row: Int32Array): boolean {
  for (let i = 0; i < row.length; i++) if ((row[i] as number) > 0xffff) return false;
  return true;
}

/**
 * A table of interned ids written a row at a time: two bytes a cell while every id written fits
 * in 16 bits (a matrix of 50,000 pods has hundreds of millions of cells and rarely more than a
 * few thousand distinct connections), widened to four bytes the first time one does not.
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

  /** Writes `row` into the cells from `offset` on. */
  setRow(offset: number, row: Int32Array): void {
    if (this.cells instanceof Uint16Array && !fitsTwoBytes(row)) {
      this.cells = Int32Array.from(this.cells);
    }
    this.cells.set(row, offset);
  }
}
