import type { ClassAnswers } from './class-answers.js';

/** Columns transposed together: their reads share cache lines across neighbouring rows. */
const BLOCK = 64;

/**
 * The answers of several chains (the columns) towards each class of the other side (the rows),
 * row-major: the answers towards class `cls` are `sure` and `possible` from `cls * columns`, so
 * a matrix row written for one destination class reads them in memory order. `possible` is
 * `sure` itself when no column's answers can split (see splitClasses).
 */
export interface ClassAnswerRows extends ClassAnswers {
  readonly rows: number;
  readonly columns: number;
}

/**
 * Lays out the answers of `columns` chains towards `rows` classes row by row, asking
 * `answersOf` for each column's answers (a cell per class) in ascending column order. Columns
 * are transposed a block at a time, so that neither the reads nor the writes stride across
 * the whole table.
 */
export function classAnswerRows(
  rows: number,
  columns: number,
  answersOf: (column: number) => ClassAnswers,
): ClassAnswerRows {
  const sure = new Int32Array(rows * columns);
  let possible = sure;
  for (let first = 0; first < columns; first += BLOCK) {
    const block = Array.from({ length: Math.min(BLOCK, columns - first) }, (_, offset) =>
      answersOf(first + offset),
    );
    if (possible === sure && block.some((answers) => answers.sure !== answers.possible)) {
      // The columns so far answer alike for both: a copy holds their possible answers.
      possible = sure.slice();
    }
    const sides = (side: keyof ClassAnswers) => block.map((answers) => answers[side]);
    transpose(sure, columns, first, sides('sure'));
    if (possible !== sure) transpose(possible, columns, first, sides('possible'));
  }
  return { rows, columns, sure, possible };
}

/** Writes each of `block`'s columns into `table` (rows of `columns` cells) from column `first`. */
function transpose(
  table: Int32Array,
  columns: number,
  first: number,
  block: readonly Int32Array[],
) {
  const rows = table.length / columns;
  for (let cls = 0; cls < rows; cls++) {
    const rowStart = cls * columns + first;
    for (let offset = 0; offset < block.length; offset++) {
      table[rowStart + offset] = (block[offset] as Int32Array)[cls] as number;
    }
  }
}

/**
 * 1 for each class (row) towards which some of the answers are split: their sure and possible
 * ports differ (an unknown IP or a reading decides some connection).
 */
export function splitClasses(answers: ClassAnswerRows): Uint8Array {
  const { rows, columns, sure, possible } = answers;
  const split = new Uint8Array(rows);
  // One array for both: nothing can split them.
  if (sure === possible) return split;
  for (let cls = 0; cls < rows; cls++) {
    for (let cell = cls * columns; cell < (cls + 1) * columns; cell++) {
      if (sure[cell] !== possible[cell]) {
        split[cls] = 1;
        break;
      }
    }
  }
  return split;
}
