import cliTruncate from 'cli-truncate';
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { padDisplay } from '../../render/table.js';
import { terminalLine } from '../../render/terminal-text.js';

/**
 * A column of a list: a header, a width in terminal columns (0: the rest of the line) and how
 * to print a row, shown safely for a terminal (terminalText on values from the input).
 */
export interface Column<R> {
  readonly header: string;
  readonly width: number;
  readonly value: (row: R) => string;
}

/** The first row to show so that the cursor stays visible, as near the middle as the list allows. */
export function windowStart(cursor: number, total: number, height: number): number {
  if (total <= height) return 0;
  return Math.max(0, Math.min(cursor - Math.floor(height / 2), total - height));
}

/** A cell filling `width` terminal columns, cut with … so that one column stays blank. */
function padCell(text: string, width: number): string {
  if (width <= 0) return text;
  return padDisplay(cliTruncate(text, Math.max(1, width - 1)), width);
}

/**
 * What the last column (width 0, free text such as labels) keeps when the others grow: this, or
 * less when its cells are all shorter (a count of findings).
 */
const LAST_COLUMN_KEEPS = 24;

/** How many rows, spread over a list, fittedColumns measures. */
const MEASURED_ROWS = 500;

/** The gutter before the cells: the cursor and the mark. */
const GUTTER = 2;

/**
 * The columns fitted to their cells, leaving the last column (free text such as labels) at least
 * LAST_COLUMN_KEEPS, or what its longest cell needs when less. Where the screen has room beyond the widths they are given, they widen to
 * their longest cell (and a blank), in column order: on a wide terminal names are not cut. Where
 * it has less, those given more than their longest cell needs narrow to it, in column order, so
 * that the last column is not cut to a word on 80 columns. Cells are measured by length (a wide
 * character counts one) on up to MEASURED_ROWS rows spread over the list, so that 10,000 pods
 * cost a frame no more than 500: a longer cell elsewhere is cut with …, as every cell was before.
 */
export function fittedColumns<R>(
  columns: readonly Column<R>[],
  rows: readonly R[],
  width: number,
): readonly Column<R>[] {
  const stride = Math.max(1, Math.ceil(rows.length / MEASURED_ROWS));
  /** The width a column's longest cell, or its header, takes with a blank after it. */
  const needed = (column: Column<R>) => {
    let longest = column.header.length;
    for (let at = 0; at < rows.length; at += stride) {
      longest = Math.max(longest, column.value(rows[at] as R).length);
    }
    return longest + 1;
  };
  const last = columns.at(-1);
  const keeps = last?.width === 0 ? Math.min(LAST_COLUMN_KEEPS, needed(last)) : LAST_COLUMN_KEEPS;
  const given = columns.reduce((sum, column) => sum + column.width, GUTTER);
  let spare = width - given - keeps;
  if (spare === 0) return columns;
  return columns.map((column) => {
    if (column.width === 0 || spare === 0) return column;
    const change = needed(column) - column.width;
    // Widen by what the screen spares, or narrow by what the last column lacks.
    const step = spare > 0 ? Math.min(change, spare) : Math.max(change, spare);
    if (Math.sign(step) !== Math.sign(spare)) return column;
    spare -= step;
    return { ...column, width: column.width + step };
  });
}

/** Props of ListView. */
export interface ListViewProps<R> {
  readonly rows: readonly R[];
  readonly columns: readonly Column<R>[];
  readonly cursor: number;
  /** Lines available, including the header line. */
  readonly height: number;
  readonly width: number;
  readonly color: boolean;
  readonly empty: string;
  /** Whether a row is marked (shown as `*` in the gutter, after the cursor's `▶`). */
  readonly marked?: (row: R) => boolean;
}

/**
 * A line of a list: its gutter (cursor and mark) and cells, cut to the width with … so that a
 * last cell (labels) cut short does not read as whole.
 */
function listLine(cells: readonly string[], width: number): string {
  // A cell that slipped through unescaped is escaped here too; wide characters count two.
  return cliTruncate(terminalLine(cells.join('')), width);
}

/**
 * Each row's line by its gutter, laid out once for these columns and this width: a key that
 * moves the cursor lays out only the rows it brings into view (a row's last cell can be long,
 * and measuring it is most of a frame's work).
 */
function rowLines<R extends object>(columns: readonly Column<R>[], width: number) {
  const lines = new WeakMap<R, Map<string, string>>();
  return (row: R, gutter: string): string => {
    const byGutter = lines.get(row) ?? new Map<string, string>();
    lines.set(row, byGutter);
    const cached = byGutter.get(gutter);
    if (cached !== undefined) return cached;
    const text = listLine([gutter, ...columns.map((c) => padCell(c.value(row), c.width))], width);
    byGutter.set(gutter, text);
    return text;
  };
}

/** A windowed list: only the rows that fit are rendered, whatever the list's length. */
export function ListView<R extends { key: string }>(props: ListViewProps<R>) {
  const { rows, cursor, height, width, color, empty, marked } = props;
  const visible = Math.max(1, height - 1);
  const start = windowStart(cursor, rows.length, visible);
  const columns = useMemo(
    () => fittedColumns(props.columns, rows, width),
    [props.columns, rows, width],
  );
  const lineOf = useMemo(() => rowLines(columns, width), [columns, width]);
  const header = listLine(['  ', ...columns.map((c) => padCell(c.header, c.width))], width);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>{header}</Text>
      {rows.length === 0 ? <Text dimColor>{empty}</Text> : null}
      {rows.slice(start, start + visible).map((row, i) => {
        const selected = start + i === cursor;
        // The marker shows the cursor without colour too (NO_COLOR, screen readers, captures).
        const text = lineOf(row, `${selected ? '▶' : ' '}${marked?.(row) ? '*' : ' '}`);
        return (
          <Text key={row.key} inverse={selected && color} wrap="truncate">
            {text}
          </Text>
        );
      })}
    </Box>
  );
}
