import cliTruncate from 'cli-truncate';
import { Text } from 'ink';
import stringWidth from 'string-width';
import { JUMP_HELP } from '../jump-commands.js';
import { bindingsOn, type KeyAvailability, type KeyBinding, type KeyContext } from '../keymap.js';
import type { Confirmation, InputMode } from '../state.js';

/** Props of Footer. */
export interface FooterProps {
  readonly context: KeyContext;
  readonly availability: KeyAvailability;
  readonly mode: InputMode;
  readonly input: string;
  /** The input is a suggestion that typing replaces: shown highlighted. */
  readonly inputSelected: boolean;
  readonly confirmation: Confirmation | undefined;
  readonly width: number;
  /** Esc does something here; on the namespaces list without a filter it does not. */
  readonly escapeLeads: boolean;
}

/** The bottom line: what is being typed or asked, or the keys that work here. */
export function Footer({
  context,
  availability,
  mode,
  input,
  inputSelected,
  confirmation,
  width,
  escapeLeads,
}: FooterProps) {
  if (mode === 'filter')
    return <Text wrap="truncate">{`/${input}█  (enter: keep, esc: clear)`}</Text>;
  if (mode === 'command')
    return <Text wrap="truncate">{`:${input}█  (tab completes; ${JUMP_HELP} :ctx)`}</Text>;
  if (mode === 'save')
    return (
      <Text wrap="truncate">
        {'save to: '}
        <Text inverse={inputSelected}>{input}</Text>
        {inputSelected
          ? '  (type a name to replace it, backspace: edit, enter: save, esc: cancel)'
          : '█  (enter: save, ctrl-u: clear, esc: cancel)'}
      </Text>
    );
  if (mode === 'confirm') {
    const question =
      confirmation?.kind === 'overwrite'
        ? `${confirmation.path} exists: overwrite it?`
        : (confirmation?.question ?? '');
    // A long question gives way, never the answer it asks for.
    const answers = ' [y/N]';
    return (
      <Text bold wrap="truncate">
        {`${cliTruncate(question, Math.max(1, width - answers.length))}${answers}`}
      </Text>
    );
  }
  // The keys that get a user out come first, so they survive a narrow terminal.
  const first = (b: KeyBinding) => (['back', 'help', 'quit'].includes(b.command) ? 0 : 1);
  const shown = new Set<string>();
  const keys = bindingsOn(context, availability)
    // One key per command: "q quit" where q quits, "ctrl-c quit" where q is typed text.
    .filter((b) => b.hint !== undefined && !shown.has(b.command) && shown.add(b.command))
    .filter((b) => b.command !== 'back' || escapeLeads)
    .sort((a, b) => first(a) - first(b))
    .map((b) => `${b.label} ${b.hint}`);
  return (
    <Text dimColor wrap="truncate">
      {fittingEntries(keys, width)}
    </Text>
  );
}

/** The entries that fit the width whole, two spaces apart: a key is never shown without its hint. */
function fittingEntries(entries: readonly string[], width: number): string {
  let line = '';
  for (const entry of entries) {
    const next = line === '' ? entry : `${line}  ${entry}`;
    if (stringWidth(next) > width) break;
    line = next;
  }
  return line;
}
