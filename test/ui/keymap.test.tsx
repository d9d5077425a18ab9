import { Text, useInput } from 'ink';
import { render } from 'ink-testing-library';
import { useState } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bindingFor, bindingsOn, KEYMAP, type KeyContext, keyName } from '../../src/ui/keymap.js';
import { PINNED_SIZE_ENV, press, tick } from '../helpers/ink.js';

beforeAll(() => {
  for (const [name, value] of Object.entries(PINNED_SIZE_ENV)) vi.stubEnv(name, value);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

import {
  BACKSPACE,
  CTRL_C,
  CTRL_Z,
  DOWN,
  ENTER,
  ESC,
  inkKey,
  LEFT,
  PAGE_DOWN,
  PAGE_UP,
  RIGHT,
  SHIFT_TAB,
  TAB,
  UP,
} from '../helpers/keys.js';

const SCREENS: readonly KeyContext[] = [
  'namespaces',
  'pods',
  'policies',
  'pod-detail',
  'check',
  'check-result',
  'yaml',
  'help',
  'scaffold-template',
  'scaffold-form',
  'scaffold-preview',
];

describe('KEYMAP', () => {
  it('every key of every binding resolves back to that binding on each of its screens', () => {
    for (const binding of KEYMAP) {
      for (const screen of binding.screens) {
        for (const name of binding.keys) {
          expect(bindingFor(screen, name), `${name} on ${screen}`).toBe(binding);
        }
      }
    }
  });

  it('no two bindings claim the same key on the same screen', () => {
    for (const screen of SCREENS) {
      const owners = new Map<string, string>();
      for (const binding of bindingsOn(screen)) {
        for (const name of binding.keys) {
          expect(owners.get(name), `${name} on ${screen}`).toBeUndefined();
          owners.set(name, binding.description);
        }
      }
    }
  });

  it('every screen can go back and quit, and every binding works somewhere', () => {
    for (const screen of SCREENS) {
      expect(bindingFor(screen, 'esc')?.command).toBe('back');
      expect(bindingFor(screen, 'ctrl+c')?.command).toBe('quit');
    }
    for (const binding of KEYMAP) {
      expect(binding.screens.length, binding.description).toBeGreaterThan(0);
      expect(binding.keys.length, binding.description).toBeGreaterThan(0);
    }
  });

  it('the forms leave letters and digits to typing, and "q" does not quit there', () => {
    for (const ch of 'qjkyc?/:nrswa0123456789') {
      expect(bindingFor('check', ch), ch).toBeUndefined();
      expect(bindingFor('scaffold-form', ch), ch).toBeUndefined();
    }
    // Once a check has run, its verdict has the focus and "s" scaffolds a fix.
    expect(bindingFor('check-result', 's')?.command).toBe('scaffold');
  });

  it('read-only mode drops every write; applying also needs a cluster', () => {
    const writes = (availability: { readOnly: boolean; canApply: boolean }) =>
      bindingsOn('scaffold-preview', availability)
        .filter((b) => b.writes)
        .map((b) => b.command);
    expect(writes({ readOnly: false, canApply: true })).toEqual(['save', 'apply']);
    expect(writes({ readOnly: false, canApply: false })).toEqual(['save']);
    expect(writes({ readOnly: true, canApply: true })).toEqual([]);
    expect(bindingFor('scaffold-preview', 'w', { readOnly: true, canApply: true })).toBeUndefined();
  });

  it('bindingsOn lists exactly the bindings whose screens include the screen, in table order', () => {
    for (const screen of SCREENS) {
      expect(bindingsOn(screen)).toEqual(KEYMAP.filter((b) => b.screens.includes(screen)));
    }
    expect(bindingsOn('check').map((b) => b.command)).toEqual([
      'page-up',
      'page-down',
      'next-field',
      'previous-field',
      'run-check',
      'back',
      'suspend',
      'quit',
    ]);
  });

  it('keys not in the table have no binding', () => {
    expect(bindingFor('pods', 'x')).toBeUndefined();
    expect(bindingFor('help', 'enter')).toBeUndefined();
    expect(bindingFor('namespaces', 'y')).toBeUndefined();
  });
});

describe('keyName', () => {
  it('names special keys from ink key flags', () => {
    expect(keyName('', inkKey({ upArrow: true }))).toBe('up');
    expect(keyName('', inkKey({ downArrow: true }))).toBe('down');
    expect(keyName('', inkKey({ home: true }))).toBe('home');
    expect(keyName('', inkKey({ end: true }))).toBe('end');
    expect(keyName('', inkKey({ leftArrow: true }))).toBe('left');
    expect(keyName('', inkKey({ rightArrow: true }))).toBe('right');
    expect(keyName('', inkKey({ pageUp: true }))).toBe('pageup');
    expect(keyName('', inkKey({ pageDown: true }))).toBe('pagedown');
    expect(keyName('', inkKey({ return: true }))).toBe('enter');
    expect(keyName('', inkKey({ escape: true }))).toBe('esc');
    expect(keyName('', inkKey({ tab: true }))).toBe('tab');
    expect(keyName('', inkKey({ tab: true, shift: true }))).toBe('shift+tab');
    expect(keyName('', inkKey({ backspace: true }))).toBe('backspace');
    expect(keyName('', inkKey({ delete: true }))).toBe('backspace');
    expect(keyName('c', inkKey({ ctrl: true }))).toBe('ctrl+c');
    expect(keyName(' ', inkKey())).toBe('space');
    expect(keyName('j', inkKey())).toBe('j');
    expect(keyName('?', inkKey({ shift: true }))).toBe('?');
  });

  /** Shows the name of the last key ink delivered, to check names against real key bytes. */
  function LastKey() {
    const [name, setName] = useState('none');
    useInput((input, k) => setName(keyName(input, k)));
    return <Text>{`key:${name}`}</Text>;
  }

  it('names the bytes a terminal sends, as ink parses them', async () => {
    const ui = render(<LastKey />);
    await tick();
    const cases: [string, string][] = [
      [UP, 'up'],
      [DOWN, 'down'],
      [LEFT, 'left'],
      [RIGHT, 'right'],
      [PAGE_UP, 'pageup'],
      [PAGE_DOWN, 'pagedown'],
      [ENTER, 'enter'],
      [ESC, 'esc'],
      [TAB, 'tab'],
      [SHIFT_TAB, 'shift+tab'],
      [BACKSPACE, 'backspace'],
      [CTRL_C, 'ctrl+c'],
      [CTRL_Z, 'ctrl+z'],
      [' ', 'space'],
      ['j', 'j'],
      ['?', '?'],
    ];
    for (const [bytes, name] of cases) {
      await press(ui, bytes);
      expect(ui.lastFrame(), JSON.stringify(bytes)).toBe(`key:${name}`);
    }
    ui.unmount();
  });

  it('every key the table names can be produced by some key press', () => {
    const producible = new Set([
      'up',
      'down',
      'left',
      'right',
      'pageup',
      'pagedown',
      'home',
      'end',
      'enter',
      'esc',
      'tab',
      'shift+tab',
      'backspace',
      'space',
      'ctrl+c',
      'ctrl+z',
    ]);
    for (const binding of KEYMAP) {
      for (const name of binding.keys) {
        const printable = name.length === 1 && name !== ' ';
        expect(printable || producible.has(name), name).toBe(true);
      }
    }
  });
});
