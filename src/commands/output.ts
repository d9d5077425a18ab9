import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { jsonText, yamlText } from '../render/structured.js';
import { terminalLine } from '../render/terminal-text.js';
import type { OutputFormat } from './output-format.js';

/** How many characters are gathered into one write: few writes, and output starts early. */
const BATCH_CHARS = 64 * 1024;

/**
 * Standard output for output written in many pieces: pieces are gathered into writes of
 * about BATCH_CHARS, and a write waits while the reader is behind, so memory stays bounded
 * whatever the size of the output and however slow the reader.
 */
export class BatchedOutput {
  #gathered = '';

  constructor(private readonly terminal: Terminal) {}

  /** Adds a piece; a promise when the caller must wait for it before adding more. */
  write(text: string): undefined | Promise<void> {
    this.#gathered += text;
    return this.#gathered.length >= BATCH_CHARS ? this.flush() : undefined;
  }

  /** Writes what is gathered; resolves once the reader has taken it in. */
  async flush(): Promise<void> {
    const text = this.#gathered;
    this.#gathered = '';
    if (text !== '') await this.terminal.out(text);
  }
}

/** Prints data as JSON or YAML; text is the command's own business. */
export async function printStructured(
  terminal: Terminal,
  format: OutputFormat,
  data: unknown,
): Promise<void> {
  if (format === 'json') await terminal.out(`${jsonText(data, 2)}\n`);
  else if (format === 'yaml') await terminal.out(yamlText(data, { aliasDuplicateObjects: false }));
  else throw new UserError(`internal: no structured form for ${format}`);
}

/**
 * Prints lines of text as they come; a control character inside a line, a newline too, is
 * shown escaped.
 */
export async function printLines(terminal: Terminal, lines: Iterable<string>): Promise<void> {
  const output = new BatchedOutput(terminal);
  for (const line of lines) {
    const behind = output.write(`${terminalLine(line)}\n`);
    if (behind) await behind;
  }
  await output.flush();
}
