import type { Key } from 'ink';
import { keyName } from './keymap.js';

/**
 * What one read from the terminal holds, in order. ink hands over a whole read as one string
 * ("jjj" typed fast or repeated by a held key, "/web\r"), so it is split here into keys and
 * runs of printable text; whether a run is typed into a field or taken as keys depends on
 * where the focus is when the run's turn comes.
 */
export type KeyPress =
  /** A key by its keymap name ("j", "enter", "ctrl+z"), with the character it types ('' if none). */
  | { readonly kind: 'key'; readonly name: string; readonly text: string }
  /** Printable characters that arrived together. */
  | { readonly kind: 'text'; readonly text: string }
  /** Text the terminal marked as pasted (bracketed paste): never taken as keys. */
  | { readonly kind: 'paste'; readonly text: string }
  /**
   * A printable character read right after an esc: alt+character (Option as Meta) and esc
   * typed fast before it send the same bytes, so what it does depends on the focus.
   */
  | { readonly kind: 'after-esc'; readonly text: string };

/** A key press, as the keymap and the reducer take it. */
export type NamedKey = Extract<KeyPress, { kind: 'key' }>;

/** Names of the control characters that can arrive inside a read (tab, enter, ctrl+letter). */
function controlName(code: number): string | undefined {
  if (code === 0x09) return 'tab';
  if (code === 0x0a || code === 0x0d) return 'enter';
  if (code === 0x08 || code === 0x7f) return 'backspace';
  if (code >= 0x01 && code <= 0x1a) return `ctrl+${String.fromCharCode(code + 0x60)}`;
  return undefined;
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** The key a single printable character is. */
function characterKey(char: string): NamedKey {
  return { kind: 'key', name: char === ' ' ? 'space' : char, text: char };
}

const ESC = '\u001b';
/** The esc key. */
export const ESC_KEY: NamedKey = { kind: 'key', name: 'esc', text: '' };

/** Splits what ink delivered for one read into key presses and runs of text, in order. */
export function keyPresses(input: string, key: Key): KeyPress[] {
  // ink reads ESC ESC (esc pressed twice fast; alt+esc sends the same bytes) as one meta+escape.
  if (key.escape && key.meta && input === ESC) return [ESC_KEY, ESC_KEY];
  if (key.meta && !key.ctrl && [...input].length === 1 && !isControl(input.codePointAt(0) ?? 0))
    return [{ kind: 'after-esc', text: input }];
  const characters = [...input];
  const flagged = Object.entries(key).some(([flag, on]) => on === true && flag !== 'shift');
  if (characters.length <= 1 || flagged) {
    const name = keyName(input, key);
    const text = !key.ctrl && !key.meta && !isControl(input.codePointAt(0) ?? 0) ? input : '';
    return [{ kind: 'key', name, text }];
  }
  const presses: KeyPress[] = [];
  let run = '';
  for (const char of characters) {
    const code = char.codePointAt(0) ?? 0;
    if (!isControl(code)) {
      run += char;
      continue;
    }
    if (run) presses.push({ kind: 'text', text: run });
    run = '';
    const name = controlName(code);
    // Other control bytes (NUL, C1) stand for no key: dropped rather than typed.
    if (name) presses.push({ kind: 'key', name, text: '' });
  }
  if (run) presses.push({ kind: 'text', text: run });
  return presses;
}

/** A run of text taken as keys: its first character as a key, and the rest still to come. */
export function firstKey(text: string): { key: NamedKey; rest: KeyPress[] } {
  const [first = '', ...others] = [...text];
  const rest = others.join('');
  return { key: characterKey(first), rest: rest ? [{ kind: 'text', text: rest }] : [] };
}

/** Pasted text as one line for a field: line breaks become spaces, other controls go. */
export function pastedLine(text: string): string {
  return [...text.replace(/\r\n|[\r\n]/g, ' ')]
    .filter((char) => !isControl(char.codePointAt(0) ?? 0))
    .join('')
    .trim();
}
