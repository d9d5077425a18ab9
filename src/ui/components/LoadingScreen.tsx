import { Box, Text, useWindowSize } from 'ink';
import type { ReadProgress } from '../../io/manifests/read-paths.js';
import { terminalLine } from '../../render/terminal-text.js';
import { loadingText } from '../loading.js';

/** Props of LoadingScreen. */
export interface LoadingScreenProps {
  /** Where the snapshot comes from, as the header names it. */
  readonly source: string;
  /** How far the read of manifests has come; undefined before it starts or for other sources. */
  readonly progress?: ReadProgress;
  readonly color: boolean;
}

/**
 * The frame drawn while the first snapshot loads: the header's title and source, and how far
 * the read has come. Keys typed meanwhile wait for the lists (early-keys.ts), ctrl-c quits.
 */
export function LoadingScreen({ source, progress, color }: LoadingScreenProps) {
  const { rows } = useWindowSize();
  return (
    <Box flexDirection="column" height={rows}>
      <Text wrap="truncate">
        <Text bold color={color ? 'cyan' : undefined}>
          kubectl netpol
        </Text>
        {`  ${terminalLine(source)}`}
      </Text>
      <Box flexGrow={1} />
      <Text dimColor wrap="truncate">
        {loadingText(progress)}
      </Text>
      <Text wrap="truncate">ctrl-c quit · keys typed now act once the lists are in</Text>
    </Box>
  );
}
