/** The streams a command talks to, injectable so tests can run commands in-process. */
export interface Terminal {
  /**
   * Writes to standard output. A promise when the reader is behind: wait for it before
   * writing more, so that output waits for the reader instead of piling up in memory.
   */
  out(text: string): undefined | Promise<void>;
  /** Writes to standard error. */
  err(text: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  /** The environment (KUBECONFIG, HOME). */
  readonly env: NodeJS.ProcessEnv;
  /** True when both stdin and stdout are terminals, so the interactive UI can run. */
  readonly interactive: boolean;
}

/**
 * Writes to a stream; when its buffer is full, a promise of the moment it has drained. A
 * stream that fails instead (a reader gone away) never drains: the process guard ends the run.
 */
function writeWithBackpressure(stream: NodeJS.WritableStream, text: string) {
  if (stream.write(text)) return undefined;
  return new Promise<void>((resolve) => stream.once('drain', resolve));
}

/** The real process streams. */
export const processTerminal: Terminal = {
  out: (text) => writeWithBackpressure(process.stdout, text),
  err: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
  // Read when asked: process.stdin is made on first use, and making it loads the stream modules
  // for what stdin is (some 7 ms), which a Tab and most commands never read.
  get interactive() {
    return Boolean(process.stdin.isTTY && process.stdout.isTTY);
  },
};
