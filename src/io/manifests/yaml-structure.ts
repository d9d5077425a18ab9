import { EVENT_ID, type Event, getScalarValue, SCALAR_STYLE, type ScalarEvent } from 'js-yaml';
import { type Yaml11Boolean, yaml11BooleanAt } from './yaml11.js';

/** Aliases a document may hold or expand to: real manifests use a handful, attacks millions. */
const MAX_ALIASES = 1000;

/** Why a parsed document is refused before it is converted to plain data (one line). */
export interface StructureProblem {
  readonly message: string;
  /** Offset of the offending node in the parsed text, when one node is to blame. */
  readonly offset?: number;
}

/** An unquoted y/yes/on/n/no/off scalar: a boolean to kubectl, a string here. */
export interface Yaml11Hit extends Yaml11Boolean {
  readonly offset: number;
  readonly role: 'key' | 'value';
  /** `metadata.labels.enabled`, `items[2].name`; empty at the top level. */
  readonly path: string;
}

/** What one pass over a document's parser events finds before anything is built. */
export interface DocumentScan {
  /** Index of the event closing the document. */
  readonly end: number;
  /**
   * "Kind namespace/name" when the header is plain scalars, for messages; undefined too when
   * the document was read without frames (nothing to report): documentName finds it.
   */
  readonly object: string | undefined;
  readonly problem: StructureProblem | undefined;
  /** The first hits of the YAML 1.1 check (when asked for), with their total. */
  readonly yaml11: { readonly listed: Yaml11Hit[]; readonly count: number };
}

/** A collection being read, or the document around the root node. */
interface Frame {
  readonly kind: 'document' | 'mapping' | 'sequence';
  readonly anchor: string | undefined;
  /** Alias resolutions a full expansion of this node performs. */
  uses: number;
  /** Items read so far (a mapping counts keys and values). */
  items: number;
  /** The mapping's current key when it is a scalar. */
  key: ScalarEvent | undefined;
}

/** Options of a scan: how many YAML 1.1 hits to keep (0 skips the check). */
export interface ScanOptions {
  readonly yaml11Listed: number;
}

/** A node's event: a collection's opening, a scalar or an alias. */
export type NodeEvent = Exclude<Event, { type: typeof EVENT_ID.DOCUMENT | typeof EVENT_ID.POP }>;

/**
 * Offset of a node's first character: its tag or anchor if it has one, the `*` of an alias, the
 * opening quote of a quoted scalar (the event's value is inside the quotes).
 */
export function nodeStart(event: NodeEvent): number {
  if (event.type === EVENT_ID.ALIAS) return event.anchorStart - 1;
  const value =
    event.type !== EVENT_ID.SCALAR
      ? event.start
      : event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED
        ? event.valueStart - 1
        : event.valueStart;
  return Math.min(...[event.tagStart, event.anchorStart, value].filter((offset) => offset >= 0));
}

const anchorName = (source: string, event: { anchorStart: number; anchorEnd: number }) =>
  event.anchorStart === -1 ? undefined : source.slice(event.anchorStart, event.anchorEnd);

/** The path of the node being read: its ancestors' keys and indices (and its own key). */
function fieldPath(source: string, frames: readonly Frame[], ownKey?: ScalarEvent): string {
  let path = '';
  for (const frame of frames) {
    if (frame.kind === 'sequence') path += `[${frame.items}]`;
    else if (frame.kind === 'mapping') {
      const key = frame === frames.at(-1) && ownKey ? ownKey : frame.key;
      if (key) path += `${path ? '.' : ''}${getScalarValue(source, key)}`;
    }
  }
  return path;
}

/**
 * Reads the events of one document (from its DOCUMENT event at `start`), in time linear in
 * their number, and finds what would make building it unsafe: an alias inside the node it
 * refers to (a cycle: the data would be infinite), more than MAX_ALIASES aliases, or aliases
 * that expand to more than MAX_ALIASES copies of a node (a "billion laughs"). It also names
 * the object and lists plain y/yes/on/n/no/off scalars for the YAML 1.1 check.
 */
export function scanDocument(
  events: readonly Event[],
  start: number,
  source: string,
  options: ScanOptions,
): DocumentScan {
  const end = plainDocumentEnd(events, start, source, options);
  if (end === undefined) return fullScan(events, start, source, options);
  return { end, object: undefined, problem: undefined, yaml11: { listed: [], count: 0 } };
}

/**
 * "Kind namespace/name" of a document whose header is plain scalars, for a message when
 * building it fails: a document scanDocument read without frames was not named then.
 */
export function documentName(
  events: readonly Event[],
  start: number,
  source: string,
): string | undefined {
  return fullScan(events, start, source, { yaml11Listed: 0 }).object;
}

/**
 * Index of the event closing a document in which the full scan would find nothing (no anchor,
 * no alias, no YAML 1.1 word when asked for): most manifests. Undefined for any other, which
 * the full scan reads. Keeping no frames, it takes half the time of that scan.
 */
function plainDocumentEnd(
  events: readonly Event[],
  start: number,
  source: string,
  options: ScanOptions,
): number | undefined {
  const yaml11 = options.yaml11Listed > 0;
  let depth = 0;
  for (let index = start; index < events.length; index += 1) {
    const event = events[index] as Event;
    switch (event.type) {
      case EVENT_ID.ALIAS:
        return undefined;
      case EVENT_ID.POP:
        depth -= 1;
        if (depth === 0) return index;
        break;
      case EVENT_ID.DOCUMENT:
        depth += 1;
        break;
      case EVENT_ID.SCALAR:
        if (event.anchorStart !== -1) return undefined;
        if (yaml11 && yaml11WordOf(source, event)) return undefined;
        break;
      default:
        if (event.anchorStart !== -1) return undefined;
        depth += 1;
    }
  }
  return undefined;
}

/**
 * The boolean YAML 1.1 reads in a plain scalar without a tag (a tag, `!!str yes`, says how to
 * read it, to kubectl too).
 */
function yaml11WordOf(source: string, event: ScalarEvent): Yaml11Boolean | undefined {
  if (event.style !== SCALAR_STYLE.PLAIN || event.tagStart !== -1) return undefined;
  return yaml11BooleanAt(source, event.valueStart, event.valueEnd);
}

/** scanDocument event by event, keeping the collections open around each. */
function fullScan(
  events: readonly Event[],
  start: number,
  source: string,
  options: ScanOptions,
): DocumentScan {
  const frames: Frame[] = [];
  const anchorUses = new Map<string, number>();
  const header = { kind: '', name: '', namespace: '' };
  const listed: Yaml11Hit[] = [];
  let count = 0;
  let aliases = 0;
  let problem: StructureProblem | undefined;
  let index = start;

  const open = (kind: Frame['kind'], anchor: string | undefined) =>
    frames.push({ kind, anchor, uses: 0, items: 0, key: undefined });
  /** Records a finished node in its parent: as a mapping key or value, or a list item. */
  const place = (node: ScalarEvent | undefined) => {
    const parent = frames.at(-1);
    if (!parent) return;
    if (parent.kind === 'mapping' && parent.items % 2 === 0) parent.key = node;
    parent.items += 1;
  };
  /** Notes `kind`, `metadata.name` and `metadata.namespace` as they are read. */
  const readHeader = (event: ScalarEvent) => {
    const parent = frames.at(-1);
    if (frames.length > 3 || parent?.kind !== 'mapping' || parent.items % 2 === 0) return;
    const field = parent.key && getScalarValue(source, parent.key);
    const root = frames[1];
    // A repeated key (refused later) is named by its first value.
    if (frames.length === 2 && field === 'kind') header.kind ||= getScalarValue(source, event);
    else if (frames.length === 3 && root?.key && getScalarValue(source, root.key) === 'metadata') {
      if (field === 'name') header.name ||= getScalarValue(source, event);
      if (field === 'namespace') header.namespace ||= getScalarValue(source, event);
    }
  };
  const checkYaml11 = (event: ScalarEvent) => {
    const hit = yaml11WordOf(source, event);
    if (!hit) return;
    count += 1;
    if (listed.length >= options.yaml11Listed) return;
    const parent = frames.at(-1);
    const role = parent?.kind === 'mapping' && parent.items % 2 === 0 ? 'key' : 'value';
    const path = fieldPath(source, frames, role === 'key' ? event : undefined);
    listed.push({ ...hit, offset: event.valueStart, role, path });
  };
  const alias = (name: string, offset: number): StructureProblem | undefined => {
    aliases += 1;
    if (frames.some((frame) => frame.anchor === name)) {
      return {
        message: `refused: the alias *${name} lies inside the node anchored &${name} (a cycle)`,
        offset,
      };
    }
    if (aliases > MAX_ALIASES)
      return { message: `refused: more than ${MAX_ALIASES} aliases`, offset };
    return addUses(1 + (anchorUses.get(name) ?? 0));
  };
  /** Adds alias resolutions to the node being read; a whole document may do MAX_ALIASES. */
  const addUses = (uses: number): StructureProblem | undefined => {
    const parent = frames.at(-1);
    if (!parent) return undefined;
    parent.uses += uses;
    if (parent.uses <= MAX_ALIASES) return undefined;
    return {
      message: `refused: aliases expand to more than ${MAX_ALIASES} copies of a node (an alias bomb)`,
    };
  };

  for (; index < events.length && !problem; index += 1) {
    const event = events[index] as Event;
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        open('document', undefined);
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        open(event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence', anchorName(source, event));
        break;
      case EVENT_ID.SCALAR: {
        const anchor = anchorName(source, event);
        if (anchor !== undefined) anchorUses.set(anchor, 0);
        if (options.yaml11Listed > 0) checkYaml11(event);
        readHeader(event);
        place(event);
        break;
      }
      case EVENT_ID.ALIAS:
        // The event's range is the name; the node starts at the `*` before it.
        problem = alias(source.slice(event.anchorStart, event.anchorEnd), event.anchorStart - 1);
        place(undefined);
        break;
      case EVENT_ID.POP: {
        const frame = frames.pop();
        if (!frame || frame.kind === 'document') return scan(index);
        if (frame.anchor !== undefined) anchorUses.set(frame.anchor, frame.uses);
        problem = addUses(frame.uses);
        place(undefined);
        break;
      }
    }
  }
  return scan(documentEnd(events, index, frames.length));

  function scan(end: number): DocumentScan {
    const { kind, name, namespace } = header;
    const object = kind && name ? `${kind} ${namespace ? `${namespace}/` : ''}${name}` : undefined;
    return { end, object, problem, yaml11: { listed, count } };
  }
}

/** Index of the event closing the document, from an event inside it `depth` levels deep. */
function documentEnd(events: readonly Event[], from: number, depth: number): number {
  let open = depth;
  let index = from;
  for (; index < events.length; index += 1) {
    const type = events[index]?.type;
    if (type === EVENT_ID.POP) open -= 1;
    else if (type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE) open += 1;
    if (open === 0) return index;
  }
  return events.length - 1;
}
