/** How many of an ascending list's numbers are at most `value`, by binary search. */
export function countAtOrBefore(ascending: readonly number[], value: number): number {
  let low = 0;
  let high = ascending.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((ascending[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Line numbers of offsets in a text, indexed on first use: most inputs raise no finding that
 * needs one, and an index of a file of millions of short lines is bigger than the file.
 */
export class LineIndex {
  /** Offsets where lines start, ascending (the first is 0). */
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  /** The 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    this.starts ??= this.index();
    const starts = this.starts;
    const low = countAtOrBefore(starts, offset);
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - (starts[low - 1] as number) + 1 };
  }

  /** The offset where a 1-based line starts, if the text has that line. */
  lineStart(line: number): number | undefined {
    this.starts ??= this.index();
    return this.starts[line - 1];
  }

  private index(): number[] {
    const starts = [0];
    for (let end = this.text.indexOf('\n'); end !== -1; end = this.text.indexOf('\n', end + 1)) {
      starts.push(end + 1);
    }
    return starts;
  }
}

/**
 * Line numbers of offsets met in increasing order, as a stream is read document by document:
 * counted as it goes, so that every document can say where it starts without an index.
 */
export class LineCursor {
  private line = 1;
  private counted = 0;

  constructor(private readonly text: string) {}

  /** The 1-based line of an offset no smaller than the last one asked about. */
  lineAt(offset: number): number {
    for (
      let end = this.text.indexOf('\n', this.counted);
      end !== -1 && end < offset;
      end = this.text.indexOf('\n', end + 1)
    ) {
      this.line += 1;
      this.counted = end + 1;
    }
    this.counted = Math.max(this.counted, Math.min(offset, this.text.length));
    return this.line;
  }
}
