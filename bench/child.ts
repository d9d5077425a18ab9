import { spawn } from 'node:child_process';

/**
 * Runs a measurement script in a fresh Node process (so its heap and peak RSS are its own) and
 * resolves to the one JSON line it prints. `filterStderr` may rewrite what it logs.
 */
export function measureInChild(
  what: string,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  filterStderr: (text: string) => string = (text) => text,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      process.stderr.write(filterStderr(chunk));
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.trim().split('\n');
      if (code !== 0 || lines.length !== 1)
        reject(new Error(`measuring ${what} failed (exit ${code}): ${stdout}`));
      else resolve(lines[0] as string);
    });
  });
}
