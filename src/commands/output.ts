import { readFile } from 'node:fs/promises';
import { fileErrorText, UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { jsonText, jsonTextPieces } from '../render/json-text.js';
import { jsonPathText } from '../render/jsonpath.js';
import { terminalLine, terminalText } from '../render/terminal-text.js';
import { JsonPathSyntaxError } from '../syntax/jsonpath-syntax.js';
import { isJsonPath, type JsonPathFormat, type OutputFormat } from './output-format.js';

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

/** The template of `-o jsonpath=TEMPLATE`, or the content of `-o jsonpath-file=FILE`. */
async function jsonPathTemplate(format: JsonPathFormat): Promise<string> {
  if (format.startsWith('jsonpath=')) return format.slice('jsonpath='.length);
  const file = format.slice('jsonpath-file='.length);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `error reading jsonpath-file ${terminalText(file)}: ${fileErrorText(error)}`,
    );
  }
}

/** The JSONPath template filled from the `-o json` document, as kubectl prints it. */
async function jsonPathOutput(format: JsonPathFormat, data: unknown): Promise<string> {
  const template = await jsonPathTemplate(format);
  // The template reads the document exactly as -o json prints it.
  const document: unknown = JSON.parse(jsonText(data));
  try {
    return jsonPathText(template, document);
  } catch (error) {
    if (!(error instanceof JsonPathSyntaxError)) throw error;
    throw new UserError(`error parsing jsonpath ${template}, ${error.message}`);
  }
}

/** Prints pieces of text as they come, gathered into few writes that wait for the reader. */
async function printPieces(terminal: Terminal, pieces: Iterable<string>): Promise<void> {
  const output = new BatchedOutput(terminal);
  for (const piece of pieces) {
    const behind = output.write(piece);
    if (behind) await behind;
  }
  await output.flush();
}

/** `-o json`'s text of data, ending in a newline, in pieces. */
function* jsonDocument(data: unknown): Generator<string> {
  yield* jsonTextPieces(data, 2);
  yield '\n';
}

/** Prints data as JSON, YAML or a JSONPath template; text, wide and name are the command's. */
export async function printStructured(
  terminal: Terminal,
  format: OutputFormat,
  data: unknown,
): Promise<void> {
  if (isJsonPath(format)) await terminal.out(await jsonPathOutput(format, data));
  else if (format === 'json') await printPieces(terminal, jsonDocument(data));
  else if (format === 'yaml') {
    // Imported here: the yaml package is some 120 kB that no other format needs.
    const { yamlText } = await import('../render/structured.js');
    await terminal.out(yamlText(data, { aliasDuplicateObjects: false }));
  } else throw new UserError(`internal: no structured form for ${format}`);
}

/**
 * Prints lines of text as they come; a control character inside a line, a newline too, is
 * shown escaped.
 */
export async function printLines(terminal: Terminal, lines: Iterable<string>): Promise<void> {
  const escaped = function* () {
    for (const line of lines) yield `${terminalLine(line)}\n`;
  };
  await printPieces(terminal, escaped());
}
