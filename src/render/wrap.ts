import stringWidth from 'string-width';

/** A word to lay out, with what separates it from the word before on the same line. */
interface Piece {
  readonly gap: string;
  readonly word: string;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A word cut into pieces of at most `width` terminal columns, never inside a character. */
function breakWord(word: string, width: number): string[] {
  const chunks: string[] = [];
  let chunk = '';
  for (const { segment } of graphemes.segment(word)) {
    if (chunk !== '' && stringWidth(chunk + segment) > width) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += segment;
  }
  return [...chunks, chunk];
}

/**
 * Lays words out on lines of at most `width` terminal columns. The first line starts with the
 * first piece's gap (its indentation), the others with `indent`. A word wider than a line is
 * broken across lines when `breakLong`, else keeps a line of its own, whole.
 */
function fill(pieces: readonly Piece[], width: number, indent: string, breakLong: boolean) {
  const lines: string[] = [];
  let line: string | undefined;
  for (const [i, { gap, word }] of pieces.entries()) {
    if (line !== undefined && stringWidth(line + gap + word) <= width) {
      line += gap + word;
      continue;
    }
    if (line !== undefined) lines.push(line);
    const lead = fittingIndent(i === 0 ? gap : indent, width);
    const room = width - stringWidth(lead);
    if (!breakLong || stringWidth(word) <= room) {
      line = lead + word;
      continue;
    }
    // The rest of a broken word continues on the hanging indentation, as the next word would.
    const [first = ''] = breakWord(word, room);
    const hanging = fittingIndent(indent, width);
    const rest = breakWord(word.slice(first.length), width - stringWidth(hanging));
    lines.push(lead + first, ...rest.slice(0, -1).map((chunk) => hanging + chunk));
    line = hanging + (rest.at(-1) ?? '');
  }
  return line === undefined ? lines : [...lines, line];
}

/** An indentation, dropped when it leaves no room for text rather than overflowing. */
function fittingIndent(wanted: string, width: number): string {
  return stringWidth(wanted) < width ? wanted : '';
}

/**
 * `words` in order on lines of at most `width` terminal columns, `separator` between two on a
 * line; a word wider than a line is broken, never dropped.
 */
export function wrapWords(words: readonly string[], width: number, separator = ' '): string[] {
  return fill(
    words.map((word, i) => ({ gap: i === 0 ? '' : separator, word })),
    width,
    '',
    true,
  );
}

/** The leading blanks of a line. */
function indentation(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}

/**
 * A line of text on lines of at most `width` terminal columns, broken at spaces (a run of
 * spaces inside a line is kept) or after a comma (label lists have no spaces); the lines after
 * the first keep its indentation and two more. A word wider than a line is broken, never dropped.
 */
export function wrapText(line: string, width: number): string[] {
  const pieces = [...line.matchAll(/(\s*)([^\s,]+,?|,)/g)].map(([, gap = '', word = '']) => ({
    gap,
    word,
  }));
  if (pieces.length === 0) return [line];
  return fill(pieces, width, `${indentation(line)}  `, true);
}

/**
 * The words of a shell command line, each as written (quotes and escapes kept), split at the
 * blanks outside quotes.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i] as string;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < command.length) {
        word += char;
        i++;
        word += command[i];
        continue;
      }
      word += char;
    } else if (char === '\\' && i + 1 < command.length) {
      word += char + command[i + 1];
      i++;
    } else if (/\s/.test(char)) {
      if (word !== '') words.push(word);
      word = '';
    } else {
      if (char === "'" || char === '"') quote = char;
      word += char;
    }
  }
  return word === '' ? words : [...words, word];
}

/** How a continued line of a shell command ends: the shell joins it with the next one. */
const CONTINUED = ' \\';

/**
 * A shell command line on lines of at most `width` terminal columns, broken between its
 * arguments, each line but the last ending with ` \`: the lines, pasted, are the same command.
 * An argument wider than a line keeps a line of its own, whole (breaking it would change it).
 */
export function wrapCommand(line: string, width: number): string[] {
  const words = shellWords(line);
  const indent = indentation(line);
  const pieces = words.map((word, i) => ({ gap: i === 0 ? indent : ' ', word }));
  const lines = fill(pieces, width - CONTINUED.length, `${indent}    `, false);
  return lines.map((text, i) => (i < lines.length - 1 ? `${text}${CONTINUED}` : text));
}

/** Whether a line of a detail screen is a command to copy: `kubectl ...`, alone on its line. */
function isCommandLine(line: string): boolean {
  return /^\s*kubectl\s/.test(line);
}

/**
 * The lines of a detail screen (finding, explanation, verdict) for a terminal `width` columns
 * wide: text broken at word boundaries, commands at argument boundaries so that they stay
 * whole and can be copied. Lines that fit are kept as they are.
 */
export function wrapDetailLines(lines: readonly string[], width: number): string[] {
  return lines.flatMap((line) => {
    if (stringWidth(line) <= width) return [line];
    return isCommandLine(line) ? wrapCommand(line, width) : wrapText(line, width);
  });
}
