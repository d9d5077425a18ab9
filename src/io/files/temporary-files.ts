import { rmSync } from 'node:fs';

/** The signals that end a command-line tool: ctrl-c, kill, and the terminal closing. */
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type EndingSignal = (typeof ENDING_SIGNALS)[number];

/** The part of `process` that removing files on exit needs; tests pass an EventEmitter. */
export interface ProcessExits {
  readonly pid: number;
  on(event: 'exit', listener: () => void): unknown;
  on(event: EndingSignal, listener: (signal: EndingSignal) => void): unknown;
  off(event: 'exit', listener: () => void): unknown;
  off(event: EndingSignal, listener: (signal: EndingSignal) => void): unknown;
  kill(pid: number, signal: EndingSignal): unknown;
}

/**
 * Files that must not outlive the process: removed when it exits (normally, by
 * `process.exit`, after an uncaught error) or is ended by SIGINT, SIGTERM or SIGHUP. Signal
 * handlers are installed only while a file is tracked, so ctrl-c keeps its default meaning
 * the rest of the time.
 */
export class TemporaryFiles {
  private readonly paths = new Set<string>();

  constructor(
    private readonly process: ProcessExits,
    private readonly remove: (path: string) => void = (path) => rmSync(path, { force: true }),
  ) {}

  /** Tracks `path` until the returned function is called (once it is renamed or removed). */
  track(path: string): () => void {
    if (this.paths.size === 0) this.listen(true);
    this.paths.add(path);
    return () => {
      if (this.paths.delete(path) && this.paths.size === 0) this.listen(false);
    };
  }

  private listen(on: boolean): void {
    const change = on ? this.process.on.bind(this.process) : this.process.off.bind(this.process);
    change('exit', this.removeAll);
    for (const signal of ENDING_SIGNALS) change(signal, this.endBySignal);
  }

  private readonly removeAll = (): void => {
    for (const path of this.paths) {
      try {
        this.remove(path);
      } catch {
        // Best effort: the process is ending and has nowhere to report this.
      }
    }
    this.paths.clear();
    this.listen(false);
  };

  private readonly endBySignal = (signal: EndingSignal): void => {
    this.removeAll();
    // Die of the same signal, as without us: the shell then sees 130 or 143 and a script
    // running us stops, as it would for any other program.
    this.process.kill(this.process.pid, signal);
  };
}

/** The process's temporary files. */
export const temporaryFiles = new TemporaryFiles(process);
