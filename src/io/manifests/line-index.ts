import { LineCounter } from 'yaml';

/**
 * Line numbers of offsets in a text, indexed on first use: most inputs raise no finding that
 * needs one, and an index of a file of millions of short lines is bigger than the file.
 */
export class LineIndex {
  private counter: LineCounter | undefined;

  constructor(private readonly text: string) {}

  /** The 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    this.counter ??= this.index();
    return this.counter.linePos(offset);
  }

  private index(): LineCounter {
    const counter = new LineCounter();
    counter.addNewLine(0);
    for (let end = this.text.indexOf('\n'); end !== -1; end = this.text.indexOf('\n', end + 1)) {
      counter.addNewLine(end + 1);
    }
    return counter;
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
