import type { Finding, SourceLocation } from '../../engine/index.js';
import type { Steps } from '../../steps.js';
import type { ParsedManifests, SourcedObject } from '../manifests/parse-text.js';
import { listItems } from '../normalize/normalize.js';
import { CILIUM_CONFIG_NAME } from '../normalize/normalize-cilium-policy.js';
import { readForm } from '../normalize/read-form.js';

type Data = Record<string, unknown>;

const isRecord = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a document cannot be stored: no entry is written for its file. */
class Unstorable extends Error {}

/** Whether a value is JSON that reads back the same, within a budget of collections. */
function isPlainJson(value: unknown, budget: { left: number }): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  budget.left -= 1;
  if (budget.left < 0) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], budget)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const record = value as Data;
  for (const key in record) if (!isPlainJson(record[key], budget)) return false;
  return true;
}

/** An object the normaliser reads in full, checked to be plain JSON. */
function storedWhole(object: Data, budget: { left: number }): Data {
  // Cilium's agent configuration is read in full, and it is a ConfigMap: not stored at all.
  if (object.kind === 'ConfigMap' && isRecord(object.metadata)) {
    if (object.metadata.name === CILIUM_CONFIG_NAME) throw new Unstorable('cilium-config');
  }
  if (!isPlainJson(object, budget)) throw new Unstorable('not plain JSON');
  return object;
}

/**
 * What is stored of a decoded document: what the normaliser reads of it (readForm), each
 * object it reads in full checked to be plain JSON.
 */
function storedDocument(document: unknown, budget: { left: number }): Data {
  if (!isRecord(document)) throw new Unstorable('not a mapping');
  const items = listItems(document);
  if (items?.some((item) => !isRecord(item))) {
    throw new Unstorable('a List item that is not a mapping');
  }
  if (items && !isPlainJson(document.apiVersion ?? null, budget)) {
    throw new Unstorable('not plain JSON');
  }
  return readForm(document, (object) => storedWhole(object, budget)) as Data;
}

/** Whether a document is stored as it was read (else in part: a kind only counted, or a List of some). */
function isWhole(stored: Data, document: unknown): boolean {
  if (stored === document) return true;
  const { items } = stored;
  const read = isRecord(document) ? document.items : undefined;
  return Array.isArray(items) && Array.isArray(read) && items.every((item, i) => item === read[i]);
}

/** A location without its file, which the entry does not hold. */
type Placeless = Omit<SourceLocation, 'file'>;

function placeless({ file: _file, ...rest }: SourceLocation): Placeless {
  return rest;
}

/**
 * The text of a cache entry's payload for a file's parse, or undefined when it is not stored:
 * a line of the findings, then a line per object (JSON has no raw newline), so that reading it
 * can go a document at a time.
 */
export function encodeParsed(parsed: ParsedManifests, textLength: number): string | undefined {
  // Each collection takes 2 characters of text at least; more came from aliases.
  const budget = { left: textLength / 2 + 1 };
  try {
    const cut = new Set<number | undefined>();
    const objects = parsed.objects.map(({ object, location }) => {
      const stored = storedDocument(object, budget);
      if (!isWhole(stored, object)) cut.add(location.document);
      return JSON.stringify([placeless(location), stored]);
    });
    const findings = parsed.findings.map((finding) => {
      // The YAML 1.1 check quotes the field and its word: of a Secret's, that is its data.
      if (finding.code === 'yaml11-boolean' && cut.has(finding.location?.document)) {
        throw new Unstorable('a YAML 1.1 word in data not stored');
      }
      return finding.location ? { ...finding, location: placeless(finding.location) } : finding;
    });
    return [JSON.stringify(findings), ...objects].join('\n');
  } catch (error) {
    if (error instanceof Unstorable) return undefined;
    throw error;
  }
}

/** JSON's value, or undefined when the text is not JSON. */
function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A file's parse from a cache entry's payload, located in `file`, in steps (an object a step);
 * undefined if malformed.
 */
export function* decodeParsedSteps(
  payload: string,
  file: string,
): Steps<ParsedManifests | undefined> {
  const lines = payload.split('\n');
  const findingsRead = parsedJson(lines[0] ?? '');
  if (!Array.isArray(findingsRead)) return undefined;
  const findings: Finding[] = [];
  for (const finding of findingsRead) {
    if (!isRecord(finding)) return undefined;
    const { location } = finding;
    findings.push(
      (isRecord(location)
        ? { ...finding, location: { file, ...location } }
        : finding) as unknown as Finding,
    );
  }
  const objects: SourcedObject[] = [];
  for (let i = 1; i < lines.length; i++) {
    const entry = parsedJson(lines[i] ?? '');
    if (!Array.isArray(entry) || entry.length !== 2 || !isRecord(entry[0])) return undefined;
    objects.push({ object: entry[1], location: { file, ...entry[0] } });
    yield;
  }
  return { objects, findings };
}
