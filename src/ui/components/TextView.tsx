import { Box, Text } from 'ink';

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

/** Scrollable lines of text, cut to the width; the scroll offset is clamped to the text. */
export function TextView({ lines, scroll, height, width }: TextViewProps) {
  const start = Math.min(scroll, maxScroll(lines.length, height));
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(start, start + height).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond position
        <Text key={start + i} wrap="truncate">
          {(line.length > width ? `${line.slice(0, width - 1)}…` : line) || ' '}
        </Text>
      ))}
    </Box>
  );
}
