import { Text } from 'ink';
import { bindingsOn } from '../keymap.js';
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
  const seen = new Set<string>();
  const keys = bindingsOn(screen)
    .filter((b) => !seen.has(b.label) && seen.add(b.label))
    .map((b) => `${b.label} ${b.description}`)
    .join('  ');
  return (
    <Text dimColor wrap="truncate">
      {keys.slice(0, width)}
    </Text>
  );
}
