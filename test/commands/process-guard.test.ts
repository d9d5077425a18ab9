import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const FAIL_LATER = resolve('test/helpers/fail-later-preload.ts');
const REPORT_HINT =
  '(run with -v=6 for the stack trace; please report it at https://github.com/kubectl-netpol/kubectl-netpol/issues)';

/** Runs bin/kubectl-netpol in a child process; `closeStdout` closes its reader at once. */
async function runBin(args: string[], options: { env?: NodeJS.ProcessEnv; closeStdout?: boolean }) {
  const child = spawn(process.execPath, ['--import', FAIL_LATER, 'bin/kubectl-netpol', ...args], {
    env: { ...process.env, HOME: '/nonexistent-home', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (options.closeStdout) child.stdout.destroy();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const [exitCode] = await once(child, 'close');
  return { exitCode, stdout, stderr };
}

describe('bin/kubectl-netpol on failures no command can catch', () => {
  it.each(['throw', 'reject'])('a timer that %ss: one line, no stack, exit 2', async (failure) => {
    const run = await runBin(['matrix', '--demo', '-n', 'production'], {
      env: { NETPOL_TEST_FAIL: failure },
    });
    expect(run.stderr).toBe(
      `error: unexpected TypeError: the test broke; this on purpose ${REPORT_HINT}\n`,
    );
    expect(run.exitCode).toBe(2);
  });

  it('prints the stack trace at -v=6', async () => {
    const run = await runBin(['matrix', '--demo', '-n', 'production', '-v=6'], {
      env: { NETPOL_TEST_FAIL: 'reject' },
    });
    const [first, ...stack] = run.stderr.trimEnd().split('\n');
    expect(first).toBe('error: unexpected TypeError: the test broke; this on purpose');
    expect(stack[0]).toBe('TypeError: the test broke');
    expect(stack.some((line) => line.includes('fail-later-preload.ts'))).toBe(true);
    // The bundle's frames, through its source map: the module that writes output.
    expect(stack.some((line) => /[\\/]src[\\/]io[\\/]terminal\.ts:\d+:\d+\)$/.test(line))).toBe(
      true,
    );
    expect(run.exitCode).toBe(2);
  });

  it('a reader that goes away (| head -1) ends it quietly, as kubectl', async () => {
    const run = await runBin(['matrix', '--demo'], { closeStdout: true });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(141);
  });
});

/** Runs a shell command line in a pseudo-terminal of 100x30 (util-linux script); its output. */
async function inTerminal(commandLine: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn('script', ['-qec', `stty cols 100 rows 30; ${commandLine}`, '/dev/null'], {
    env: { ...process.env, HOME: '/nonexistent-home', TERM: 'xterm-256color', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  await once(child, 'close');
  return output;
}

describe('bin/kubectl-netpol on a failure in the interactive UI', () => {
  it('gives the terminal back first, then prints the one line', async () => {
    const output = await inTerminal(
      `'${process.execPath}' --import '${FAIL_LATER}' bin/kubectl-netpol --demo; echo "exit $?"; stty -a`,
      { NETPOL_TEST_FAIL: 'throw' },
    );
    const report = output.indexOf('error: unexpected TypeError: the test broke; this on purpose');
    expect(output.indexOf('\x1b[?1049h')).toBeGreaterThanOrEqual(0); // the UI was on screen
    expect(report).toBeGreaterThan(output.lastIndexOf('\x1b[?1049l')); // after leaving it
    expect(report).toBeGreaterThan(output.lastIndexOf('\x1b[?25l')); // with the cursor shown
    expect(output.lastIndexOf('\x1b[?25l')).toBeLessThan(output.lastIndexOf('\x1b[?25h'));
    const after = output.slice(report).split('\r\n');
    expect(after[0]).toMatch(/ \(run with -v=6 for the stack trace; please report it at .*\)$/);
    expect(after[1]).toMatch(/exit 2$/);
    // Back in cooked mode: line editing and echo on.
    expect(output.slice(report)).toMatch(/ icanon /);
    expect(output.slice(report)).toMatch(/ echo /);
  });
});
