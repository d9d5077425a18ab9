import { type Document, type DocumentOptions, parseAllDocuments } from 'yaml';
import type { Finding, SourceLocation } from '../../engine/index.js';
import { errorMessage } from '../../errors.js';
import { LineCursor, LineIndex } from './line-index.js';
import { emptyDocumentCount, type StreamPiece, splitYamlStream } from './yaml-stream.js';
import { MAX_ALIASES, structureProblem } from './yaml-structure.js';
import { yaml11BooleanFindings } from './yaml11.js';

/** A decoded object and where it came from. */
export interface SourcedObject {
  readonly object: unknown;
  readonly location: SourceLocation;
}

/** Decoded documents of manifest texts, and the problems met reading them. */
export interface ParsedManifests {
  readonly objects: SourcedObject[];
  readonly findings: Finding[];
}

/** A bigger YAML document is refused: parsing one of 10 MB peaked at 1.1 GB. */
const MAX_YAML_DOCUMENT = 16 * 2 ** 20;

// The parser's duplicate-key check is quadratic in a mapping's size; structureProblem does it.
const PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false } as const;

/** "Kind namespace/name" of a document when its header is plain scalars, for messages. */
function documentObject(document: Document.Parsed): string | undefined {
  const text = (path: string[]) => {
    const value = document.getIn(path);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const kind = text(['kind']);
  const name = text(['metadata', 'name']);
  if (!kind || !name) return undefined;
  const namespace = text(['metadata', 'namespace']);
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/**
 * Parses a YAML (or JSON) stream one document at a time; each malformed or refused document
 * becomes a finding, the rest are kept. Documents are numbered from 1 across the stream.
 */
export function parseManifestText(text: string, file: string): ParsedManifests {
  const result: ParsedManifests = { objects: [], findings: [] };
  const lines = new LineIndex(text);
  const starts = new LineCursor(text);
  let index = 0;
  // The parser keeps a `%YAML` version for the rest of the stream: carry it across pieces.
  let version: DocumentOptions['version'] = '1.2';
  for (const piece of splitYamlStream(text)) {
    const empty = emptyDocumentCount(piece.text);
    if (empty !== undefined) {
      index += empty;
      continue;
    }
    const json = parseJson(piece.text);
    if (json) {
      index += 1;
      const line = starts.lineAt(piece.offset + Math.max(0, piece.text.search(/\S/)));
      result.objects.push({ object: json.value, location: { file, document: index, line } });
      continue;
    }
    if (piece.text.length > MAX_YAML_DOCUMENT) {
      index += 1;
      result.findings.push(tooBig({ file, document: index }, piece.text.length));
      continue;
    }
    const first = index + 1;
    try {
      for (const document of parseAllDocuments(piece.text, { ...PARSE_OPTIONS, version })) {
        index += 1;
        version = document.directives.yaml.version;
        const start = piece.offset + (document.contents?.range[0] ?? document.range[0]);
        const location = { file, document: index, line: starts.lineAt(start) };
        readDocument(document, location, piece.offset, lines, result);
      }
    } catch (error) {
      // The parser is not ours: should it throw on a hostile document, that document is lost,
      // not the file.
      index = Math.max(index, first);
      result.findings.push(refusal({ file, document: index }, error, piece, lines));
    }
  }
  return result;
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
    message: `refused: the document is ${megabytes(length)} of YAML, over the ${megabytes(MAX_YAML_DOCUMENT)} limit (parsing takes about 100 times that in memory); give it as JSON (-o json) or as several documents`,
    location,
  };
}

function refusal(
  location: SourceLocation,
  error: unknown,
  piece: StreamPiece,
  lines: LineIndex,
): Finding {
  const why = errorMessage(error).split('\n')[0];
  const { line } = lines.position(piece.offset);
  return {
    severity: 'error',
    code: 'malformed-document',
    message: `cannot parse the document starting at line ${line}: ${why}`,
    location,
  };
}

function readDocument(
  document: Document.Parsed,
  location: SourceLocation,
  offset: number,
  lines: LineIndex,
  result: ParsedManifests,
): void {
  const at = (position: number) => {
    const { line, col } = lines.position(offset + position);
    return `at line ${line}, column ${col}`;
  };
  const fail = (message: string) => {
    const object = documentObject(document);
    result.findings.push({
      severity: 'error',
      code: 'malformed-document',
      message,
      ...(object ? { object } : {}),
      location,
    });
  };
  const [error] = document.errors;
  if (error) {
    const first = error.message.split('\n')[0] ?? 'parse error';
    fail(`malformed YAML: ${first} ${at(error.pos[0])}`);
    return;
  }
  const problem = structureProblem(document);
  if (problem) {
    fail(`${problem.message} ${at(problem.offset)}`);
    return;
  }
  for (const warning of yaml11BooleanFindings(
    document,
    (position) => lines.position(offset + position).line,
    location,
  )) {
    result.findings.push(warning);
  }
  let object: unknown;
  try {
    object = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    // Aliases expand beyond the limit ("billion laughs").
    fail(`refused: aliases expand to more than ${MAX_ALIASES} copies of a node (an alias bomb)`);
    return;
  }
  if (object !== null && object !== undefined) result.objects.push({ object, location });
}
