import { Box, Text } from 'ink';
import { terminalLine } from '../../render/terminal-text.js';

/** Props of Header. */
export interface HeaderProps {
  readonly source: string;
  readonly namespace: string | undefined;
  readonly counts: {
    readonly namespaces: number;
    readonly pods: number;
    readonly policies: number;
  };
  readonly updated: string;
  readonly title: string;
  readonly color: boolean;
}

/**
 * The top lines: where the data comes from, what is selected, how much there is, how fresh;
 * names in them are shown with their control characters escaped.
 */
export function Header({ source, namespace, counts, updated, title, color }: HeaderProps) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold color={color ? 'cyan' : undefined}>
          kubectl netpol
        </Text>
        {terminalLine(
          `  ${updated}  ${source}  ns: ${namespace ?? 'all'}  ${counts.namespaces} ns, ${counts.pods} pods, ${counts.policies} netpol`,
        )}
      </Text>
      <Text bold wrap="truncate">
        {terminalLine(title)}
      </Text>
    </Box>
  );
}
