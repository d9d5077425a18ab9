import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { jsonText } from '../../src/render/json-text.js';
import { yamlText } from '../../src/render/structured.js';
import {
  MESSAGE_LIMIT,
  terminalBlock,
  terminalLine,
  terminalMessage,
  terminalText,
  VALUE_LIMIT,
} from '../../src/render/terminal-text.js';
import { unsafeChars } from '../helpers/terminal-safety.js';

/** Reads terminalText's output back: `\\`, `\xHH` and `\uHHHH` are its only escapes. */
function readBack(text: string): string {
  return text.replace(/\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_, code: string) =>
    code === '\\' ? '\\' : String.fromCharCode(Number.parseInt(code.slice(1), 16)),
  );
}

/** Strings rich in what terminalText escapes: controls, bidi, backslashes and escape look-alikes. */
const hostileString = fc
  .array(
    fc
      .oneof(
        fc.string({ maxLength: 4 }),
        fc.constantFrom('\\', 'x1b', '\\x1b', 'u202e', '\n', '\t', '\r', '\u202e', '\u2066', '…'),
        fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)),
        fc.constantFrom(0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x2069, 0x4e2d, 0x1f600),
      )
      .map((x) => (typeof x === 'number' ? String.fromCodePoint(x) : x)),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('terminalText', () => {
  it('shows escape sequences, BEL and CSI escaped', () => {
    expect(terminalText('x\u001b]52;c;SGVsbG8=\u0007y')).toBe('x\\x1b]52;c;SGVsbG8=\\x07y');
    expect(terminalText('\u001b[2J\u001b[31mred')).toBe('\\x1b[2J\\x1b[31mred');
  });

  it('escapes every C0 control, a newline, tab and carriage return included, and DEL', () => {
    expect(terminalText('a\nb\tc\rd\u0000e\u007f')).toBe('a\\x0ab\\x09c\\x0dd\\x00e\\x7f');
  });

  it('escapes C1 controls (8-bit CSI, OSC, NEL)', () => {
    expect(terminalText('\u009b2J\u009d52\u0085')).toBe('\\x9b2J\\x9d52\\x85');
  });

  it('escapes bidi overrides, embeddings, isolates and marks, and line separators', () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(terminalText(`a${bidi}b`)).toBe(
      'a\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061cb',
    );
    expect(terminalText('\u2028\u2029')).toBe('\\u2028\\u2029');
  });

  it('leaves ordinary names, labels, wide characters and emoji as they are', () => {
    for (const value of ['api-7d9f8b6c5-x2k4p', 'app.kubernetes.io/name', '中文名', '🚀 ok', 'é']) {
      expect(terminalText(value)).toBe(value);
    }
  });

  it('doubles a backslash, so that a literal "\\x1b" reads differently from ESC', () => {
    expect(terminalText('C:\\dir')).toBe('C:\\\\dir');
    expect(terminalText('\\x1b')).toBe('\\\\x1b');
    expect(terminalText('\\x1b')).not.toBe(terminalText('\u001b'));
  });

  it('truncates a value over the limit, saying how many characters were left out', () => {
    expect(terminalText('a'.repeat(VALUE_LIMIT))).toBe('a'.repeat(VALUE_LIMIT));
    expect(terminalText('a'.repeat(VALUE_LIMIT + 12345))).toBe(
      `${'a'.repeat(VALUE_LIMIT)}…(+12345 chars)`,
    );
    expect(terminalText('abcdef', 4)).toBe('abcd…(+2 chars)');
    // Characters are code points: an emoji is not cut in half.
    expect(terminalText('😀😀😀', 2)).toBe('😀😀…(+1 chars)');
  });

  it('keeps a Kubernetes label key of the longest valid length (317) whole', () => {
    const key = `${'a'.repeat(253)}/${'b'.repeat(63)}`;
    expect(terminalText(key)).toBe(key);
  });

  it('never lets a control or bidi character through, and reads back to the value', () => {
    fc.assert(
      fc.property(hostileString, (value) => {
        const shown = terminalText(value);
        expect(shown).not.toMatch(/[\n\t]/);
        expect(unsafeChars(shown)).toEqual([]);
        expect(readBack(shown)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('is one-to-one: different values are shown differently', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (a, b) => {
        fc.pre(a !== b);
        expect(terminalText(a)).not.toBe(terminalText(b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('terminalBlock and terminalLine', () => {
  it('terminalBlock keeps newlines and tabs of the layout and escapes the rest', () => {
    expect(terminalBlock('a\tb\nc\u001b[2J\r\u202e\\d')).toBe('a\tb\nc\\x1b[2J\\x0d\\u202e\\d');
  });

  it('terminalMessage keeps the lines of a message and cuts a long one', () => {
    expect(terminalMessage('a\n\u001b[2Jb')).toBe('a\n\\x1b[2Jb');
    expect(terminalMessage('x'.repeat(MESSAGE_LIMIT + 7))).toBe(
      `${'x'.repeat(MESSAGE_LIMIT)}…(+7 chars)`,
    );
  });

  it('terminalLine escapes a newline too', () => {
    expect(terminalLine('a\nb\tc\u009b')).toBe('a\\x0ab\\x09c\\x9b');
  });

  it('are idempotent and leave already escaped text alone', () => {
    fc.assert(
      fc.property(hostileString, (value) => {
        for (const guard of [terminalBlock, terminalLine]) {
          const once = guard(value);
          expect(guard(once)).toBe(once);
          expect(guard(terminalText(value))).toBe(terminalText(value));
        }
        expect(terminalLine(value)).not.toMatch(/[\n\t]/);
        expect(unsafeChars(terminalLine(value))).toEqual([]);
        expect(unsafeChars(terminalBlock(value))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('structured output', () => {
  const hostile = {
    name: 'x\u001b]52;c;SGVsbG8=\u0007\u001b[2J',
    labels: { 'a\u202eb': 'c1\u009b31m', del: '\u007f', bidi: 'evil\u2066', nl: 'a\nb' },
    list: [`${'long '.repeat(30)}\u202e${' tail'.repeat(30)}`, 'tab\there', 'back\\slash'],
  };

  it('JSON escapes C1 and bidi characters and parses back to the exact value', () => {
    const text = jsonText(hostile, 2);
    expect(unsafeChars(text)).toEqual([]);
    expect(JSON.parse(text)).toEqual(hostile);
  });

  it('YAML quotes and escapes C1 and bidi characters and parses back to the exact value', () => {
    const text = yamlText(hostile);
    expect(unsafeChars(text)).toEqual([]);
    expect(parse(text)).toEqual(hostile);
  });

  it('YAML without such characters or YAML 1.1 scalars is what yaml.stringify writes', () => {
    const plain = {
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-api', labels: { app: 'web', 'tab\there': '' } },
      spec: { text: `${'word '.repeat(40)}end`, lines: 'a\nb', empty: {} },
    };
    expect(yamlText(plain)).toBe(stringify(plain));
    expect(yamlText(plain, { aliasDuplicateObjects: false })).toBe(
      stringify(plain, { aliasDuplicateObjects: false }),
    );
  });
});
