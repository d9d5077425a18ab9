/** The text of one piece of a YAML stream and its offset in the whole stream. */
export interface StreamPiece {
  readonly text: string;
  readonly offset: number;
}

/**
 * A `---` line starts a document; directive lines (`%YAML`, `%TAG`) just before it belong to
 * it. YAML forbids these markers inside a document's content, so cutting there is exact.
 */
const DOCUMENT_START = /^(?:%[^\n]*\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*)*---(?=[ \t\r\n]|$)/gm;

/**
 * Cuts a YAML stream before each document start, so that documents can be parsed one at a time
 * and memory stays bounded by the largest document rather than the stream. A piece usually holds
 * one document; one that follows a `...` end marker may hold several, or none (only comments).
 */
export function* splitYamlStream(text: string): Generator<StreamPiece> {
  let start = 0;
  for (const match of text.matchAll(DOCUMENT_START)) {
    if (match.index > start) yield { text: text.slice(start, match.index), offset: start };
    start = match.index;
  }
  if (start < text.length) yield { text: text.slice(start), offset: start };
}

/**
 * How many documents a piece holds when it holds no node (1 for a bare `---`, 0 for comments
 * and blank lines), or undefined when it must be parsed: the shortcut keeps a stream of
 * millions of empty documents from costing a parser run each.
 */
export function emptyDocumentCount(piece: string): 0 | 1 | undefined {
  const explicit = piece.startsWith('---');
  for (let from = explicit ? 3 : 0; from < piece.length; ) {
    const newline = piece.indexOf('\n', from);
    const end = newline === -1 ? piece.length : newline;
    const line = piece.slice(from, end).trim();
    if (line !== '' && !line.startsWith('#')) return undefined;
    from = end + 1;
  }
  return explicit ? 1 : 0;
}
