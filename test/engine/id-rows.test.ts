import { describe, expect, it } from 'vitest';
import { IdRows } from '../../src/engine/evaluate/id-rows.js';

describe('IdRows', () => {
  it('keeps every id written, ids past 16 bits included, and the cells written before them', () => {
    const rows = new IdRows(9);
    rows.fill(0xffff, 0, 3);
    rows.set(1, 1);
    rows.fill(9, 6, 9);
    rows.set(3, 0x10000);
    rows.fill(70_000_000, 4, 6);
    rows.set(4, 2);
    expect(Array.from(rows.ids)).toEqual([0xffff, 1, 0xffff, 0x10000, 2, 70_000_000, 9, 9, 9]);
  });

  it('starts with every cell 0', () => {
    const rows = new IdRows(4);
    expect(Array.from(rows.ids)).toEqual([0, 0, 0, 0]);
  });
});
