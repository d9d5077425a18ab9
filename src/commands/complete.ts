// `__complete WORDS...`: what kubectl_complete-netpol runs on every Tab. Commands, flags and
// choices come from the completion table (the bundle's, made from the yargs parser at build
// time), so an answer loads neither yargs nor the command line's code; names come from the
// snapshot the words name.
import { ERROR_EXIT, failureReport } from '../failure-report.js';
import type { Terminal } from '../io/terminal.js';
import {
  completionReply,
  snapshotCandidates,
  snapshotReply,
  yargsCompletionArgs,
} from './completion.js';
import { COMPLETE_COMMAND } from './completion-request.js';
import { type CompletionContext, tableCompletion } from './completion-table.js';
import { DEMO_CHOICES, withDemoVariant } from './demo-flag.js';
import { outputCompletions } from './output-format.js';
import { guardedTerminal } from './terminal.js';

// The bundle defines this as JSON text (esbuild `define`, scripts/release/bundle.ts); a build by
// tsc has none.
declare const KUBECTL_NETPOL_COMPLETION: string | undefined;

/** The flags whose value is an output format: completion offers the command's formats. */
const OUTPUT_FLAGS = new Set(['-o', '--output']);

/** The table the bundle carries, else (a tsc build, tests) one read off the parser now. */
async function completionTable(): Promise<CompletionContext> {
  if (typeof KUBECTL_NETPOL_COMPLETION !== 'undefined')
    return JSON.parse(KUBECTL_NETPOL_COMPLETION);
  return (await import('../cli.js')).completionTable();
}

/**
 * Answers `__complete WORDS...` (argv as given, the request first) in cobra's protocol: names
 * from the snapshot where a target or namespace is completed, else commands, flags and choices.
 */
export async function runComplete(argv: readonly string[], unguarded: Terminal): Promise<number> {
  const terminal = guardedTerminal(unguarded);
  const given = argv.slice(1);
  // A bare --demo takes no value (see withDemoVariant); the word being completed is left as typed.
  const words = [...withDemoVariant(given.slice(0, -1)), ...given.slice(-1)];
  try {
    const table = await completionTable();
    const { candidates, argv: parsed } = tableCompletion(
      table,
      yargsCompletionArgs(words).slice(1),
    );
    const names = await snapshotCandidates(words, parsed, terminal.env);
    const formats = OUTPUT_FLAGS.has(words.at(-2) ?? '')
      ? outputCompletions(String(parsed._[0] ?? ''))
      : words.at(-1)?.startsWith('--demo=')
        ? DEMO_CHOICES.map((variant) => `--demo=${variant}`)
        : candidates;
    const descriptions = argv[0] === COMPLETE_COMMAND;
    await terminal.out(
      names ? snapshotReply(names, descriptions) : completionReply(words, formats),
    );
    return 0;
  } catch (error) {
    terminal.err(failureReport(error, 0));
    return ERROR_EXIT;
  }
}
