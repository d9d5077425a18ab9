import type { Key } from 'ink';
import type { Screen } from './state.js';

/**
 * Where a key is pressed: a screen, or the traffic check's verdict (focused after a check
 * runs), where letters are commands rather than text.
 */
export type KeyContext = Screen['id'] | 'check-result';

/** What a key does. */
export type Command =
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'first'
  | 'last'
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
  | 'run-check'
  | 'scaffold'
  | 'pick'
  | 'complete'
  | 'previous-choice'
  | 'preview'
  | 'save'
  | 'apply'
  | 'audit'
  | 'open-object'
  | 'left'
  | 'right'
  | 'matrix'
  | 'services'
  | 'mark'
  | 'suspend';

/** One row of the keymap: the keys, where they work, and what they do. */
export interface KeyBinding {
  readonly keys: readonly string[];
  /** How the footer and help name the keys. */
  readonly label: string;
  readonly description: string;
  /** One word for the footer; undefined keeps the binding out of the footer (help lists it). */
  readonly hint?: string;
  readonly screens: readonly KeyContext[];
  readonly command: Command;
  /** Set on bindings that write: to a file, or to the cluster. Read-only mode drops them. */
  readonly writes?: 'file' | 'cluster';
}

/** What the session allows: read-only mode drops every write, and applying needs a cluster. */
export interface KeyAvailability {
  readonly readOnly: boolean;
  readonly canApply: boolean;
}

/** Everything is available: the default for tests of the table itself. */
export const ALL_KEYS: KeyAvailability = { readOnly: false, canApply: true };

function available(binding: KeyBinding, availability: KeyAvailability): boolean {
  if (!binding.writes) return true;
  return !availability.readOnly && (binding.writes === 'file' || availability.canApply);
}

const LISTS: KeyContext[] = [
  'namespaces',
  'pods',
  'policies',
  'services',
  'cluster-policies',
  'audit',
];
const TEXTS: KeyContext[] = [
  'pod-detail',
  'policy-detail',
  'cluster-policy-detail',
  'yaml',
  'help',
  'scaffold-preview',
  'audit-finding',
];
const BROWSING: KeyContext[] = [...LISTS, ...TEXTS, 'matrix'];
const FORMS: KeyContext[] = ['check', 'scaffold-form'];
const EVERYWHERE: KeyContext[] = [...BROWSING, ...FORMS, 'check-result', 'scaffold-template'];
const SCROLLING: KeyContext[] = [...BROWSING, ...FORMS, 'check-result'];

/** How the help screen names where a key works: each place in words, widest group first. */
export const PLACE_NAMES: {
  readonly groups: readonly { readonly name: string; readonly contexts: readonly KeyContext[] }[];
  readonly contexts: Readonly<Record<KeyContext, string>>;
} = {
  groups: [
    { name: 'everywhere', contexts: EVERYWHERE },
    { name: 'every screen but the templates', contexts: SCROLLING },
    { name: 'every screen but the forms', contexts: [...BROWSING, 'check-result'] },
    { name: 'every list', contexts: LISTS },
    { name: 'every text screen', contexts: TEXTS },
    { name: 'the forms', contexts: FORMS },
  ],
  contexts: {
    namespaces: 'namespaces',
    pods: 'pods',
    policies: 'policies',
    services: 'services',
    'cluster-policies': 'cluster policies',
    audit: 'audit',
    'pod-detail': 'a pod',
    'policy-detail': 'a policy',
    'cluster-policy-detail': 'a cluster policy',
    yaml: 'YAML',
    help: 'help',
    'scaffold-preview': 'scaffold preview',
    'audit-finding': 'a finding',
    matrix: 'matrix',
    check: 'check form',
    'check-result': 'check verdict',
    'scaffold-template': 'scaffold templates',
    'scaffold-form': 'scaffold form',
  },
};

/** The one keymap: it drives input handling, the footer and the help screen alike. */
export const KEYMAP: readonly KeyBinding[] = [
  {
    keys: ['up', 'k'],
    label: '↑/k',
    description: 'move up',
    screens: [...BROWSING, 'check-result'],
    command: 'up',
  },
  {
    keys: ['down', 'j'],
    label: '↓/j',
    description: 'move down',
    screens: [...BROWSING, 'check-result'],
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
    keys: ['space'],
    label: 'space',
    description: 'mark a pod for the matrix',
    screens: ['pods'],
    command: 'mark',
    hint: 'mark',
  },
  {
    keys: ['pagedown', 'space'],
    label: 'PgDn',
    description: 'page down (space too)',
    // On pods, space marks instead.
    screens: SCROLLING.filter((context) => context !== 'pods'),
    command: 'page-down',
  },
  {
    keys: ['pagedown'],
    label: 'PgDn',
    description: 'page down',
    screens: ['pods'],
    command: 'page-down',
  },
  {
    keys: ['home', 'g'],
    label: 'Home/g',
    description: 'go to the first row, or the top',
    screens: [...BROWSING, 'check-result'],
    command: 'first',
  },
  {
    keys: ['end', 'G'],
    label: 'End/G',
    description: 'go to the last row, or the end',
    screens: [...BROWSING, 'check-result'],
    command: 'last',
  },
  {
    keys: ['enter'],
    label: 'enter',
    description: 'open',
    screens: LISTS.filter((list) => list !== 'services'),
    command: 'open',
    hint: 'open',
  },
  {
    keys: ['enter'],
    label: 'enter',
    description: 'check traffic to this Service',
    screens: ['services'],
    command: 'open',
    hint: 'check',
  },
  {
    keys: ['left', 'h'],
    label: '←/h',
    description: 'move left',
    screens: ['matrix'],
    command: 'left',
  },
  {
    keys: ['right', 'l'],
    label: '→/l',
    description: 'move right',
    screens: ['matrix'],
    command: 'right',
  },
  {
    keys: ['enter'],
    label: 'enter',
    description: 'check the pair under the cursor',
    screens: ['matrix'],
    command: 'open',
    hint: 'check',
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
    screens: [
      'pods',
      'policies',
      'services',
      'cluster-policies',
      'pod-detail',
      'policy-detail',
      'cluster-policy-detail',
    ],
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
    keys: ['s'],
    label: 's',
    description: 'scaffold a policy (wizard)',
    screens: ['namespaces', 'pods', 'pod-detail', 'check-result', 'audit-finding'],
    command: 'scaffold',
    hint: 'scaffold',
  },
  {
    keys: ['a'],
    label: 'a',
    description: 'audit: findings and their fixes',
    screens: ['namespaces', 'pods', 'policies', 'pod-detail'],
    command: 'audit',
    hint: 'audit',
  },
  {
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    label: '1-9',
    description: 'open an object of the finding',
    screens: ['audit-finding'],
    command: 'open-object',
    hint: 'open object',
  },
  {
    keys: ['v'],
    label: 'v',
    description: "the namespace's Services (:svc NS)",
    screens: ['namespaces', 'pods'],
    command: 'services',
    hint: 'services',
  },
  {
    keys: ['m'],
    label: 'm',
    description: 'connectivity matrix (of marked pods)',
    screens: ['pods'],
    command: 'matrix',
    hint: 'matrix',
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
    description: 'jump (:ns :po NS :netpol :svc :cnp :audit :matrix NS[,NS...])',
    // Not on forms, whose fields take ":" as text (IPv6 addresses).
    screens: [...BROWSING, 'check-result'],
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
    screens: FORMS,
    command: 'next-field',
    hint: 'next field',
  },
  {
    keys: ['shift+tab', 'up'],
    label: 'S-tab',
    description: 'previous field',
    screens: FORMS,
    command: 'previous-field',
    hint: 'previous',
  },
  {
    keys: ['tab'],
    label: 'tab',
    description: 'edit the question',
    screens: ['check-result'],
    command: 'next-field',
    hint: 'edit',
  },
  {
    keys: ['shift+tab'],
    label: 'S-tab',
    description: 'edit the protocol',
    screens: ['check-result'],
    command: 'previous-field',
  },
  {
    keys: ['enter'],
    label: 'enter',
    description: 'check',
    screens: ['check', 'check-result'],
    command: 'run-check',
    hint: 'check',
  },
  {
    keys: ['up', 'down', 'enter'],
    label: '↑↓ enter',
    description: 'choose a template',
    screens: ['scaffold-template'],
    command: 'pick',
    hint: 'choose',
  },
  {
    keys: ['right'],
    label: '→',
    description: 'complete with the first suggestion, or next choice',
    screens: ['scaffold-form'],
    command: 'complete',
    hint: 'complete',
  },
  {
    keys: ['left'],
    label: '←',
    description: 'previous choice',
    screens: ['scaffold-form'],
    command: 'previous-choice',
  },
  {
    keys: ['enter'],
    label: 'enter',
    description: 'preview the YAML and its effect',
    screens: ['scaffold-form'],
    command: 'preview',
    hint: 'preview',
  },
  {
    keys: ['w'],
    label: 'w',
    description: 'save to a file (asks before overwriting)',
    screens: ['scaffold-preview'],
    command: 'save',
    hint: 'save',
    writes: 'file',
  },
  {
    keys: ['a'],
    label: 'a',
    description: 'apply to the cluster (server dry run, then asks)',
    screens: ['scaffold-preview'],
    command: 'apply',
    hint: 'apply',
    writes: 'cluster',
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
    screens: [...BROWSING, 'check-result'],
    command: 'help',
    hint: 'help',
  },
  {
    keys: ['q'],
    label: 'q',
    description: 'quit',
    screens: [...BROWSING, 'check-result'],
    command: 'quit',
    hint: 'quit',
  },
  {
    keys: ['ctrl+z'],
    label: 'ctrl-z',
    description: 'suspend to the shell (fg resumes)',
    screens: EVERYWHERE,
    command: 'suspend',
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
  if (key.home) return 'home';
  if (key.end) return 'end';
  // A line feed alone is Enter typed before the terminal went raw: the line discipline turned its
  // carriage return into one (ICRNL), and ink names it 'enter' without flagging key.return.
  if (key.return || input === '\n') return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (input === ' ') return 'space';
  return input;
}

/** The binding a key has in a context, if any (and if the session allows it). */
export function bindingFor(
  context: KeyContext,
  name: string,
  availability: KeyAvailability = ALL_KEYS,
): KeyBinding | undefined {
  return bindingsOn(context, availability).find((binding) => binding.keys.includes(name));
}

/** The bindings of a context that the session allows, in table order. */
export function bindingsOn(
  context: KeyContext,
  availability: KeyAvailability = ALL_KEYS,
): KeyBinding[] {
  return KEYMAP.filter(
    (binding) => binding.screens.includes(context) && available(binding, availability),
  );
}
