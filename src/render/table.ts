import stringWidth from 'string-width';

/** `text` padded with spaces to `width` terminal columns (wide characters count two). */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/**
 * Aligns rows under headers in columns separated by three spaces, as kubectl does. Cells are
 * measured in terminal columns; they must already be safe for a terminal (terminalText).
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(stringWidth(header), ...rows.map((row) => stringWidth(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : padDisplay(cell, widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
