import { escapeQuotedUnsafe } from './terminal-text.js';

// Apart from YAML (structured.ts): the yaml package it needs is not loaded for JSON output.

/**
 * Data as JSON text that is exact and safe on a terminal: JSON.stringify escapes the C0
 * controls itself; C1 controls and bidi characters, which it leaves raw, become `\uXXXX`.
 */
export function jsonText(data: unknown, indent?: number): string {
  return escapeQuotedUnsafe(JSON.stringify(data, null, indent));
}

/** Whether JSON.stringify leaves a value out of an object (and writes null for it in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Whether a value is an array or a plain object that JSON.stringify walks member by member. */
function isWalked(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/**
 * The text of `jsonText(data, indent)` for an indent of 1 or more, in pieces, so that no one
 * string has to hold a document of any size (V8 caps a string at about 512 MB): arrays and
 * objects down to `depth` levels are written member by member, deeper values whole.
 */
export function* jsonTextPieces(
  data: unknown,
  indent: number,
  depth = 4,
  margin = '',
): Generator<string> {
  if (depth === 0 || !isWalked(data)) {
    // JSON.stringify escapes a newline inside a string, so every raw newline is layout.
    yield jsonText(data, indent).replaceAll('\n', `\n${margin}`);
    return;
  }
  const inner = margin + ' '.repeat(indent);
  const array = Array.isArray(data);
  const members: [string, unknown][] = array
    ? data.map((value, index) => [String(index), isOmitted(value) ? null : value])
    : Object.entries(data).filter(([, value]) => !isOmitted(value));
  const [open, close] = array ? ['[', ']'] : ['{', '}'];
  if (members.length === 0) {
    yield `${open}${close}`;
    return;
  }
  let separator = `${open}\n${inner}`;
  for (const [key, value] of members) {
    yield array ? separator : `${separator}${jsonText(key)}: `;
    yield* jsonTextPieces(value, indent, depth - 1, inner);
    separator = `,\n${inner}`;
  }
  yield `\n${margin}${close}`;
}
