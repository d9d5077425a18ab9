import cliTruncate from 'cli-truncate';
import { Box, Text } from 'ink';
import { terminalLine } from '../../render/terminal-text.js';

/** The largest scroll offset that still fills the view. */
export function maxScroll(lines: number, height: number): number {
  return Math.max(0, lines - height);
}

/** Props of TextView. */
export interface TextViewProps {
  readonly lines: readonly string[];
  readonly scroll: number;
  readonly height: number;
  readonly width: number;
}

/**
 * Scrollable lines of text, cut to the width in terminal columns; the scroll offset is clamped
 * to the text. A control character left in a line is shown escaped.
 */
export function TextView({ lines, scroll, height, width }: TextViewProps) {
  const start = Math.min(scroll, maxScroll(lines.length, height));
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(start, start + height).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond position
        <Text key={start + i} wrap="truncate">
          {cliTruncate(terminalLine(line), width) || ' '}
        </Text>
      ))}
    </Box>
  );
}
