import {
  constructFromEvents,
  EVENT_ID,
  type Event,
  getScalarValue,
  parseEvents,
  YAMLException,
} from 'js-yaml';
import type { Finding, SourceLocation } from '../../engine/index.js';
import { errorMessage } from '../../errors.js';
import { runSteps, type Steps } from '../../steps.js';
import type { FieldPlaces, LocatedField } from './field-places.js';
import { LineCursor, LineIndex } from './line-index.js';
import { yamlSchema } from './yaml-schemas.js';
import {
  emptyDocumentCount,
  hasDocumentEnd,
  type StreamPiece,
  splitYamlStream,
} from './yaml-stream.js';
import { type DocumentScan, documentName, nodeStart, scanDocument } from './yaml-structure.js';
import { MAX_LISTED, yaml11BooleanFindings } from './yaml11.js';

/** A decoded object and where it came from. */
export interface SourcedObject {
  readonly object: unknown;
  readonly location: SourceLocation;
  /** Where its fields are written, when read from a file and kept with the file's text. */
  readonly fields?: FieldPlaces;
}

/** Decoded documents of manifest texts, and the problems met reading them. */
export interface ParsedManifests {
  readonly objects: SourcedObject[];
  readonly findings: Finding[];
  /** Fields of the objects located in the text already (by the thread that parsed it). */
  readonly located?: readonly LocatedField[];
}

/** A bigger YAML document is refused: parsing one of 11.7 MB takes 250 MB more memory. */
export const MAX_YAML_DOCUMENT = 16 * 2 ** 20;

/** Collections nested deeper are refused: manifests nest a few dozen levels at most. */
export const MAX_DEPTH = 1000;

/**
 * Parses a YAML (or JSON) stream one document at a time; each malformed or refused document
 * becomes a finding, the rest are kept. Documents are numbered from 1 across the stream.
 */
export function parseManifestText(text: string, file: string): ParsedManifests {
  return runSteps(manifestTextSteps(text, file));
}

/**
 * parseManifestText in steps: it yields after each piece of the stream that holds a node (a
 * document, rarely a few), so that a caller can let the event loop turn between documents.
 */
export function* manifestTextSteps(text: string, file: string): Steps<ParsedManifests> {
  const result: ParsedManifests = { objects: [], findings: [] };
  // A `%YAML` version holds for the rest of the stream: it is carried across pieces.
  const stream: StreamState = {
    file,
    lines: new LineIndex(text),
    starts: new LineCursor(text),
    index: 0,
    version: '1.2',
  };
  for (const piece of splitYamlStream(text)) {
    const empty = emptyDocumentCount(piece.text);
    if (empty !== undefined) {
      stream.index += empty;
      continue;
    }
    readPiece(piece, stream, result);
    yield;
  }
  return result;
}

/** Reads a piece that holds a node: JSON at once, a YAML piece past the limit refused. */
function readPiece(piece: StreamPiece, stream: StreamState, result: ParsedManifests): void {
  const json = parseJson(piece.text);
  if (json) {
    stream.index += 1;
    const line = stream.starts.lineAt(piece.offset + contentStart(piece.text));
    const location = { file: stream.file, document: stream.index, line };
    result.objects.push({ object: json.value, location });
    return;
  }
  if (piece.text.length > MAX_YAML_DOCUMENT) {
    stream.index += 1;
    result.findings.push(tooBig({ file: stream.file, document: stream.index }, piece.text.length));
    return;
  }
  readYamlPiece(piece, stream, result);
}

/** Where a stream is read: its file and lines, the documents counted so far, the YAML version. */
interface StreamState {
  readonly file: string;
  readonly lines: LineIndex;
  readonly starts: LineCursor;
  index: number;
  version: string;
}

/** Reads the YAML documents of a piece (usually one); a piece the parser refuses is one. */
function readYamlPiece(piece: StreamPiece, stream: StreamState, result: ParsedManifests): void {
  const { file, lines, starts } = stream;
  let events: Event[];
  try {
    events = parseEvents(piece.text, { maxDepth: MAX_DEPTH });
  } catch (error) {
    stream.index += 1;
    const line = starts.lineAt(piece.offset + contentStart(piece.text));
    result.findings.push(unparsed({ file, document: stream.index, line }, error, piece, lines));
    return;
  }
  if (events.length === 0 && hasDocumentEnd(piece.text)) stream.index += 1;
  for (let start = 0; start < events.length; ) {
    const document = events[start];
    if (document?.type === EVENT_ID.DOCUMENT) {
      stream.version =
        document.directives.find((d) => d.kind === 'yaml')?.version ?? stream.version;
    }
    stream.index += 1;
    const { version } = stream;
    const scan = scanDocument(events, start, piece.text, {
      // YAML 1.1 reads these words as kubectl does: nothing to warn about.
      yaml11Listed: version === '1.1' ? 0 : MAX_LISTED,
    });
    const offset = piece.offset + documentStart(events, start, piece.text);
    const location = { file, document: stream.index, line: starts.lineAt(offset) };
    const documentEvents =
      start === 0 && scan.end === events.length - 1 ? events : events.slice(start, scan.end + 1);
    readDocument({ events: documentEvents, scan, version, location, piece, lines }, result);
    start = scan.end + 1;
  }
}

/** Offset of a piece's content: its first non-blank character after a `---` marker. */
function contentStart(text: string): number {
  const content = /\S/g;
  content.lastIndex = text.startsWith('---') ? 3 : 0;
  return content.exec(text)?.index ?? 0;
}

/** Offset in the piece of a document's root node (or of the piece's content). */
function documentStart(events: readonly Event[], start: number, source: string): number {
  const root = events[start + 1];
  if (!root || root.type === EVENT_ID.POP || root.type === EVENT_ID.DOCUMENT) {
    return contentStart(source);
  }
  return nodeStart(root);
}

/**
 * A JSON document (`kubectl get -o json`) of any size: JSON.parse needs a fraction of the YAML
 * parser's memory. A repeated key keeps its last value, as it does for the API server.
 */
function parseJson(text: string): { value: unknown } | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

const megabytes = (length: number) => `${(length / 2 ** 20).toFixed(1)} MB`;

function tooBig(location: SourceLocation, length: number): Finding {
  return {
    severity: 'error',
    code: 'document-too-large',
    message: `refused: the document is ${megabytes(length)} of YAML, over the ${megabytes(MAX_YAML_DOCUMENT)} limit (parsing takes about 20 times that in memory); give it as JSON (-o json) or as several documents`,
    location,
  };
}

/** A finding for a piece the parser could not read, with the place it stopped at. */
function unparsed(
  location: SourceLocation,
  error: unknown,
  piece: StreamPiece,
  lines: LineIndex,
): Finding {
  if (error instanceof YAMLException && error.mark) {
    const message = `malformed YAML: ${error.reason} ${at(lines, piece.offset + error.mark.position)}`;
    return { severity: 'error', code: 'malformed-document', message, location };
  }
  // The parser is not ours: should it throw otherwise on a hostile document, that document is
  // lost, not the file.
  const why = errorMessage(error).split('\n')[0];
  const { line } = lines.position(piece.offset);
  return {
    severity: 'error',
    code: 'malformed-document',
    message: `cannot parse the document starting at line ${line}: ${why}`,
    location,
  };
}

const at = (lines: LineIndex, offset: number) => {
  const { line, col } = lines.position(offset);
  return `at line ${line}, column ${col}`;
};

/** One document's parser events and what is known of it, to build it from. */
interface DocumentToRead {
  readonly events: Event[];
  readonly scan: DocumentScan;
  readonly version: string;
  readonly location: SourceLocation;
  readonly piece: StreamPiece;
  readonly lines: LineIndex;
}

function readDocument(document: DocumentToRead, result: ParsedManifests): void {
  const { events, scan, location, piece, lines } = document;
  const fail = (message: string) => {
    const object = scan.object ?? documentName(events, 0, piece.text);
    result.findings.push({
      severity: 'error',
      code: 'malformed-document',
      message,
      ...(object ? { object } : {}),
      location,
    });
  };
  if (scan.problem) {
    const { message, offset } = scan.problem;
    fail(offset === undefined ? message : `${message} ${at(lines, piece.offset + offset)}`);
    return;
  }
  const uses = scan.yaml11.listed.map((hit) => {
    const { line, col } = lines.position(piece.offset + hit.offset);
    return { ...hit, line, column: col };
  });
  for (const warning of yaml11BooleanFindings(uses, scan.yaml11.count, location)) {
    result.findings.push(warning);
  }
  let object: unknown;
  try {
    [object] = constructFromEvents(events, {
      source: piece.text,
      schema: yamlSchema(document.version),
    });
  } catch (error) {
    if (!(error instanceof YAMLException && error.mark)) {
      fail(`cannot build the document: ${errorMessage(error).split('\n')[0]}`);
      return;
    }
    const position = error.mark.position;
    const reason =
      error.reason === 'duplicated mapping key'
        ? `duplicate key ${JSON.stringify(scalarAt(events, position, piece.text))}`
        : error.reason;
    fail(`malformed YAML: ${reason} ${at(lines, piece.offset + position)}`);
    return;
  }
  if (object !== null && object !== undefined) result.objects.push({ object, location });
}

/** The text of the scalar starting at an offset (a key the builder refused), if one does. */
function scalarAt(events: readonly Event[], offset: number, source: string): string | undefined {
  for (const event of events) {
    if (event.type !== EVENT_ID.SCALAR) continue;
    const starts = [event.tagStart, event.anchorStart, event.valueStart];
    if (starts.find((start) => start !== -1) === offset) return getScalarValue(source, event);
  }
  return undefined;
}
