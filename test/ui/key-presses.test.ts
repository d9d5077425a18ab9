import { describe, expect, it } from 'vitest';
import { firstKey, keyPresses, pastedLine } from '../../src/ui/key-presses.js';
import { inkKey } from '../helpers/keys.js';

const NO_FLAGS = inkKey();

const key = (name: string, text = '') => ({ kind: 'key', name, text });
const text = (value: string) => ({ kind: 'text', text: value });

describe('keyPresses', () => {
  it('a single key keeps its name and the character it types', () => {
    expect(keyPresses('j', NO_FLAGS)).toEqual([key('j', 'j')]);
    expect(keyPresses('Y', { ...NO_FLAGS, shift: true })).toEqual([key('Y', 'Y')]);
    expect(keyPresses(' ', NO_FLAGS)).toEqual([key('space', ' ')]);
    expect(keyPresses('', { ...NO_FLAGS, return: true })).toEqual([key('enter')]);
    expect(keyPresses('z', { ...NO_FLAGS, ctrl: true })).toEqual([key('ctrl+z')]);
    expect(keyPresses('', { ...NO_FLAGS, upArrow: true })).toEqual([key('up')]);
  });

  it('esc pressed twice fast, which ink reads as one meta+escape, is two presses of esc', () => {
    expect(keyPresses('\u001b', { ...NO_FLAGS, escape: true, meta: true })).toEqual([
      key('esc'),
      key('esc'),
    ]);
    expect(keyPresses('', { ...NO_FLAGS, escape: true })).toEqual([key('esc')]);
  });

  it('a character with meta is one press read after an esc: alt+j and esc typed fast before j', () => {
    expect(keyPresses('j', { ...NO_FLAGS, meta: true })).toEqual([
      { kind: 'after-esc', text: 'j' },
    ]);
    expect(keyPresses('b', { ...NO_FLAGS, meta: true, ctrl: true })).toEqual([key('ctrl+b')]);
  });

  it('a line feed read alone is enter: Enter typed before the terminal went raw arrives so', () => {
    expect(keyPresses('\n', NO_FLAGS)).toEqual([key('enter')]);
  });

  it('a read of several characters is runs of text between the control keys, in order', () => {
    expect(keyPresses('jjj', NO_FLAGS)).toEqual([text('jjj')]);
    expect(keyPresses('/web\r', NO_FLAGS)).toEqual([text('/web'), key('enter')]);
    expect(keyPresses('svc/api\t8080\n', NO_FLAGS)).toEqual([
      text('svc/api'),
      key('tab'),
      text('8080'),
      key('enter'),
    ]);
    expect(keyPresses('jj\u001Ak', NO_FLAGS)).toEqual([text('jj'), key('ctrl+z'), text('k')]);
  });

  it('keeps characters outside the BMP whole and drops control bytes that are no key', () => {
    expect(keyPresses('a😀b', NO_FLAGS)).toEqual([text('a😀b')]);
    expect(keyPresses('a\u0000\u009Bb', NO_FLAGS)).toEqual([text('a'), text('b')]);
  });
});

describe('firstKey', () => {
  it('splits a run into its first character as a key and the rest, still text', () => {
    expect(firstKey('/web')).toEqual({ key: key('/', '/'), rest: [text('web')] });
    expect(firstKey(' x')).toEqual({ key: key('space', ' '), rest: [text('x')] });
    expect(firstKey('😀')).toEqual({ key: key('😀', '😀'), rest: [] });
  });
});

describe('pastedLine', () => {
  it('makes one trimmed line: line breaks become spaces, other controls are dropped', () => {
    expect(pastedLine('  production/api-0\r\n')).toBe('production/api-0');
    expect(pastedLine('app=web\ntier=db')).toBe('app=web tier=db');
    expect(pastedLine('a\u001B[31mb\u0007')).toBe('a[31mb');
    expect(pastedLine('\n\n')).toBe('');
  });
});
