import { describe, expect, it } from 'vitest';
import { completionTable, yargsCompletion } from '../../src/cli.js';
import { yargsCompletionArgs } from '../../src/commands/completion.js';
import {
  type CompletionContext,
  type TableOption,
  tableCompletion,
} from '../../src/commands/completion-table.js';
import { withDemoVariant } from '../../src/commands/demo-flag.js';

const table = await completionTable();

/** Every context of the table with the command words that lead to it. */
function contexts(
  context: CompletionContext,
  path: string[] = [],
): [string[], CompletionContext][] {
  return [
    [path, context],
    ...Object.entries(context.children).flatMap(([name, child]) =>
      contexts(child, [...path, name]),
    ),
  ];
}

/** How a user types the option: `-k` for one letter, else `--key`. */
const flag = (option: TableOption) =>
  option.key.length === 1 ? `-${option.key}` : `--${option.key}`;

/** Values given to options: yargs rejects a value its option's coerce refuses, so each is tried. */
const VALUES = ['v', '1', '10.0.0.0/8', 'yaml'];

/**
 * Word lists that exercise every command, flag and choice of a context, in groups of
 * alternatives: the first that yargs answers counts (each option is given the first of VALUES
 * its coerce takes).
 */
function wordLists(path: string[], context: CompletionContext): string[][][] {
  const fixed = [
    [...path, ''],
    [...path, '-'],
    [...path, '--'],
    [...path, 'a', ''],
    [...path, 'a', 'b', ''],
    [...path, 'a', '--', 'b', ''],
    [...path, '-n', 'shop', 'a', '-'],
    [...path, '--demo=cilium', 'a', ''],
    [...path, '-f', 'x', '--filename=y', 'a', ''],
    [...path, '--request-timeout=1s', '--insecure-skip-tls-verify', 'true', 'a', ''],
    [...path, '-A', 'a', '-'],
  ];
  const groups = fixed.map((words) => [words]);
  for (const option of context.options.filter((candidate) => candidate.offered)) {
    groups.push([
      [...path, flag(option), ''],
      ...VALUES.map((value) => [...path, flag(option), value, '']),
    ]);
    groups.push(VALUES.map((value) => [...path, flag(option), value, 'a', '']));
    groups.push(VALUES.map((value) => [...path, flag(option), value, '-']));
    if (option.choices)
      groups.push([[...path, flag(option), option.choices[0]?.slice(0, 1) ?? '']]);
  }
  return groups;
}

/** The option values the names of a snapshot are read with. */
const NAME_KEYS = ['filename', 'demo', 'namespace', 'requestTimeout', 'kubeconfig', 'context'];

describe('the completion table', () => {
  const all = contexts(table);

  it('has every command: scaffold and its templates included', () => {
    expect(table.commands).toContain('check');
    expect(Object.keys(table.children.scaffold?.children ?? {})).toContain('fix');
    expect(all.length).toBeGreaterThan(10);
  });

  it.each(all.map(([path, context]) => [path.join(' ') || '(root)', path, context] as const))(
    'answers exactly what the yargs parser answers, for every flag and choice of %s',
    async (_name, path, context) => {
      for (const alternatives of wordLists(path, context)) {
        let answered = false;
        for (const typed of alternatives) {
          // As runComplete reads them: a bare --demo is --demo=calico.
          const words = [...withDemoVariant(typed.slice(0, -1)), ...typed.slice(-1)];
          // yargs coerces in a command's context: it refuses a value there as the command would.
          const fromYargs = await yargsCompletion(words).catch(() => undefined);
          if (!fromYargs) continue;
          const fromTable = tableCompletion(table, yargsCompletionArgs(words).slice(1));
          const label = JSON.stringify(words);
          expect(fromTable.candidates, label).toEqual(fromYargs.candidates);
          expect(fromTable.argv._, label).toEqual(fromYargs.argv._.map(String));
          for (const key of NAME_KEYS) {
            expect(fromTable.argv[key], `${label} ${key}`).toEqual(fromYargs.argv[key]);
          }
          answered = true;
          break;
        }
        expect(answered, JSON.stringify(alternatives[0])).toBe(true);
      }
    },
  );
});
