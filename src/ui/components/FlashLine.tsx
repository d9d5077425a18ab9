import { Text } from 'ink';
import { terminalLine } from '../../render/terminal-text.js';
import type { Flash } from '../state.js';

const COLORS = { info: 'green', warning: 'yellow', error: 'red' } as const;

/**
 * One line for the latest message; errors never take the UI down, they land here, with any
 * control character of an API server's or a plugin's message shown escaped.
 */
export function FlashLine({
  flash,
  color,
}: {
  readonly flash: Flash | undefined;
  readonly color: boolean;
}) {
  if (!flash) return <Text> </Text>;
  return (
    <Text color={color ? COLORS[flash.level] : undefined} wrap="truncate">
      {terminalLine(`${flash.level === 'info' ? '' : `${flash.level}: `}${flash.text}`)}
    </Text>
  );
}
