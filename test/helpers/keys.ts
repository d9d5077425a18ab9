import type { Key } from 'ink';

/**
 * Key presses as a terminal sends them, for writing to ink's stdin in tests.
 * Write one key per `stdin.write` and let the UI settle between keys.
 */
export const UP = '\u001B[A';
export const DOWN = '\u001B[B';
export const RIGHT = '\u001B[C';
export const LEFT = '\u001B[D';
export const PAGE_UP = '\u001B[5~';
export const PAGE_DOWN = '\u001B[6~';
export const ENTER = '\r';
/** A lone escape: ink waits about 20 ms for the rest of a sequence before taking it as esc. */
export const ESC = '\u001B';
export const TAB = '\t';
export const SHIFT_TAB = '\u001B[Z';
export const BACKSPACE = '\u007F';
export const CTRL_C = '\u0003';
export const CTRL_Z = '\u001A';

/** Text as a terminal in bracketed-paste mode sends a paste: between two markers, in one read. */
export function bracketedPaste(text: string): string {
  return `\u001B[200~${text}\u001B[201~`;
}

/** What ink's useInput passes for a key: every flag off unless overridden. */
export function inkKey(overrides: Partial<Key> = {}): Key {
  return {
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
    ...overrides,
  };
}
