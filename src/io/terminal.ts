/** The streams a command talks to, injectable so tests can run commands in-process. */
export interface Terminal {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  /** The environment (KUBECONFIG, HOME). */
  readonly env: NodeJS.ProcessEnv;
  /** True when both stdin and stdout are terminals, so the interactive UI can run. */
  readonly interactive: boolean;
}

/** The real process streams. */
export const processTerminal: Terminal = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
};
