import { EVENT_ID, type Event, getScalarValue, parseEvents } from 'js-yaml';
import type { SourceLocation } from '../../engine/index.js';
import { countAtOrBefore, LineIndex } from './line-index.js';
import { MAX_DEPTH, MAX_YAML_DOCUMENT } from './parse-text.js';
import { splitYamlStream } from './yaml-stream.js';
import { type NodeEvent, nodeStart } from './yaml-structure.js';

/**
 * What a finding about a field points at: the field's key (a field that should not be there)
 * or its value (a value that is wrong). A value that is a mapping or a list is pointed at by
 * its key too, as it starts on the key's line or the next.
 */
export type FieldRole = 'key' | 'value';

/**
 * A field located already, as another thread that holds the same text found it: what `locate`
 * was asked (the object's document line and List item, the field, the role) and its answer
 * (line and column; none when the field could not be found there).
 */
export interface LocatedField {
  readonly asked: string;
  readonly place?: { readonly line: number; readonly col: number };
}

/** The key of a `locate` question about the object whose document content starts on `line`. */
const askedKey = (line: number, item: number | undefined, field: string, role: FieldRole) =>
  `${line} ${item ?? ''} ${role} ${field}`;

/** A piece of the stream parsed again, with where each node's events end. */
interface ParsedPiece {
  readonly offset: number;
  readonly text: string;
  readonly events: Event[];
  /** Index of the event closing each collection (a scalar or alias closes itself). */
  readonly ends: Int32Array;
  /** The items of each list asked about, by the index of its opening event. */
  readonly items: Map<number, number[]>;
}

/**
 * Finds where the fields that findings name are written in one file's text, on demand: the
 * text is read and the one piece of the stream holding the document is parsed again only for
 * the first finding in it, so that a file without findings costs nothing. A field reached
 * through an alias has no place of its own: the alias's is given. A piece over the YAML size
 * limit (a JSON document of more than 16 MB) is not parsed again: its findings keep the line
 * where the document starts.
 */
export class FieldPlaces {
  // Private (#) members: none is enumerable, so that objects holding one compare and print as
  // data, and the text never goes with them into JSON.
  readonly #read: () => string;
  #text: string | undefined;
  #lines: LineIndex | undefined;
  /** Where each piece of the stream starts, ascending. */
  #pieceStarts: number[] | undefined;
  /** The piece parsed last: findings come in the order of their documents. */
  #piece: ParsedPiece | undefined;
  /** Every field located so far, by what was asked: given (located elsewhere) or found here. */
  readonly #located: Map<string, LocatedField['place']>;

  /**
   * `read` gives the file's text, called at most once; `located` are fields located in the
   * same text already (by the parse worker, so that a huge document is not parsed again here).
   */
  constructor(read: () => string, located: readonly LocatedField[] = []) {
    this.#read = read;
    this.#located = new Map(located.map(({ asked, place }) => [asked, place]));
  }

  /** The fields located so far, to hand to a FieldPlaces of the same text on another thread. */
  located(): LocatedField[] {
    return [...this.#located].map(([asked, place]) => (place ? { asked, place } : { asked }));
  }

  /**
   * The location of a field (`spec.ingress[0].from[0].podSelector`) of the object read at
   * `location`, with the field's line and column; `location` itself when it has no document
   * line or the field cannot be found. A field missing from the text is placed at the nearest
   * of its ancestors that is there.
   */
  locate(location: SourceLocation, field: string, role: FieldRole): SourceLocation {
    if (location.line === undefined || location.document === undefined) return location;
    const asked = askedKey(location.line, location.item, field, role);
    let place = this.#located.get(asked);
    if (!this.#located.has(asked)) {
      place = this.#place(location.line, location.item, field, role);
      this.#located.set(asked, place && { line: place.line, col: place.col });
    }
    return place ? { ...location, line: place.line, column: place.col } : location;
  }

  /**
   * How much text locating a field of the object read at `location` parses again: the piece of
   * the stream holding its document, in characters (0 when it has no document line).
   */
  documentLength(location: SourceLocation): number {
    if (location.line === undefined || location.document === undefined) return 0;
    const start = this.#lineStart(location.line);
    if (start === undefined) return 0;
    const { from, to } = this.#pieceAround(start);
    return to - from;
  }

  /** Where a line starts in the text, which is read and indexed on first use. */
  #lineStart(line: number): number | undefined {
    this.#text ??= this.#read();
    this.#lines ??= new LineIndex(this.#text);
    return this.#lines.lineStart(line);
  }

  /** Where the piece of the stream holding an offset starts and ends. */
  #pieceAround(offset: number): { readonly from: number; readonly to: number } {
    const text = this.#text as string;
    this.#pieceStarts ??= [...splitYamlStream(text)].map((piece) => piece.offset);
    const starts = this.#pieceStarts;
    const index = Math.max(0, countAtOrBefore(starts, offset) - 1);
    return { from: starts[index] ?? 0, to: starts[index + 1] ?? text.length };
  }

  #place(line: number, item: number | undefined, field: string, role: FieldRole) {
    const start = this.#lineStart(line);
    if (start === undefined) return undefined;
    const piece = this.#parsedPiece(start);
    const root = piece && this.#documentRoot(piece, line);
    if (!piece || root === undefined) return undefined;
    const path = item === undefined ? field : `items[${item - 1}]${field ? `.${field}` : ''}`;
    const lines = this.#lines as LineIndex;
    return lines.position(piece.offset + fieldOffset(piece, root, path, role));
  }

  /** The parsed piece holding an offset, or undefined when it is too big or does not parse. */
  #parsedPiece(offset: number): ParsedPiece | undefined {
    const text = this.#text as string;
    const { from, to } = this.#pieceAround(offset);
    if (this.#piece?.offset === from) return this.#piece;
    if (to - from > MAX_YAML_DOCUMENT) return undefined;
    const pieceText = text.slice(from, to);
    let events: Event[];
    try {
      events = parseEvents(pieceText, { maxDepth: MAX_DEPTH });
    } catch {
      return undefined;
    }
    this.#piece = {
      offset: from,
      text: pieceText,
      events,
      ends: closings(events),
      items: new Map(),
    };
    return this.#piece;
  }

  /** Index of the root node of the piece's document whose content starts on a line. */
  #documentRoot(piece: ParsedPiece, line: number): number | undefined {
    const { events, ends } = piece;
    const lines = this.#lines as LineIndex;
    for (let index = 0; index < events.length; index += 1) {
      const root = events[index + 1];
      if (events[index]?.type !== EVENT_ID.DOCUMENT || !root || !isNode(root)) continue;
      if (lines.position(piece.offset + nodeStart(root)).line === line) return index + 1;
      index = ends[index + 1] as number;
    }
    return undefined;
  }
}

const isNode = (event: Event): event is NodeEvent =>
  event.type !== EVENT_ID.DOCUMENT && event.type !== EVENT_ID.POP;

/** For each event, the index of the event closing it: a collection's POP, else itself. */
function closings(events: readonly Event[]): Int32Array {
  const ends = new Int32Array(events.length);
  const open: number[] = [];
  events.forEach((event, index) => {
    ends[index] = index;
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) open.push(index);
    else if (event.type === EVENT_ID.POP) {
      const opening = open.pop();
      if (opening !== undefined) ends[opening] = index;
    }
  });
  return ends;
}

/** The next step of a path: a list index (`[2]`) or a key, which the mapping's keys settle. */
const INDEX = /^\[(\d+)\]/;

/**
 * Offset in the piece of the field at `path` under the node at `root`: its key, or for a
 * scalar value a finding is about, the value. Keys are matched against the mapping's own
 * keys, so a key holding dots (`app.kubernetes.io/name`) is found whole.
 */
function fieldOffset(piece: ParsedPiece, root: number, path: string, role: FieldRole): number {
  const { events } = piece;
  let node = root;
  let key: number | undefined;
  let rest = path;
  while (rest !== '') {
    const event = events[node] as NodeEvent;
    if (event.type === EVENT_ID.ALIAS) return nodeStart(event);
    const index = INDEX.exec(rest);
    let child: { key?: number; value: number; length: number } | undefined;
    if (index && event.type === EVENT_ID.SEQUENCE) {
      const value = listItems(piece, node)[Number(index[1])];
      if (value !== undefined) child = { value, length: index[0].length };
    } else if (!index && event.type === EVENT_ID.MAPPING) {
      child = matchingKey(piece, node, rest.startsWith('.') ? rest.slice(1) : rest);
      if (child && rest.startsWith('.')) child.length += 1;
    }
    if (!child) break;
    node = child.value;
    key = child.key;
    rest = rest.slice(child.length);
  }
  const target = events[node] as NodeEvent;
  const scalar = target.type === EVENT_ID.SCALAR || target.type === EVENT_ID.ALIAS;
  const onValue = rest === '' && role === 'value' && scalar;
  return nodeStart((key === undefined || onValue ? target : events[key]) as NodeEvent);
}

/** The indices of a list's items, listed once per list. */
function listItems(piece: ParsedPiece, list: number): number[] {
  let items = piece.items.get(list);
  if (items) return items;
  items = [];
  for (let index = list + 1; piece.events[index]?.type !== EVENT_ID.POP; ) {
    items.push(index);
    index = (piece.ends[index] as number) + 1;
  }
  piece.items.set(list, items);
  return items;
}

/** The entry of a mapping whose key starts the path (the longest such key), if any. */
function matchingKey(piece: ParsedPiece, mapping: number, path: string) {
  const { events, ends, text } = piece;
  let best: { key: number; value: number; length: number } | undefined;
  for (let index = mapping + 1; events[index]?.type !== EVENT_ID.POP; ) {
    const keyEvent = events[index] as Event;
    const value = (ends[index] as number) + 1;
    if (keyEvent.type === EVENT_ID.SCALAR) {
      const name = getScalarValue(text, keyEvent);
      const next = path[name.length];
      const fits = path.startsWith(name) && (next === undefined || next === '.' || next === '[');
      if (fits && name.length >= (best?.length ?? 0))
        best = { key: index, value, length: name.length };
    }
    index = (ends[value] as number) + 1;
  }
  return best;
}
