import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { unsafeChars } from '../helpers/terminal-safety.js';

// Mutated manifests, as an attacker or a careless user would feed them, through every reading
// command: none may end in an internal error, print a stack trace or a raw control character, or
// exit with a code other than 0, 1 (denied, or --fail-on) and 2 (error).

const SHOP = 'test/fixtures/manifests/shop';

/** The shop fixture as plain objects, one per object (lists flattened). */
function shopObjects(): unknown[] {
  return readdirSync(SHOP).flatMap((file) =>
    parseAllDocuments(readFileSync(join(SHOP, file), 'utf8')).flatMap((doc) => {
      const value = doc.toJS() as { items?: unknown[] } | null;
      return value?.items ?? (value ? [value] : []);
    }),
  );
}

/** Strings a terminal must never see raw: escape sequences, C1 controls, bidi overrides, NUL. */
const HOSTILE_STRINGS = [
  '\x1b]52;c;aGFja2Vk\x07',
  '\x1b[2J\x1b[H',
  '\x1b[31mred\x1b[0m',
  'evil\u202Egnp.exe',
  'a\u0085b\u009bc',
  'nul\x00byte',
  'bell\x07',
  'line\nbreak\rreturn',
  'tab\tand\x7fdel',
  '\u2066isolate\u2069',
  'x'.repeat(5000),
  '日本語のラベル',
  '',
  ' ',
  '*',
  '&anchor',
  '0x10',
  '10.0.0.0/33',
  'yes',
];

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: -70000, max: 70000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.constantFrom(...HOSTILE_STRINGS), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...HOSTILE_STRINGS), {
    maxKeys: 3,
  }),
);

/** Every path to a value inside an object tree. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys: (string | number)[] = Array.isArray(value)
    ? value.map((_, i) => i)
    : Object.keys(value);
  return [
    prefix,
    ...keys.flatMap((key) => paths((value as Record<string, unknown>)[key], [...prefix, key])),
  ];
}

/** A copy of `root` with the value at `path` replaced (or a key added beside it). */
function replaced(root: unknown, path: (string | number)[], value: unknown, addKey?: string) {
  const copy = structuredClone(root);
  if (path.length === 0) return addKey === undefined ? value : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (addKey !== undefined && parent[last] !== null && typeof parent[last] === 'object') {
    (parent[last] as Record<string, unknown>)[addKey] = value;
  } else {
    parent[last] = value;
  }
  return copy;
}

/** Whole YAML documents that attack the reader itself. */
const HOSTILE_DOCUMENTS = [
  'apiVersion: v1\nkind: Pod\nmetadata: {name: cyc, namespace: shop, labels: &l {app: web, self: *l}}\n',
  `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n`,
  'kind: Pod\nmetadata: [unclosed\n',
  '%YAML 9.9\n---\nkind: Pod\n',
  'kind: NetworkPolicy\nmetadata: {name: np, namespace: shop}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: "::ffff:10.0.0.0/200"}}]}]}\n',
  `kind: Pod\nmetadata: {name: "\\e]52;c;eA==\\a", namespace: "\\u202Eshop", labels: {"\\e[2J": "\\x9b"}}\nstatus: {podIP: 10.0.1.99}\n`,
  '\t- not: yaml\n',
  'kind: List\nitems: {not: a list}\n',
  `metadata: ${'['.repeat(200)}${']'.repeat(200)}\n`,
];

type TextEdit = (text: string) => string;

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.constantFrom(...HOSTILE_DOCUMENTS).map(
    (doc): TextEdit =>
      (text) =>
        `${text}---\n${doc}`,
  ),
  fc.nat().map(
    (at): TextEdit =>
      (text) =>
        text.slice(0, at % (text.length + 1)),
  ),
  fc
    .tuple(fc.nat(), fc.constantFrom(...HOSTILE_STRINGS, '\x00', '\uFFFE', '\uD800', ': ', '- '))
    .map(
      ([at, insert]): TextEdit =>
        (text) => {
          const cut = at % (text.length + 1);
          return text.slice(0, cut) + insert + text.slice(cut);
        },
    ),
);

/** One change to the object model: a replaced value, or an unexpected key. */
type ObjectEdit = { pick: number; value: unknown; addKey: string | undefined };

const objectEdit: fc.Arbitrary<ObjectEdit> = fc.record({
  pick: fc.nat(),
  value: hostileValue,
  addKey: fc.option(fc.constantFrom('extra', 'status', 'spec', 'labels', 'ports', 'items'), {
    nil: undefined,
  }),
});

const COMMANDS: readonly (readonly string[])[] = [
  ['explain'],
  ['explain', 'shop/web-1'],
  ['matrix'],
  ['matrix', '--port', '80'],
  ['audit'],
  ['audit', '--fail-on', 'warning'],
  ['check', 'shop/web-1', 'shop/api-1', '--port', '8080'],
  ['check', 'shop/api-1', '198.51.100.7', '--port', '443'],
];

describe('hostile manifests', () => {
  const base = shopObjects();

  it('never crash, leak a stack trace or a control character, or exit outside 0-2', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(objectEdit, { maxLength: 3 }),
        fc.array(textEdit, { maxLength: 2 }),
        fc.constantFrom(...COMMANDS),
        async (objectEdits, textEdits, command) => {
          let objects: unknown = base;
          for (const edit of objectEdits) {
            const all = paths(objects);
            const path = all[edit.pick % all.length] ?? [];
            objects = replaced(objects, path, edit.value, edit.addKey);
          }
          const documents = Array.isArray(objects) ? objects : [objects];
          let text = documents.map((doc) => stringify(doc)).join('---\n');
          for (const edit of textEdits) text = edit(text);

          const run = await runCli([...command, '-f', '-'], text);
          const output = run.stdout + run.stderr;
          expect(run.stderr).not.toMatch(/internal error/i);
          expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
          expect([0, 1, 2]).toContain(run.exitCode);
          expect(unsafeChars(output)).toEqual([]);
        },
      ),
      { numRuns: 2000, seed: Number(process.env.HOSTILE_SEED ?? 20261203) },
    );
  }, 600_000);
});
