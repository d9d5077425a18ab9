import type { Finding, SourceLocation } from '../../engine/index.js';

/** Plain scalars that YAML 1.1 (which kubectl reads) takes for booleans and YAML 1.2 for strings. */
const YAML11_BOOLEANS: ReadonlyMap<string, boolean> = new Map(
  ['y', 'yes', 'on', 'n', 'no', 'off'].flatMap((word) => {
    const value = ['y', 'yes', 'on'].includes(word);
    const forms = [word, word[0]?.toUpperCase() + word.slice(1), word.toUpperCase()];
    return [...new Set(forms)].map((form) => [form, value] as const);
  }),
);

/** Warnings given one by one per document; the rest are counted in one more. */
export const MAX_LISTED = 10;

/** A plain scalar's text and the boolean YAML 1.1 reads in it. */
export interface Yaml11Boolean {
  readonly text: string;
  readonly boolean: boolean;
}

/** The first letters of those words (y, n, o, in either case), as character codes. */
const INITIALS: ReadonlySet<number> = new Set(
  [...YAML11_BOOLEANS.keys()].map((w) => w.charCodeAt(0)),
);

/**
 * The boolean kubectl reads in the plain scalar `source[start, end)`, when YAML 1.1 and 1.2
 * read it apart. Its length and first letter are checked before any text is cut out: most
 * scalars are longer, or start otherwise.
 */
export function yaml11BooleanAt(
  source: string,
  start: number,
  end: number,
): Yaml11Boolean | undefined {
  if (end - start > 3 || !INITIALS.has(source.charCodeAt(start))) return undefined;
  const text = source.slice(start, end);
  const boolean = YAML11_BOOLEANS.get(text);
  return boolean === undefined ? undefined : { text, boolean };
}

/** One unquoted y/yes/on/n/no/off met in a document, where it is and what it is. */
export interface Yaml11Use extends Yaml11Boolean {
  /** 1-based line and column of the word in the file. */
  readonly line: number;
  readonly column: number;
  readonly role: 'key' | 'value';
  readonly path: string;
}

/**
 * Warns about unquoted `y`, `yes`, `on`, `n`, `no`, `off` (any case), keys or values: strings
 * here (YAML 1.2), booleans to kubectl (YAML 1.1), so what kubectl applies differs from what
 * is analysed, and the API server rejects a boolean where a string belongs (labels, names).
 * The first MAX_LISTED are listed at their line and column with their field, the others
 * counted in one warning.
 */
export function yaml11BooleanFindings(
  listed: readonly Yaml11Use[],
  count: number,
  location: SourceLocation,
): Finding[] {
  const warn = (message: string, at = location): Finding => ({
    severity: 'warning',
    code: 'yaml11-boolean',
    message,
    location: at,
  });
  const findings = listed
    .slice(0, MAX_LISTED)
    .map(({ text, boolean, line, column, role, path }) =>
      warn(
        `${path || '(top level)'}: the unquoted ${role} ${text} is the boolean ${boolean} to kubectl (YAML 1.1), not the string "${text}" read here; quote it`,
        { ...location, line, column },
      ),
    );
  if (count > MAX_LISTED) {
    findings.push(
      warn(
        `${count - MAX_LISTED} more unquoted y/yes/on/n/no/off keys or values, booleans to kubectl (YAML 1.1); quote them`,
      ),
    );
  }
  return findings;
}
