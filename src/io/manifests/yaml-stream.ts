/** The text of one piece of a YAML stream and its offset in the whole stream. */
export interface StreamPiece {
  readonly text: string;
  readonly offset: number;
}

/**
 * A `---` line starts a document and a `...` line ends one. YAML forbids both markers inside a
 * document's content, so cutting the stream at them is exact.
 */
const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/** True when every line of text[from, to) passes the test (trimmed). */
function everyLine(text: string, from: number, to: number, test: (line: string) => boolean) {
  for (let start = from; start < to; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 || newline > to ? to : newline;
    if (!test(text.slice(start, end).trim())) return false;
    start = end + 1;
  }
  return true;
}

const isBlankOrComment = (line: string) => line === '' || line.startsWith('#');

/** Directives (`%YAML`, `%TAG`) and comments go with the document that follows them. */
const isPrelude = (line: string) => isBlankOrComment(line) || line.startsWith('%');

/**
 * Cuts a YAML stream before each document start and after each document end, so that
 * documents can be parsed one at a time and memory stays bounded by the largest document rather
 * than the stream. A piece holds one document, or none (only comments), or, when a document
 * runs on without an end marker into bare content, the documents the parser finds there.
 */
export function* splitYamlStream(text: string): Generator<StreamPiece> {
  let start = 0;
  for (const match of text.matchAll(MARKER)) {
    let cut = match.index;
    if (match[0] === '...') {
      const newline = text.indexOf('\n', cut);
      cut = newline === -1 ? text.length : newline + 1;
    } else if (everyLine(text, start, cut, isPrelude)) {
      continue;
    }
    if (cut > start) yield { text: text.slice(start, cut), offset: start };
    start = cut;
  }
  if (start < text.length) yield { text: text.slice(start), offset: start };
}

/**
 * How many documents a piece holds when it holds no node (1 for a bare `---`, 0 for comments,
 * blank lines and directives that no document follows), or undefined when it must be parsed:
 * the shortcut keeps a stream of millions of empty documents from costing a parser run each.
 */
export function emptyDocumentCount(piece: string): 0 | 1 | undefined {
  const explicit = piece.startsWith('---');
  const empty = explicit ? isBlankOrComment : isPrelude;
  if (!everyLine(piece, explicit ? 3 : 0, piece.length, empty)) return undefined;
  return explicit ? 1 : 0;
}

/**
 * Whether a piece holds a `...` line. When the parser finds no document in it, the piece still
 * ends one (an empty document) and counts in the numbering, as the YAML 1.2 stream reads it.
 */
export function hasDocumentEnd(piece: string): boolean {
  return /^\.\.\.(?=[ \t\r\n]|$)/m.test(piece);
}
