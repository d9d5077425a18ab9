import type { Key } from 'ink';
import type { Screen } from './state.js';

/** What a key does. */
export type Command =
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'open'
  | 'back'
  | 'filter'
  | 'command'
  | 'help'
  | 'quit'
  | 'yaml'
  | 'check'
  | 'namespace'
  | 'reload'
  | 'next-field'
  | 'previous-field'
  | 'run-check';

/** One row of the keymap: the keys, where they work, and what they do. */
export interface KeyBinding {
  readonly keys: readonly string[];
  /** How the footer and help name the keys. */
  readonly label: string;
  readonly description: string;
  /** One word for the footer; undefined keeps the binding out of the footer (help lists it). */
  readonly hint?: string;
  readonly screens: readonly Screen['id'][];
  readonly command: Command;
}

const LISTS: Screen['id'][] = ['namespaces', 'pods', 'policies'];
const TEXTS: Screen['id'][] = ['pod-detail', 'yaml', 'help'];
const BROWSING: Screen['id'][] = [...LISTS, ...TEXTS];
const EVERYWHERE: Screen['id'][] = [...BROWSING, 'check'];
const SCROLLING: Screen['id'][] = EVERYWHERE;

/** The one keymap: it drives input handling, the footer and the help screen alike. */
export const KEYMAP: readonly KeyBinding[] = [
  { keys: ['up', 'k'], label: '↑/k', description: 'move up', screens: BROWSING, command: 'up' },
  {
    keys: ['down', 'j'],
    label: '↓/j',
    description: 'move down',
    screens: BROWSING,
    command: 'down',
  },
  {
    keys: ['pageup'],
    label: 'PgUp',
    description: 'page up',
    screens: SCROLLING,
    command: 'page-up',
  },
  {
    keys: ['pagedown', 'space'],
    label: 'PgDn',
    description: 'page down',
    screens: SCROLLING,
    command: 'page-down',
  },
  {
    keys: ['enter'],
    label: 'enter',
    description: 'open',
    screens: LISTS,
    command: 'open',
    hint: 'open',
  },
  {
    keys: ['/'],
    label: '/',
    description: 'filter (text or label=value)',
    screens: LISTS,
    command: 'filter',
    hint: 'filter',
  },
  {
    keys: ['y'],
    label: 'y',
    description: 'YAML',
    screens: ['pods', 'policies', 'pod-detail'],
    command: 'yaml',
    hint: 'yaml',
  },
  {
    keys: ['c'],
    label: 'c',
    description: 'check traffic from this pod',
    screens: ['pods', 'pod-detail'],
    command: 'check',
    hint: 'check',
  },
  {
    keys: ['n'],
    label: 'n',
    description: 'switch namespace',
    screens: ['pods', 'policies'],
    command: 'namespace',
    hint: 'namespace',
  },
  {
    keys: [':'],
    label: ':',
    description: 'jump (:ns :po :netpol :ctx)',
    screens: BROWSING,
    command: 'command',
    hint: 'jump',
  },
  {
    keys: ['r'],
    label: 'r',
    description: 'reload',
    screens: BROWSING,
    command: 'reload',
    hint: 'reload',
  },
  {
    keys: ['tab', 'down'],
    label: 'tab',
    description: 'next field',
    screens: ['check'],
    command: 'next-field',
    hint: 'next field',
  },
  {
    keys: ['shift+tab', 'up'],
    label: 'S-tab',
    description: 'previous field',
    screens: ['check'],
    command: 'previous-field',
    hint: 'previous',
  },
  {
    keys: ['enter'],
    label: 'enter',
    description: 'check',
    screens: ['check'],
    command: 'run-check',
    hint: 'check',
  },
  {
    keys: ['esc'],
    label: 'esc',
    description: 'back',
    screens: EVERYWHERE,
    command: 'back',
    hint: 'back',
  },
  {
    keys: ['?'],
    label: '?',
    description: 'help',
    screens: BROWSING,
    command: 'help',
    hint: 'help',
  },
  {
    keys: ['q'],
    label: 'q',
    description: 'quit',
    screens: BROWSING,
    command: 'quit',
    hint: 'quit',
  },
  {
    keys: ['ctrl+c'],
    label: 'ctrl-c',
    description: 'quit',
    screens: EVERYWHERE,
    command: 'quit',
    hint: 'quit',
  },
];

/** A stable name for a key press: "j", "enter", "ctrl+c", "shift+tab". */
export function keyName(input: string, key: Key): string {
  if (key.ctrl && input) return `ctrl+${input}`;
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (input === ' ') return 'space';
  return input;
}

/** The binding a key has on a screen, if any. */
export function bindingFor(screen: Screen['id'], name: string): KeyBinding | undefined {
  return KEYMAP.find((binding) => binding.screens.includes(screen) && binding.keys.includes(name));
}

/** The bindings to show in the footer of a screen. */
export function bindingsOn(screen: Screen['id']): KeyBinding[] {
  return KEYMAP.filter((binding) => binding.screens.includes(screen));
}
