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
