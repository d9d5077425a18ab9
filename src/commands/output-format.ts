import type { Argv } from 'yargs';
import { UserError } from '../errors.js';

/** A JSONPath template given inline or in a file: `-o jsonpath=TEMPLATE`, `-o jsonpath-file=FILE`. */
export type JsonPathFormat = `jsonpath=${string}` | `jsonpath-file=${string}`;

/** Output formats of -o: text (the default), wide, name, a document, or a JSONPath template. */
export type OutputFormat = 'text' | 'wide' | 'name' | 'json' | 'yaml' | JsonPathFormat;

/** A format's name: what -o is before any `=`. */
export type FormatName = 'text' | 'wide' | 'name' | 'json' | 'yaml' | 'jsonpath' | 'jsonpath-file';

/** The formats every analysing command takes. */
export const DOCUMENT_FORMATS: readonly FormatName[] = [
  'text',
  'json',
  'yaml',
  'jsonpath',
  'jsonpath-file',
];

/** matrix's graph formats: drawn by us (dot, mermaid) or by Graphviz (svg). */
export const GRAPH_OUTPUTS = ['dot', 'mermaid', 'svg'] as const;

/** The formats of each command's -o, by command name (scaffold's subcommands share one). */
export const COMMAND_FORMATS = {
  check: DOCUMENT_FORMATS,
  explain: ['text', 'wide', 'name', ...DOCUMENT_FORMATS.slice(1)],
  matrix: ['text', 'wide', 'name', ...DOCUMENT_FORMATS.slice(1), ...GRAPH_OUTPUTS],
  diff: DOCUMENT_FORMATS,
  audit: ['text', 'name', ...DOCUMENT_FORMATS.slice(1)],
  scaffold: ['text', 'json', 'yaml'],
} satisfies Record<string, readonly string[]>;

/** What completion offers after a command's -o: template formats end in `=`. */
export function outputCompletions(command: string): string[] {
  const formats: readonly string[] =
    (COMMAND_FORMATS as Record<string, readonly string[]>)[command] ?? [];
  return formats.map((name) => (name.startsWith('jsonpath') ? `${name}=` : name));
}

/** Whether -o asks for a JSONPath template. */
export function isJsonPath(format: string): format is JsonPathFormat {
  return format.startsWith('jsonpath=') || format.startsWith('jsonpath-file=');
}

/** The format's name: `jsonpath` for `jsonpath=TEMPLATE`. */
export function formatName(format: string): string {
  const equals = format.indexOf('=');
  return equals === -1 ? format : format.slice(0, equals);
}

/**
 * What the user typed after -o, checked against the formats a command takes; kubectl's words
 * when it is not one of them, or when a template format has no template.
 */
export function checkedOutput<F extends string>(format: string, allowed: readonly string[]): F {
  const name = formatName(format);
  if (!allowed.includes(name))
    throw new UserError(
      `unable to match a printer suitable for the output format "${format}", allowed formats are: ${allowed.join(',')}`,
    );
  if ((name === 'jsonpath' || name === 'jsonpath-file') && format.length <= name.length + 1)
    throw new UserError('template format specified but no template given');
  if (name !== 'jsonpath' && name !== 'jsonpath-file' && name !== format)
    throw new UserError(`-o ${format}: ${name} takes no value`);
  return format as F;
}

/** The help text of -o: the formats a command takes, templates shown with their argument. */
export function outputDescription(allowed: readonly string[], note = ''): string {
  const shown = allowed.map((name) =>
    name === 'jsonpath'
      ? 'jsonpath=TEMPLATE'
      : name === 'jsonpath-file'
        ? 'jsonpath-file=FILE'
        : name,
  );
  return `output format: ${shown.join(', ')}${note ? `; ${note}` : ''}`;
}

/** Declares -o with the formats a command takes (text by default), checked as it is parsed. */
export function outputOption<T>(yargs: Argv<T>, allowed: readonly string[], note = '') {
  return yargs.option('output', {
    alias: 'o',
    type: 'string',
    default: 'text',
    requiresArg: true,
    // Given twice, the last -o counts, as in kubectl.
    coerce: (format: string | string[]) =>
      checkedOutput(Array.isArray(format) ? (format.at(-1) ?? '') : format, allowed),
    describe: outputDescription(allowed, note),
  });
}
