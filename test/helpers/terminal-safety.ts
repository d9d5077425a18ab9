/**
 * What must never reach a terminal raw from untrusted input: C0 controls but the newline and
 * tab of our own layout, DEL, C1 controls, and the bidi and invisible characters that reorder
 * or break a line. Written as a string: a regex literal with control characters trips the linter.
 */
const UNSAFE_SOURCE =
  '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]';

/** The characters of `text` a terminal would act on, as code points in hex; [] when safe. */
export function unsafeChars(text: string): string[] {
  return [...text.matchAll(new RegExp(UNSAFE_SOURCE, 'gu'))].map(
    ([char]) => `U+${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** A hostile string: OSC 52 (sets the clipboard), CSI 2J (clears the screen), SGR, C1 CSI, RLO. */
export const HOSTILE = 'x\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u001b[31mred\u009b1m\u202eevil';
