import type { Terminal } from '../io/terminal.js';
import { terminalBlock } from '../render/terminal-text.js';

/**
 * The terminal with a guard on both streams: whatever slipped through unescaped, a control or
 * bidi character is shown escaped. Text of our own (JSON, YAML, scripts, help) holds none.
 */
export function guardedTerminal(terminal: Terminal): Terminal {
  return {
    out: (text) => terminal.out(terminalBlock(text)),
    err: (text) => terminal.err(terminalBlock(text)),
    readStdin: () => terminal.readStdin(),
    env: terminal.env,
    // Asked of the terminal when read, not copied: the process's reads stdin, made on first use.
    get interactive() {
      return terminal.interactive;
    },
  };
}
