import { Box, Text, useWindowSize } from 'ink';
import { terminalLine } from '../../render/terminal-text.js';
import { type LoadingStage, loadingText } from '../loading.js';

/** Props of LoadingScreen. */
export interface LoadingScreenProps {
  /** Where the snapshot comes from, as the header names it. */
  readonly source: string;
  /** Where the load is; undefined before the read of manifests starts, or for other sources. */
  readonly stage?: LoadingStage;
  readonly color: boolean;
}

/**
 * The frame drawn while the first snapshot loads: the header's title and source, and how far
 * the load has come. Keys typed meanwhile wait for the lists (early-keys.ts), ctrl-c quits.
 */
export function LoadingScreen({ source, stage, color }: LoadingScreenProps) {
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
        {loadingText(stage)}
      </Text>
      <Text wrap="truncate">ctrl-c quit · keys typed now act once the lists are in</Text>
    </Box>
  );
}
