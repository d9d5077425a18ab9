import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import { type Outcome, PROTOCOLS } from '../../engine/index.js';
import { terminalText } from '../../render/terminal-text.js';
import type { CheckView } from '../check-view.js';
import type { CheckField, CheckForm } from '../state.js';
import { Picker } from './Picker.js';
import { TextView } from './TextView.js';

/** The fields typed as text. */
type TextField = Exclude<CheckField, 'protocol' | 'result'>;

const LABELS: Record<TextField, string> = {
  source: 'source      (ns/name, deploy/NAME, svc/NAME[.NS], IP)',
  destination: 'destination (ns/name, deploy/NAME, svc/NAME[.NS], IP)',
  port: 'port        (number or name)',
};

/** A field's label with its hint of what it takes, or without it when the value would not fit. */
function fieldLabel(name: TextField, focused: boolean, valueWidth: number, width: number): string {
  const marker = focused ? '›' : ' ';
  const full = `${marker} ${LABELS[name]}: `;
  return stringWidth(full) + valueWidth <= width ? full : `${marker} ${name.padEnd(11)}: `;
}

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
}

const OUTCOME_COLORS: Record<Outcome, string> = {
  ALLOWED: 'green',
  DENIED: 'red',
  UNKNOWN: 'yellow',
};

/** The traffic check: a small form, then the verdict and its explanation. */
export function CheckScreen(props: CheckScreenProps) {
  const { form, view, height, width, scroll, color } = props;
  const field = (name: TextField) => {
    const focused = form.focus === name;
    const value = `${terminalText(form[name])}${focused ? '█' : ''}`;
    const label = fieldLabel(name, focused, stringWidth(value), width);
    // The end of what is typed stays in view: that is where typing and tab completion happen.
    const room = Math.max(1, width - stringWidth(label));
    const shown = focused && stringWidth(value) > room ? `…${value.slice(-(room - 1))}` : value;
    return (
      <Text key={name} wrap="truncate">
        <Text bold={focused}>{label}</Text>
        <Text inverse={focused && color}>{shown}</Text>
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
          <Picker labels={PROTOCOLS} selected={PROTOCOLS.indexOf(form.protocol)} color={color} />
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
