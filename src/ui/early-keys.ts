/** Ctrl-C as a terminal in raw mode delivers it: a byte, not a signal. */
const CTRL_C = 0x03;

/** The part of a terminal's stdin that holding keys needs (process.stdin in a terminal). */
export interface KeyboardStream {
  setRawMode(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  pause(): unknown;
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
  const stop = () => {
    holding = false;
    stdin.off('data', hold);
    stdin.pause();
  };
  function hold(chunk: Buffer) {
    if (chunk.includes(CTRL_C)) {
      stop();
      stdin.setRawMode(false);
      interrupt();
      return;
    }
    held.push(chunk);
  }
  stdin.setRawMode(true);
  stdin.on('data', hold);
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
