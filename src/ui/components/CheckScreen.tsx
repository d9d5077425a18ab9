import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import { type Outcome, PROTOCOLS, type Protocol } from '../../engine/index.js';
import { terminalText } from '../../render/terminal-text.js';
import type { CheckView } from '../check-view.js';
import type { CheckField, CheckForm } from '../state.js';
import { TextView } from './TextView.js';

/** The fields typed as text. */
type TextField = Exclude<CheckField, 'protocol' | 'result'>;

const LABELS: Record<TextField, string> = {
  source: 'source      (ns/name, deploy/NAME, svc/NAME[.NS], IP)',
  destination: 'destination (ns/name, deploy/NAME, svc/NAME[.NS], IP)',
  port: 'port        (number or name)',
};

/** Lines the form takes: three fields, the protocol (three while its picker is open), the verdict. */
export function formLines(form: CheckForm): number {
  return form.focus === 'protocol' ? 7 : 5;
}

/** Props of CheckScreen. */
export interface CheckScreenProps {
  readonly form: CheckForm;
  readonly view: CheckView;
  readonly height: number;
  readonly width: number;
  readonly scroll: number;
  readonly color: boolean;
  readonly onProtocol: (protocol: Protocol) => void;
  /** Enter on the protocol picker: take it and run the check. */
  readonly onSubmitProtocol: (protocol: Protocol) => void;
}

const OUTCOME_COLORS: Record<Outcome, string> = {
  ALLOWED: 'green',
  DENIED: 'red',
  UNKNOWN: 'yellow',
};

/** The traffic check: a small form, then the verdict and its explanation. */
export function CheckScreen(props: CheckScreenProps) {
  const { form, view, height, width, scroll, color, onProtocol, onSubmitProtocol } = props;
  const field = (name: TextField) => {
    const focused = form.focus === name;
    return (
      <Text key={name} wrap="truncate">
        <Text bold={focused}>{`${focused ? '›' : ' '} ${LABELS[name]}: `}</Text>
        <Text inverse={focused && color}>{`${terminalText(form[name])}${focused ? '█' : ''}`}</Text>
      </Text>
    );
  };
  const verdict = view.outcome ?? '';
  const verdictColor = color && view.outcome ? OUTCOME_COLORS[view.outcome] : undefined;
  return (
    <Box flexDirection="column" height={height}>
      {field('source')}
      {field('destination')}
      {field('port')}
      <Box>
        <Text
          bold={form.focus === 'protocol'}
        >{`${form.focus === 'protocol' ? '›' : ' '} protocol: `}</Text>
        {form.focus === 'protocol' ? (
          <SelectInput
            items={PROTOCOLS.map((p) => ({ label: p, value: p }))}
            indicatorComponent={({ isSelected }) => <Text>{isSelected ? '› ' : '  '}</Text>}
            itemComponent={({ isSelected, label }) => (
              <Text bold={isSelected} color={color && isSelected ? 'blue' : undefined}>
                {label}
              </Text>
            )}
            initialIndex={PROTOCOLS.indexOf(form.protocol)}
            onHighlight={(item) => onProtocol(item.value)}
            onSelect={(item) => onSubmitProtocol(item.value)}
          />
        ) : (
          <Text>{form.protocol}</Text>
        )}
      </Box>
      <Text wrap="truncate">
        <Text bold color={verdictColor}>
          {verdict || ' '}
        </Text>
        {view.policyOutcome && `  (${view.policyOutcome} by policy, not enforced)`}
      </Text>
      <TextView
        lines={view.lines}
        scroll={scroll}
        height={Math.max(1, height - formLines(form))}
        width={width}
      />
    </Box>
  );
}
