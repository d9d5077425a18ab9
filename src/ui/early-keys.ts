/** Ctrl-C as a terminal in raw mode delivers it: a byte, not a signal. */
const CTRL_C = 0x03;

/** The part of a terminal's stdin that holding keys needs (process.stdin in a terminal). */
export interface KeyboardStream {
  setRawMode(raw: boolean): unknown;
  on(event: 'readable', listener: () => void): unknown;
  off(event: 'readable', listener: () => void): unknown;
  read(): Buffer | string | null;
  unshift(chunk: Buffer): void;
}

/** Keys typed while the UI loads, held until it can read them. */
export interface EarlyKeys {
  /** Puts the keys held back into stdin, in order, for the UI to read first (raw mode stays on). */
  handOver(): void;
  /** Drops the keys held and gives the terminal its line mode back (the UI will not start). */
  abandon(): void;
}

/**
 * Holds the keys typed while the UI's snapshot loads: the terminal goes into raw mode at once,
 * so that it neither echoes them over the screen nor keeps them in its line editor, and they
 * wait here for the UI. Ctrl-C meanwhile gives the terminal back and calls `interrupt`, as the
 * signal it stands for would.
 */
export function holdEarlyKeys(stdin: KeyboardStream, interrupt: () => void): EarlyKeys {
  const held: Buffer[] = [];
  let holding = true;
  // Read as Ink reads (on 'readable'), never in flowing mode: once this listener is removed the
  // stream is as Ink expects to find it, still reading from the terminal.
  const stop = () => {
    holding = false;
    stdin.off('readable', hold);
  };
  function hold() {
    for (let chunk = stdin.read(); chunk !== null; chunk = stdin.read()) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (bytes.includes(CTRL_C)) {
        stop();
        stdin.setRawMode(false);
        interrupt();
        return;
      }
      held.push(bytes);
    }
  }
  stdin.setRawMode(true);
  stdin.on('readable', hold);
  return {
    handOver: () => {
      if (!holding) return;
      stop();
      if (held.length > 0) stdin.unshift(Buffer.concat(held));
    },
    abandon: () => {
      if (!holding) return;
      stop();
      stdin.setRawMode(false);
    },
  };
}
