import { main } from '../../src/cli.js';
import type { Terminal } from '../../src/io/terminal.js';

/** What one command-line run printed and returned. */
export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command line in-process, as `kubectl netpol ARGS`, with optional stdin text. */
export async function runCli(
  args: readonly string[],
  stdin = '',
  env: NodeJS.ProcessEnv = { HOME: '/nonexistent-home' },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const terminal: Terminal = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    readStdin: async () => stdin,
    env,
    interactive: false,
  };
  const exitCode = await main(args, terminal);
  return { exitCode, stdout, stderr };
}
