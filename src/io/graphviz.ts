import { spawn } from 'node:child_process';
import { UserError } from '../errors.js';

/** Graphviz's layout command. */
const DOT_COMMAND = 'dot';

/**
 * Lays out a DOT graph as SVG with Graphviz's `dot` found on the environment's PATH. A missing
 * `dot`, or one that fails, is the user's to fix: a one-line UserError.
 */
export function renderSvg(dot: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOT_COMMAND, ['-Tsvg'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new UserError(
          error.code === 'ENOENT'
            ? '-o svg needs Graphviz: no `dot` on PATH (install graphviz, or use -o dot and render it elsewhere)'
            : `-o svg: cannot run dot: ${error.message}`,
        ),
      );
    });
    // dot may exit before reading its input; the exit code says what went wrong.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(stdout).toString('utf8'));
      const said = Buffer.concat(stderr).toString('utf8').trim().split('\n')[0];
      reject(new UserError(`-o svg: dot failed: ${said || `exit code ${code}`}`));
    });
    child.stdin.end(dot);
  });
}
