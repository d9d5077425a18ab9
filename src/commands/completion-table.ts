// What yargs completes, as data: the table is read off the yargs parser (completionTable in
// cli.ts; the bundle carries it, made at build time), and tableCompletion answers from it as
// yargs's default completion does, so `__complete` needs neither yargs nor the parser's code.

/** An option of a command as yargs declares it: each alias of an option is also one. */
export interface TableOption {
  readonly key: string;
  /** Its other names, camelCase forms included, as yargs-parser aliases them. */
  readonly aliases: readonly string[];
  /** Offered as a flag (neither hidden nor a positional's key). */
  readonly offered: boolean;
  /** Takes the next word as its value (not a boolean). */
  readonly takesValue: boolean;
  /** Takes every word that follows up to the next flag (an array option). */
  readonly takesAll?: boolean;
  readonly choices?: readonly string[];
}

/** What yargs completes in one command's context (the root's, or a command's). */
export interface CompletionContext {
  /** The subcommands, in yargs's order (`$0` for the default command). */
  readonly commands: readonly string[];
  /** How many command words lead to this context. */
  readonly depth: number;
  readonly options: readonly TableOption[];
  /** The choices of each positional, in order (empty when it has none). */
  readonly positionals: readonly (readonly string[])[];
  /** The contexts of the subcommands whose builder declares more. */
  readonly children: Readonly<Record<string, CompletionContext>>;
}

/** The parsed words as yargs parses them for completion: positionals and option values. */
export interface TableArguments {
  readonly _: string[];
  readonly $0: string;
  readonly [key: string]: unknown;
}

/** What tableCompletion answers: yargs's candidates and the words as it parsed them. */
export interface TableCompletion {
  readonly candidates: string[];
  readonly argv: TableArguments;
}

/** The option `name` (a key or an alias, without dashes) names in `context`. */
function optionNamed(context: CompletionContext, name: string): TableOption | undefined {
  return context.options.find((option) => option.key === name || option.aliases.includes(name));
}

/** Records `value` for an option under every name yargs-parser sets: repeated, an array. */
function setValue(values: Record<string, unknown>, names: readonly string[], value: unknown) {
  for (const name of names) {
    const old = values[name];
    values[name] = old === undefined ? value : [old, value].flat();
  }
}

/**
 * The words parsed as yargs-parser parses them: `--` ends the options, `--key=value` and
 * `-k=value` carry their value, an option that is not a boolean (or is unknown) takes the next
 * word unless it starts with `-` (an array option every such word), a boolean only `true` or
 * `false`.
 */
function parseWords(context: CompletionContext, args: readonly string[]): TableArguments {
  const positionals: string[] = [];
  const values: Record<string, unknown> = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(index + 1));
      break;
    }
    const flag = /^--?([^=]+)(=(.*))?$/s.exec(arg);
    if (!flag || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const [, written = '', withValue, inline] = flag;
    // `-abc` sets a, b and c; only the last can take a value.
    const names = arg.startsWith('--') || withValue ? [written] : [...written];
    for (const name of names.slice(0, -1)) setValue(values, [name], true);
    const name = names.at(-1) ?? '';
    const option = optionNamed(context, name);
    const keys = option ? [option.key, ...option.aliases] : [name];
    const next = args[index + 1];
    if (withValue) setValue(values, keys, inline);
    else if (option?.takesAll) {
      const end = args.findIndex((word, at) => at > index && word.startsWith('-'));
      const taken = args.slice(index + 1, end === -1 ? args.length : end);
      setValue(values, keys, taken);
      index += taken.length;
    } else if (option && !option.takesValue) {
      const given = next === 'true' || next === 'false';
      setValue(values, keys, given ? next === 'true' : true);
      if (given) index++;
    } else if (next !== undefined && !next.startsWith('-')) {
      setValue(values, keys, next);
      index++;
    } else setValue(values, keys, option ? '' : true);
  }
  return { ...values, _: positionals, $0: '' };
}

/** The context the words lead to, as yargs descends (any word naming a subcommand). */
function descend(table: CompletionContext, args: readonly string[]) {
  let context = table;
  let afterLastCommand = 0;
  for (let found = true; found; ) {
    found = false;
    for (const [index, arg] of args.entries()) {
      const child = Object.hasOwn(context.children, arg) ? context.children[arg] : undefined;
      if (child) {
        context = child;
        afterLastCommand = index + 1;
        found = true;
        break;
      }
    }
  }
  return { context, afterLastCommand };
}

/** The choices of the option the word before the current one (or the one before) names. */
function previousChoices(context: CompletionContext, args: readonly string[]) {
  let previous = args.at(-1) ?? '';
  let filter = '';
  if (!previous.startsWith('-') && args.length > 1) {
    filter = previous;
    previous = args.at(-2) ?? '';
  }
  if (args.length === 0 || !previous.startsWith('-')) return [];
  const choices = optionNamed(context, previous.replace(/^-+/, ''))?.choices ?? [];
  return choices.filter((choice) => !filter || choice.startsWith(filter));
}

/** Whether the words name the option already (`-k` for one letter, else `--key`). */
function named(args: readonly string[], option: TableOption): boolean {
  const flag = (name: string) => (/^[^0-9]$/.test(name) ? `-${name}` : `--${name}`);
  return [option.key, ...option.aliases].some((name) => args.includes(flag(name)));
}

/**
 * What yargs's default completion offers for `args` (the words after `--get-yargs-completions`,
 * the current one last) from the table: subcommands not yet given, then flags not yet given
 * (for a `-`, or when no command is left), then the choices of the option before, or of the
 * positional being completed.
 */
export function tableCompletion(
  table: CompletionContext,
  args: readonly string[],
): TableCompletion {
  const { context, afterLastCommand } = descend(table, args);
  const argv = parseWords(context, args);
  const current = args.at(-1) ?? '';
  const choices = previousChoices(context, args);
  const candidates: string[] = [];
  if (!current.startsWith('-') && choices.length === 0) {
    candidates.push(...context.commands.filter((command) => !args.includes(command)));
  }
  if ((current.startsWith('-') || (current === '' && candidates.length === 0)) && !choices.length) {
    for (const option of context.options) {
      if (!option.offered || named(args, option)) continue;
      const short = !current.startsWith('--') && /^[^0-9]$/.test(option.key);
      candidates.push(`${short ? '-' : '--'}${option.key}`);
    }
  }
  candidates.push(...choices);
  if (current === '' && candidates.length > 0 && choices.length > 0) return { candidates, argv };
  const offset = Math.max(afterLastCommand, context.depth + 1);
  const positional = context.positionals[argv._.length - offset - 1] ?? [];
  candidates.push(...positional.filter((choice) => choice.startsWith(current)));
  return { candidates, argv };
}
