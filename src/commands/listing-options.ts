import type { Argv } from 'yargs';
import type { LabelSelector } from '../engine/index.js';
import { UserError } from '../errors.js';
import { terminalText } from '../render/terminal-text.js';
import { parseSelector } from '../syntax/selector-syntax.js';

/** The options of a command that lists pods: -l/--selector. */
export interface SelectorArgs {
  /** -l: only the pods these labels select (kubectl's selector syntax). */
  readonly selector?: LabelSelector;
}

/** The options of a command that prints tables: --no-headers. */
export interface NoHeadersArgs {
  readonly noHeaders?: boolean;
}

/** Declares -l/--selector, parsed as kubectl parses it; a selector that does not parse is named. */
export function selectorOption<T>(yargs: Argv<T>, what: string) {
  return yargs.option('selector', {
    alias: 'l',
    type: 'string',
    requiresArg: true,
    coerce: (text: string): LabelSelector => {
      const parsed = parseSelector(text);
      if (parsed.ok) return parsed.value;
      throw new UserError(`-l ${terminalText(text)}: ${parsed.error}`);
    },
    describe: `label selector (e.g. app=web,tier in (api,db),!canary): ${what}`,
  });
}

/** Declares the interactive UI's -l: checked as a selector, kept as typed for the pods filter. */
export function filterSelectorOption<T>(yargs: Argv<T>) {
  return yargs.option('selector', {
    alias: 'l',
    type: 'string',
    requiresArg: true,
    coerce: (text: string): string => {
      const parsed = parseSelector(text);
      if (parsed.ok) return text;
      throw new UserError(`-l ${terminalText(text)}: ${parsed.error}`);
    },
    describe: 'label selector: start on the pods list, filtered by it (the filter can be edited)',
  });
}

/** Declares --no-headers. */
export function noHeadersOption<T>(yargs: Argv<T>) {
  return yargs.option('no-headers', {
    type: 'boolean',
    describe: "with the text or wide output, don't print the header line of a table",
  });
}
