import { Box, Text } from 'ink';

/** Props of Picker. */
export interface PickerProps {
  readonly labels: readonly string[];
  readonly selected: number;
  readonly color: boolean;
}

/**
 * A short list to choose from, the selected item marked. It takes no keys itself: the UI's key
 * queue moves the selection (key-actions.ts), so keys typed while a screen loads wait in order.
 */
export function Picker({ labels, selected, color }: PickerProps) {
  return (
    <Box flexDirection="column">
      {labels.map((label, index) => (
        <Text key={label} wrap="truncate">
          {index === selected ? '› ' : '  '}
          <Text bold={index === selected} color={color && index === selected ? 'blue' : undefined}>
            {label}
          </Text>
        </Text>
      ))}
    </Box>
  );
}
