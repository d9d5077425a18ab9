import { describe, expect, it } from 'vitest';
import { IdRows } from '../../src/engine/evaluate/id-rows.js';

describe('IdRows', () => {
  it('keeps every id written, ids past 16 bits included, and the rows written before them', () => {
    const rows = new IdRows(9);
    rows.setRow(0, Int32Array.of(0, 1, 0xffff));
    rows.setRow(6, Int32Array.of(7, 8, 9));
    rows.setRow(3, Int32Array.of(0x10000, 2, 70_000_000));
    expect(Array.from(rows.ids)).toEqual([0, 1, 0xffff, 0x10000, 2, 70_000_000, 7, 8, 9]);
  });

  it('starts with every cell 0', () => {
    const rows = new IdRows(4);
    expect(Array.from(rows.ids)).toEqual([0, 0, 0, 0]);
  });
});
