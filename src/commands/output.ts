import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { jsonText, yamlText } from '../render/structured.js';
import { terminalLine } from '../render/terminal-text.js';

/** Output formats of -o. */
export type OutputFormat = 'text' | 'json' | 'yaml';

/** The values -o accepts. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'yaml'];

/** Prints data as JSON or YAML; text is the command's own business. */
export function printStructured(terminal: Terminal, format: OutputFormat, data: unknown): void {
  if (format === 'json') terminal.out(`${jsonText(data, 2)}\n`);
  else if (format === 'yaml') terminal.out(yamlText(data, { aliasDuplicateObjects: false }));
  else throw new UserError(`internal: no structured form for ${format}`);
}

/** Prints lines of text; a control character inside a line, a newline too, is shown escaped. */
export function printLines(terminal: Terminal, lines: readonly string[]): void {
  terminal.out(lines.length > 0 ? `${lines.map(terminalLine).join('\n')}\n` : '');
}
