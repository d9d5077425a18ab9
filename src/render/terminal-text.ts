/**
 * Making untrusted text safe for a terminal. Names, labels, messages of an API server or a
 * credential plugin may carry escape sequences (OSC 52 sets the clipboard, CSI 2J clears the
 * screen), C1 controls that some terminals obey, or bidi controls that reorder what is shown.
 * Shown escaped, they are harmless and still readable.
 */

/**
 * The longest value shown whole, in characters (code points): above the longest valid
 * Kubernetes name (253) and label key (317), so only values no API server accepts are cut.
 */
export const VALUE_LIMIT = 320;

/** The longest message (a finding, an error) shown whole, in characters. */
export const MESSAGE_LIMIT = 4000;

/**
 * Past the C0 controls, what a terminal acts on or what changes how a line reads: DEL, the C1
 * controls, the Arabic letter mark, LRM/RLM, the line and paragraph separators, and the bidi
 * embeddings, overrides and isolates. JSON.stringify leaves all of them raw.
 */
const INVISIBLE = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069';

/** Every control and invisible character. */
const UNSAFE = new RegExp(`[\\u0000-\\u001f${INVISIBLE}]`, 'gu');

/** The same, less newline and tab, which text of our own uses for layout. */
const UNSAFE_IN_BLOCK = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${INVISIBLE}]`, 'gu');

/** The characters JSON.stringify leaves raw in strings although a terminal acts on them. */
const UNSAFE_IN_JSON = new RegExp(`[${INVISIBLE}]`, 'gu');
/** The same, without the global flag, whose test() keeps no state between strings. */
const HAS_UNSAFE_IN_JSON = new RegExp(`[${INVISIBLE}]`, 'u');

/** `\x1b` for a code unit below 256, else `\u202e`: the escapes of JavaScript and YAML. */
function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  const hex = code.toString(16).padStart(code < 0x100 ? 2 : 4, '0');
  return code < 0x100 ? `\\x${hex}` : `\\u${hex}`;
}

/** `\u202e` for any unsafe character: the one escape form JSON and YAML both read. */
function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` cut after `limit` characters (code points), and a note of how many were left out. */
function clip(text: string, limit: number): { kept: string; note: string } {
  // Code units are at least as many as code points: only a long text needs counting.
  const chars = text.length > limit ? Array.from(text) : [];
  const cut = chars.length - limit;
  return cut > 0
    ? { kept: chars.slice(0, limit).join(''), note: `…(+${cut} chars)` }
    : { kept: text, note: '' };
}

/**
 * One untrusted value as it may be shown: every control (newline and tab included) and bidi
 * character escaped as `\x1b` or `\u202e`, a backslash doubled so that the result reads one
 * way only, and anything past `limit` characters replaced by `…(+N chars)`.
 */
export function terminalText(value: string, limit = VALUE_LIMIT): string {
  const { kept, note } = clip(value, limit);
  return `${kept.replace(/\\/g, '\\\\').replace(UNSAFE, escapeChar)}${note}`;
}

/** Values shown with terminalText, joined by `separator`. */
export function terminalList(values: readonly string[], separator = ', '): string {
  return values.map((value) => terminalText(value)).join(separator);
}

/** How many items a list in a sentence shows before counting the rest. */
const MAX_LISTED = 5;

/** "a, b, c and 2 more": the first few items, each in the words of `show`, then how many more. */
export function firstFewText<T>(items: readonly T[], show: (item: T) => string): string {
  const shown = items.slice(0, MAX_LISTED).map(show);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** "a, b, c and 2 more", shown safely; pod ids lose the namespace when it is the finding's. */
export function listText(items: readonly string[], namespace?: string): string {
  return firstFewText(items, (item) =>
    terminalText(
      namespace && item.startsWith(`${namespace}/`) ? item.slice(namespace.length + 1) : item,
    ),
  );
}

/**
 * A last guard for text of our own that holds untrusted values: every control and bidi
 * character escaped except newline and tab. Idempotent, and leaves text without them as it is.
 */
export function terminalBlock(text: string): string {
  return text.replace(UNSAFE_IN_BLOCK, escapeChar);
}

/**
 * An error message, which may quote an API server or a credential plugin and span lines: cut
 * after MESSAGE_LIMIT characters, and guarded as terminalBlock.
 */
export function terminalMessage(message: string): string {
  const { kept, note } = clip(message, MESSAGE_LIMIT);
  return `${terminalBlock(kept)}${note}`;
}

/** One line of our own output: as terminalBlock, and a newline inside it is escaped too. */
export function terminalLine(line: string): string {
  return line.replace(UNSAFE, escapeChar);
}

/**
 * JSON text (or YAML double-quoted scalars) with the characters a serialiser leaves raw written
 * as `\uXXXX`: the same value to a parser, and harmless on a terminal. Only valid where such
 * characters can occur inside quoted strings alone.
 */
export function escapeQuotedUnsafe(text: string): string {
  return text.replace(UNSAFE_IN_JSON, unicodeEscape);
}

/** Whether a string holds a character that escapeQuotedUnsafe rewrites. */
export function hasQuotedUnsafe(text: string): boolean {
  return HAS_UNSAFE_IN_JSON.test(text);
}
