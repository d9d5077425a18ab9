import { type SpawnOptions, spawn } from 'node:child_process';
import type { CliRun } from './cli.js';

/**
 * Runs a command without blocking this process (which may serve the command's requests) and
 * collects its exit code and output; a command that cannot start rejects.
 */
export function spawnCollected(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? -1, stdout, stderr }));
  });
}
