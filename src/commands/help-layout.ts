/**
 * Help in kubectl's layout, made from the help yargs writes: the description, the commands, the
 * examples, the arguments, the command's own options, the usage line, then where the global
 * options are.
 */

/** One paragraph of yargs' help: its `Header:` (if any) and its lines. */
interface Section {
  readonly header?: string;
  readonly lines: string[];
}

/** Splits help text into paragraphs; a paragraph under a header keeps the ones that follow. */
function sections(help: string): Section[] {
  const out: Section[] = [];
  for (const paragraph of help.trimEnd().split(/\n\s*\n/)) {
    const lines = paragraph.split('\n');
    const header = /^([A-Z][\w ]*):$/.exec(lines[0] ?? '')?.[1];
    const previous = out.at(-1);
    if (header) out.push({ header, lines: lines.slice(1) });
    // Examples are paragraphs of their own; a plain paragraph after the options is description.
    else if (previous?.header === 'Examples') previous.lines.push('', ...lines);
    else out.push({ lines });
  }
  return out;
}

/** The names of an option entry's first line: `  -n, --namespace` gives n and namespace. */
function entryNames(line: string): string[] {
  const match = /^ {2}(?:-(\w)(?:, |\s))?\s*(?:--([\w-]+))?/.exec(line);
  return [match?.[1], match?.[2]].filter((name): name is string => name !== undefined);
}

/** Whether a line of the options paragraph starts an entry (the rest continue one). */
function startsEntry(line: string): boolean {
  return /^ {2}-|^ {6}--/.test(line);
}

/** The option entries of an options paragraph, each its lines. */
function entries(lines: readonly string[]): string[][] {
  const out: string[][] = [];
  for (const line of lines) {
    if (startsEntry(line) || out.length === 0) out.push([line]);
    else out.at(-1)?.push(line);
  }
  return out;
}

/** The option names an options listing holds: what `kubectl netpol options` lists. */
export function optionNames(help: string): Set<string> {
  const options = sections(help).find((section) => section.header === 'Options');
  return new Set(entries(options?.lines ?? []).flatMap((entry) => entryNames(entry[0] ?? '')));
}

/** The options paragraph of a help text, lines and all: what `options` prints. */
export function optionsParagraph(help: string): string {
  return sections(help)
    .filter((section) => section.header === 'Options')
    .map((section) => section.lines.join('\n'))
    .join('\n');
}

/**
 * yargs' command list as kubectl's: each subcommand's name (relative to `command`) and summary,
 * the summary unwrapped; the default (the bare command) left out.
 */
function availableCommands(lines: readonly string[], command: string): string[] {
  const listed: { name: string; summary: string }[] = [];
  for (const line of lines) {
    const [usage, ...summary] = line.trim().split(/\s{2,}/);
    if (/^ {2}\S/.test(line) && usage?.startsWith(command)) {
      const name = usage.slice(command.length).trim().split(' ')[0] ?? '';
      listed.push({ name, summary: summary.join(' ') });
    } else {
      const last = listed.at(-1);
      if (last) last.summary = `${last.summary} ${line.trim()}`;
    }
  }
  const shown = listed
    .filter((entry) => entry.name !== '' && !entry.name.startsWith('$'))
    .map((entry) => ({ ...entry, summary: entry.summary.replace(/\s*\[default\]$/, '') }));
  const width = Math.max(...shown.map((entry) => entry.name.length));
  return shown.map((entry) => `  ${entry.name.padEnd(width)}   ${entry.summary}`);
}

/**
 * Rewrites yargs' help for `scriptName` in kubectl's layout. `global` names the options listed by
 * `kubectl netpol options` instead, and `--help` goes too, as kubectl leaves it out.
 */
export function kubectlHelp(help: string, scriptName: string, global: ReadonlySet<string>): string {
  const all = sections(help);
  const [preamble, ...rest] = all[0]?.header === undefined ? all : [{ lines: [] }, ...all];
  const usage = preamble?.lines[0] ?? scriptName;
  // The words of the command, without its positionals: `kubectl netpol check`.
  const command = usage.replace(/\s*[[<].*$/, '');
  const description = preamble?.lines.slice(1).join('\n').trim() ?? '';
  const notes = rest.filter((section) => section.header === undefined);
  const named = (header: string) => rest.find((section) => section.header === header);
  const commands = named('Commands');
  const options = entries(named('Options')?.lines ?? []).filter((entry) =>
    entryNames(entry[0] ?? '').every(
      (name) => !global.has(name) && name !== 'help' && name !== 'h',
    ),
  );
  const blocks = [
    [description, ...notes.map((note) => note.lines.join('\n'))].filter((text) => text !== ''),
    commands
      ? [`Available Commands:\n${availableCommands(commands.lines, command).join('\n')}`]
      : [],
    named('Examples') ? [`Examples:\n${named('Examples')?.lines.join('\n')}`] : [],
    // kubectl's usage line names its arguments; ours need their forms explained.
    named('Positionals') ? [`Arguments:\n${named('Positionals')?.lines.join('\n')}`] : [],
    options.length > 0 ? [`Options:\n${options.map((entry) => entry.join('\n')).join('\n')}`] : [],
    [`Usage:\n  ${commands ? `${command} [command]` : usage} [options]`],
    [
      [
        ...(commands
          ? [`Use "${command} <command> --help" for more information about a given command.`]
          : []),
        `Use "${scriptName} options" for a list of global command-line options (applies to all commands).`,
      ].join('\n'),
    ],
  ];
  return `${blocks.flat().join('\n\n')}\n`;
}
