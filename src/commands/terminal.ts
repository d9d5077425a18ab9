import type { Terminal } from '../io/terminal.js';
import { terminalBlock } from '../render/terminal-text.js';

/**
 * The terminal with a guard on both streams: whatever slipped through unescaped, a control or
 * bidi character is shown escaped. Text of our own (JSON, YAML, scripts, help) holds none.
 */
export function guardedTerminal(terminal: Terminal): Terminal {
  return {
    ...terminal,
    out: (text) => terminal.out(terminalBlock(text)),
    err: (text) => terminal.err(terminalBlock(text)),
  };
}
