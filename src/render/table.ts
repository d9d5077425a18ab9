import stringWidth from 'string-width';

/** `text` padded with spaces to `width` terminal columns (wide characters count two). */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/**
 * Aligns rows under headers in columns separated by three spaces, as kubectl does; without
 * the header line when `headers` is false (--no-headers). Cells are measured in terminal
 * columns; they must already be safe for a terminal (terminalText).
 */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  withHeaders = true,
): string[] {
  const leading = rows.map((row) => row.slice(0, -1));
  return [...tableLines(headers, leading, (row) => rows[row]?.at(-1) ?? '', withHeaders)];
}

/**
 * The lines of `table` one at a time, for tables too large to hold whole: `leading` holds
 * every cell but the last of each row, and `last(row)` makes the last cell, which is never
 * padded, when its line is due.
 */
export function* tableLines(
  headers: readonly string[],
  leading: readonly (readonly string[])[],
  last: (row: number) => string,
  withHeaders = true,
): Generator<string> {
  const widths = headers
    .slice(0, -1)
    .map((header, i) =>
      Math.max(
        withHeaders ? stringWidth(header) : 0,
        ...leading.map((row) => stringWidth(row[i] ?? '')),
      ),
    );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : padDisplay(cell, widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  if (withHeaders) yield line(headers);
  for (const [row, cells] of leading.entries()) yield line([...cells, last(row)]);
}
