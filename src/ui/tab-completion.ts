import { type Analysis, commonPrefix, matchCandidates, targetCandidates } from '../engine/index.js';
import { COMMAND_NAMES } from './jump-commands.js';

/** What Tab does to a typed text: the text it becomes, and the choices left when several. */
export interface TabCompletion {
  readonly text: string;
  readonly choices: readonly string[];
}

/** How many choices the flash line lists before "…". */
const SHOWN_CHOICES = 8;

/**
 * Completes `typed` from the texts that match it: the one match whole (with `after` unless it
 * ends in `/`), else as far as every match agrees; undefined when nothing matches.
 */
function completeFrom(
  typed: string,
  texts: readonly string[],
  after = '',
): TabCompletion | undefined {
  const matches = matchCandidates(
    texts.map((text) => ({ text })),
    typed,
  ).map((match) => match.text);
  const [only] = matches;
  if (only === undefined) return undefined;
  if (matches.length === 1) {
    return { text: only.endsWith('/') ? only : `${only}${after}`, choices: [] };
  }
  const shared = commonPrefix(matches);
  return { text: shared.length > typed.length ? shared : typed, choices: matches };
}

/** Tab in a target field of the check form: namespaces, pods, workloads and services. */
export function completeTarget(
  analysis: Analysis,
  typed: string,
  namespace: string,
): TabCompletion | undefined {
  const texts = targetCandidates(analysis, typed, namespace).map((candidate) => candidate.text);
  return completeFrom(typed, texts);
}

/**
 * Tab after ":": the command's name, then (for `:po` and the like) a namespace, or the one
 * after the last comma (`:matrix NS1,NS2`).
 */
export function completeCommand(
  namespaces: readonly string[],
  typed: string,
): TabCompletion | undefined {
  const space = typed.indexOf(' ');
  if (space < 0) return completeFrom(typed, COMMAND_NAMES, ' ');
  const argument = typed.slice(space + 1).trimStart();
  const head = `${typed.slice(0, space + 1)}${argument.slice(0, argument.lastIndexOf(',') + 1)}`;
  const completed = completeFrom(argument.slice(argument.lastIndexOf(',') + 1), namespaces);
  return completed && { ...completed, text: `${head}${completed.text}` };
}

/** The choices as the flash line lists them. */
export function choicesText(choices: readonly string[]): string {
  const shown = choices.slice(0, SHOWN_CHOICES).join('  ');
  return choices.length > SHOWN_CHOICES ? `${shown}  … (${choices.length})` : shown;
}
