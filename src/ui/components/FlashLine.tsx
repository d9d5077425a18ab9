import { Text } from 'ink';
import type { Flash } from '../state.js';

const COLORS = { info: 'green', warning: 'yellow', error: 'red' } as const;

/** One line for the latest message; errors never take the UI down, they land here. */
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
      {`${flash.level === 'info' ? '' : `${flash.level}: `}${flash.text}`}
    </Text>
  );
}
