import { EVENT_ID, type Event, getScalarValue, SCALAR_STYLE, type ScalarEvent } from 'js-yaml';
import { type Yaml11Boolean, yaml11Boolean } from './yaml11.js';

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

/** One container of a document as its plain scalars read: empty where a field is absent. */
export interface ScannedContainer {
  readonly name: string;
  readonly image: string;
}

/**
 * What a document is, told from its scalars alone: apiVersion, kind and metadata.namespace are
 * plain, untagged, unanchored scalars, and nothing in the document (an alias, a `<<` merge key,
 * a tag on a collection) could make the built object differ from what they say. `containers`
 * holds every mapping item of every `containers` sequence, at any depth (a pod's and a
 * template's alike).
 */
export interface PlainHeader {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /**
   * metadata.labels, when each is told by its scalars (see labelEntry); undefined when one is
   * not (a null value, a tag, a key that YAML might read as no string, a nested collection).
   */
  readonly labels: Readonly<Record<string, string>> | undefined;
  readonly containers: readonly ScannedContainer[];
}

/** What one pass over a document's parser events finds before anything is built. */
export interface DocumentScan {
  /** Index of the event closing the document. */
  readonly end: number;
  /** "Kind namespace/name" when the header is plain scalars, for messages. */
  readonly object: string | undefined;
  /** The header, when the document can be told by it alone (see PlainHeader). */
  readonly header: PlainHeader | undefined;
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
  /** What the node is to the header: metadata.labels, or a container (a `containers` item). */
  readonly role: 'labels' | { name: string; image: string } | undefined;
}

/** Options of a scan: how many YAML 1.1 hits to keep (0 skips the check). */
export interface ScanOptions {
  readonly yaml11Listed: number;
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
 * Reads the events of one document (from its DOCUMENT event at `start`) once, in time linear
 * in their number, and finds what would make building it unsafe: an alias inside the node it
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
  const frames: Frame[] = [];
  const anchorUses = new Map<string, number>();
  const header = { kind: '', name: '', namespace: '' };
  /** The scalars apiVersion, kind and metadata.namespace were read from, when plain. */
  const plain = { apiVersion: undefined as string | undefined, kind: false, namespace: false };
  /** An alias, a merge key or a tagged collection: what the scalars say may not be the object. */
  let indirect = false;
  const containers: { name: string; image: string }[] = [];
  let labels: Record<string, string> | undefined = {};
  const listed: Yaml11Hit[] = [];
  let count = 0;
  let aliases = 0;
  let problem: StructureProblem | undefined;
  let index = start;

  const open = (kind: Frame['kind'], anchor: string | undefined) => {
    const parent = frames.at(-1);
    // A collection inside the labels makes them unknown (the object is refused).
    if (parent?.role === 'labels') labels = undefined;
    frames.push({ kind, anchor, uses: 0, items: 0, key: undefined, role: roleOf(kind) });
  };
  /** The role of a mapping opening (see Frame.role), from where it opens. */
  const roleOf = (kind: Frame['kind']): Frame['role'] => {
    const depth = frames.length;
    if (kind !== 'mapping') return undefined;
    const [parent, owner] = [frames[depth - 1], frames[depth - 2]];
    if (parent?.kind === 'sequence' && owner?.key && isKey(source, owner.key, 'containers')) {
      const container = { name: '', image: '' };
      containers.push(container);
      return container;
    }
    const root = frames[1];
    const atLabels =
      depth === 3 &&
      parent?.key !== undefined &&
      isKey(source, parent.key, 'labels') &&
      root?.key !== undefined &&
      isKey(source, root.key, 'metadata');
    return atLabels ? 'labels' : undefined;
  };
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
    if (frames.length === 2 && field === 'kind' && !header.kind) {
      header.kind = getScalarValue(source, event);
      plain.kind = isPlain(event);
    } else if (frames.length === 2 && field === 'apiVersion' && plain.apiVersion === undefined) {
      plain.apiVersion = isPlain(event) ? getScalarValue(source, event) : '';
    } else if (
      frames.length === 3 &&
      root?.key &&
      getScalarValue(source, root.key) === 'metadata'
    ) {
      if (field === 'name') header.name ||= getScalarValue(source, event);
      if (field === 'namespace' && !header.namespace) {
        header.namespace = getScalarValue(source, event);
        plain.namespace = isPlain(event);
      }
    }
  };
  /** Notes a label, or a container's name or image, from a mapping's value. */
  const readRole = (event: ScalarEvent) => {
    const parent = frames.at(-1);
    const role = parent?.role;
    if (!role || parent.items % 2 === 0 || !parent.key) return;
    if (role === 'labels') {
      if (!labels) return;
      const entry = labelEntry(source, parent.key, event);
      if (entry) labels[entry[0]] ??= entry[1];
      else labels = undefined;
      return;
    }
    const field = isKey(source, parent.key, 'name')
      ? 'name'
      : isKey(source, parent.key, 'image')
        ? 'image'
        : undefined;
    if (field && !role[field]) role[field] = getScalarValue(source, event);
  };
  const checkYaml11 = (event: ScalarEvent) => {
    // A tag (`!!str yes`) says how to read the scalar, to kubectl too.
    const plain = event.style === SCALAR_STYLE.PLAIN && event.tagStart === -1;
    if (!plain || event.valueEnd - event.valueStart > 3) return;
    const hit = yaml11Boolean(source.slice(event.valueStart, event.valueEnd));
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
        if (event.tagStart !== -1) indirect = true;
        open(event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence', anchorName(source, event));
        break;
      case EVENT_ID.SCALAR: {
        const anchor = anchorName(source, event);
        if (anchor !== undefined) anchorUses.set(anchor, 0);
        if (options.yaml11Listed > 0) checkYaml11(event);
        readHeader(event);
        readRole(event);
        if (isMergeKey(source, event, frames.at(-1))) indirect = true;
        place(event);
        break;
      }
      case EVENT_ID.ALIAS:
        indirect = true;
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
    const { apiVersion } = plain;
    const told = !indirect && plain.kind && plain.namespace && apiVersion;
    return {
      end,
      object,
      header: told ? { apiVersion, kind, name, namespace, labels, containers } : undefined,
      problem,
      yaml11: { listed, count },
    };
  }
}

/** Plain scalars that YAML 1.2 or 1.1 may read as no string (any case): null, booleans. */
export const NOT_STRINGS = new Set(['null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);

/** Plain scalars that YAML reads as null, which a label map leaves out. */
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

/**
 * A label as its scalars tell it: the key quoted, or plain and starting with a letter and no
 * word YAML may read otherwise; the value untagged and not null (a value YAML reads as another
 * scalar than a string makes the object invalid, whatever its text). Undefined otherwise.
 */
function labelEntry(
  source: string,
  key: ScalarEvent,
  value: ScalarEvent,
): [string, string] | undefined {
  if (key.tagStart !== -1 || value.tagStart !== -1) return undefined;
  const name = getScalarValue(source, key);
  const keyTold =
    key.style !== SCALAR_STYLE.PLAIN ||
    (/^[A-Za-z]/.test(name) && !NOT_STRINGS.has(name.toLowerCase()));
  const text = getScalarValue(source, value);
  if (!keyTold || (value.style === SCALAR_STYLE.PLAIN && NULLS.has(text))) return undefined;
  return [name, text];
}

/** Whether a key scalar says `name`: compared in place when plain, decoded otherwise. */
function isKey(source: string, key: ScalarEvent, name: string): boolean {
  if (key.style !== SCALAR_STYLE.PLAIN) return getScalarValue(source, key) === name;
  return key.valueEnd - key.valueStart === name.length && source.startsWith(name, key.valueStart);
}

/** A scalar read as written: plain style, no tag, no anchor. */
function isPlain(event: ScalarEvent): boolean {
  return event.style === SCALAR_STYLE.PLAIN && event.tagStart === -1 && event.anchorStart === -1;
}

/** Whether a scalar is a `<<` key of a mapping (a merge: the mapping takes another's keys). */
function isMergeKey(source: string, event: ScalarEvent, parent: Frame | undefined): boolean {
  return (
    parent?.kind === 'mapping' &&
    parent.items % 2 === 0 &&
    event.valueEnd - event.valueStart === 2 &&
    event.style === SCALAR_STYLE.PLAIN &&
    source.startsWith('<<', event.valueStart)
  );
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
