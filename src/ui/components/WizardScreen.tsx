import cliTruncate from 'cli-truncate';
import { Box, Text } from 'ink';
import type { DnsRuleTarget } from '../../engine/index.js';
import { terminalLine, terminalList, terminalText } from '../../render/terminal-text.js';
import { WIZARD_TEMPLATES, wizardTitle } from '../wizard.js';
import type { WizardFormView } from '../wizard-view.js';
import { Picker } from './Picker.js';

/** Props of TemplatePicker. */
export interface TemplatePickerProps {
  /** The template under the cursor, which enter chooses. */
  readonly selected: number;
  /** The snapshot's DNS (dnsRuleTarget), whose ports allow-dns's title names. */
  readonly dns: DnsRuleTarget;
  readonly color: boolean;
}

/** The first step of the wizard: which policy to write. */
export function TemplatePicker({ selected, dns, color }: TemplatePickerProps) {
  return (
    <Box flexDirection="column">
      <Text>Which policy? (↑↓ to move, enter to choose)</Text>
      <Picker
        labels={WIZARD_TEMPLATES.map((t) => wizardTitle(t, dns))}
        selected={selected}
        color={color}
      />
    </Box>
  );
}

/** Props of WizardForm. */
export interface WizardFormProps {
  readonly view: WizardFormView;
  readonly width: number;
  readonly color: boolean;
}

/**
 * The wizard's form: each field, what it matches now, suggestions, and whether it is valid.
 * Typed or pasted values and the suggestions taken from the cluster are shown escaped.
 */
export function WizardForm({ view, width, color }: WizardFormProps) {
  const labelWidth = Math.max(...view.rows.map((r) => `${r.field.label} (${r.field.flag})`.length));
  const { error } = view.result;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {terminalLine(view.title)}
      </Text>
      {view.companions.map((line) => (
        <Text key={line} dimColor wrap="truncate">
          {terminalLine(line)}
        </Text>
      ))}
      {view.rows.map((row) => {
        const label = `${row.focused ? '›' : ' '} ${`${row.field.label} (${row.field.flag})`.padEnd(labelWidth)}: `;
        const note = terminalLine(`  ${row.warn ? '! ' : ''}${row.note}`);
        // The note says what the value matches: keep it on screen by cutting a long value.
        const room = Math.max(10, width - label.length - note.length - 1);
        const value = row.field.choices
          ? row.field.choices.map((c) => (c === row.value ? `[${c}]` : c)).join(' ')
          : `${terminalText(row.value)}${row.focused ? '█' : ''}`;
        return (
          <Text key={row.field.id} wrap="truncate">
            <Text bold={row.focused}>{label}</Text>
            <Text inverse={row.focused && color}>
              {cliTruncate(value, room, { position: 'start' })}
            </Text>
            <Text color={color && row.warn ? 'yellow' : undefined} dimColor={!row.warn}>
              {note}
            </Text>
          </Text>
        );
      })}
      <Text dimColor wrap="truncate">
        {view.suggestions.length > 0
          ? `suggestions (→ takes the first): ${terminalList(view.suggestions, '  ')}`
          : ' '}
      </Text>
      <Text color={color ? (error ? 'red' : 'green') : undefined} wrap="wrap">
        {error ? terminalLine(`✗ ${error}`) : '✓ valid: enter shows the YAML and its effect'}
      </Text>
    </Box>
  );
}
