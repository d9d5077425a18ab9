import { Text } from 'ink';
import { bindingsOn, type KeyBinding } from '../keymap.js';
import type { InputMode, Screen } from '../state.js';

/** Props of Footer. */
export interface FooterProps {
  readonly screen: Screen['id'];
  readonly mode: InputMode;
  readonly input: string;
  readonly width: number;
}

/** The bottom line: what is being typed, or the keys that work on this screen. */
export function Footer({ screen, mode, input, width }: FooterProps) {
  if (mode === 'filter')
    return <Text wrap="truncate">{`/${input}█  (enter: keep, esc: clear)`}</Text>;
  if (mode === 'command')
    return <Text wrap="truncate">{`:${input}█  (ns, po, netpol, ctx [NAME])`}</Text>;
  // The keys that get a user out come first, so they survive a narrow terminal.
  const first = (b: KeyBinding) => (['back', 'help', 'quit'].includes(b.command) ? 0 : 1);
  const shown = new Set<string>();
  const keys = bindingsOn(screen)
    // One key per command: "q quit" where q quits, "ctrl-c quit" where q is typed text.
    .filter((b) => b.hint !== undefined && !shown.has(b.command) && shown.add(b.command))
    .sort((a, b) => first(a) - first(b))
    .map((b) => `${b.label} ${b.hint}`)
    .join('  ');
  return (
    <Text dimColor wrap="truncate">
      {keys.slice(0, width)}
    </Text>
  );
}
