import { Box, Text } from 'ink';
import { type MatrixCursor, type MatrixView, matrixLines } from '../matrix-view.js';

/** Props of MatrixScreen. */
export interface MatrixScreenProps {
  /** The matrix, or undefined while it is computed. */
  readonly view: MatrixView | undefined;
  readonly cursor: MatrixCursor;
  readonly height: number;
  readonly width: number;
  readonly color: boolean;
}

/** The connectivity matrix of a namespace, its cell under the cursor highlighted. */
export function MatrixScreen({ view, cursor, height, width, color }: MatrixScreenProps) {
  if (!view) return <Text>computing…</Text>;
  const lines = matrixLines(view, cursor, width, height);
  return (
    <Box flexDirection="column">
      {lines.map((segments, line) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their place
        <Text key={line} wrap="truncate">
          {segments.map((segment, at) => (
            <Text
              // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their place
              key={at}
              inverse={segment.selected}
              color={color && segment.selected ? 'cyan' : undefined}
            >
              {segment.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
