import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';

/** Props of Picker. */
export interface PickerProps {
  readonly labels: readonly string[];
  readonly selected: number;
  readonly color: boolean;
}

/**
 * A short list to choose from, the selected item marked, drawn by ink-select-input. It takes no
 * keys itself (not focused): the UI's key queue moves the selection (key-actions.ts), so keys
 * typed while a screen loads wait in order; the list is drawn anew at each selection.
 */
export function Picker({ labels, selected, color }: PickerProps) {
  return (
    <SelectInput
      key={selected}
      isFocused={false}
      items={labels.map((label, index) => ({ key: `${index}`, label, value: index }))}
      initialIndex={selected}
      // The marker keeps its two columns when a long label is cut to the line.
      indicatorComponent={({ isSelected }) => (
        <Box flexShrink={0}>
          <Text>{isSelected ? '› ' : '  '}</Text>
        </Box>
      )}
      itemComponent={({ isSelected, label }) => (
        <Text bold={isSelected} color={color && isSelected ? 'blue' : undefined} wrap="truncate">
          {label}
        </Text>
      )}
    />
  );
}
