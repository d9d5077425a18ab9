import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const saveDenyTo = (path: string, ...flags: string[]) =>
  runCli(['scaffold', 'default-deny', '-n', 'shop', '--demo', '--save', path, ...flags]);

/** The error lines of stderr (a save first prints the policy's effect as comments). */
const errorLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.startsWith('error:'));

const scratch = () => mkdtempSync(join(tmpdir(), 'netpol-save-'));

/**
 * A character device we may break if saving ever regresses: our own node for /dev/null's
 * device when we can make one (as root), else /dev/null itself, which only root could replace.
 */
function characterDevice(): string {
  const path = join(scratch(), 'null');
  try {
    execFileSync('mknod', [path, 'c', '1', '3'], { stdio: 'ignore' });
    return path;
  } catch {
    return '/dev/null';
  }
}

/** What is at `path`: its type and permissions, link target and contents where it has them. */
function snapshot(path: string) {
  const stats = lstatSync(path);
  return {
    mode: stats.mode,
    rdev: stats.rdev,
    ino: stats.ino,
    link: stats.isSymbolicLink() ? readlinkSync(path) : undefined,
    entries: stats.isDirectory() ? readdirSync(path) : undefined,
  };
}

describe('kubectl netpol scaffold --save', () => {
  it.each([
    ['a character device', characterDevice, 'a character device'],
    [
      'a directory',
      () => {
        const dir = join(scratch(), 'policies');
        mkdirSync(dir);
        return dir;
      },
      'a directory',
    ],
    [
      'a FIFO',
      () => {
        const fifo = join(scratch(), 'deny.yaml');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
      'a FIFO',
    ],
    [
      'a socket',
      () => {
        const socket = join(scratch(), 'deny.yaml');
        // A server that exits without closing leaves its socket file behind.
        const listen = `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => process.exit(0))`;
        execFileSync(process.execPath, ['-e', listen]);
        return socket;
      },
      'a socket',
    ],
    [
      'a symbolic link to a directory',
      () => {
        const dir = scratch();
        symlinkSync(dir, join(dir, 'link'));
        return join(dir, 'link');
      },
      'a symbolic link to a directory',
    ],
  ])('refuses %s, even with --force, and leaves it as it was', async (_, make, what) => {
    const path = make();
    const before = snapshot(path);
    const run = await saveDenyTo(path, '--force');
    expect(run.exitCode).toBe(2);
    expect(errorLines(run.stderr)).toEqual([
      `error: ${path} is ${what}: only regular files are saved`,
    ]);
    expect(snapshot(path)).toEqual(before);
  });

  it('refuses an empty file name before doing anything else', async () => {
    const run = await saveDenyTo('');
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'error: --save: the file name is empty\n',
    });
    expect((await runCli(['scaffold', 'default-deny', '--demo', '--save'])).stderr).toBe(
      "error: flag needs an argument: --save\nSee 'kubectl netpol scaffold default-deny --help' for usage.\n",
    );
  });

  it('writes through a symbolic link to a regular file, which stays a link', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'real.yaml'), 'mine\n');
    symlinkSync('real.yaml', join(dir, 'deny.yaml'));
    const refused = await saveDenyTo(join(dir, 'deny.yaml'));
    expect(refused.stderr).toContain('already exists; use --force to overwrite it');
    expect(readFileSync(join(dir, 'real.yaml'), 'utf8')).toBe('mine\n');

    const run = await saveDenyTo(join(dir, 'deny.yaml'), '--force');
    expect(run.exitCode).toBe(0);
    expect(readlinkSync(join(dir, 'deny.yaml'))).toBe('real.yaml');
    expect(readFileSync(join(dir, 'real.yaml'), 'utf8')).toContain('kind: NetworkPolicy');
    expect(readdirSync(dir).sort()).toEqual(['deny.yaml', 'real.yaml']);
  });

  it('names the missing or unwritable directory, not a temporary file', async () => {
    const dir = scratch();
    const missing = await saveDenyTo(join(dir, 'nowhere', 'deny.yaml'));
    expect(missing.exitCode).toBe(2);
    expect(errorLines(missing.stderr)).toEqual([
      `error: ${join(dir, 'nowhere', 'deny.yaml')}: cannot write: the directory ${join(dir, 'nowhere')} does not exist`,
    ]);
    writeFileSync(join(dir, 'file'), 'mine\n');
    const underFile = await saveDenyTo(join(dir, 'file', 'deny.yaml'));
    expect(errorLines(underFile.stderr)).toEqual([
      `error: ${join(dir, 'file', 'deny.yaml')}: cannot write: ${join(dir, 'file')} is not a directory`,
    ]);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('refuses a symbolic link to a missing file rather than replace the link', async () => {
    const dir = scratch();
    symlinkSync('missing.yaml', join(dir, 'deny.yaml'));
    const run = await saveDenyTo(join(dir, 'deny.yaml'), '--force');
    expect(run.stderr).toContain(
      `error: ${join(dir, 'deny.yaml')} is a symbolic link to a missing file`,
    );
    expect(readdirSync(dir)).toEqual(['deny.yaml']);
    expect(readlinkSync(join(dir, 'deny.yaml'))).toBe('missing.yaml');
  });
});

/** Preloaded into the real CLI: the last step of a save waits, so a test can signal it then. */
const SLOW_SAVE = resolve('test/helpers/slow-save-preload.ts');

async function stderrContains(child: ChildProcess, text: string): Promise<void> {
  let seen = '';
  for await (const chunk of child.stderr ?? []) {
    seen += chunk;
    if (seen.includes(text)) return;
  }
  throw new Error(`the CLI ended without printing ${text}: ${seen}`);
}

describe('a signal during --save', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s removes the temporary file, then ends the process by that signal',
    async (signal) => {
      const dir = scratch();
      const child = spawn(
        process.execPath,
        [
          '--import',
          SLOW_SAVE,
          'bin/kubectl-netpol',
          ...['scaffold', 'default-deny', '-n', 'shop', '--demo', '--save', join(dir, 'a.yaml')],
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      await stderrContains(child, 'slow save: waiting');
      // The test is at the right moment: the temporary file is there, not yet renamed.
      expect(readdirSync(dir)).toEqual([expect.stringMatching(/^\.a\.yaml\.\d+\.\d+\.tmp$/)]);
      child.kill(signal);
      const [code, endedBy] = await once(child, 'close');
      // Killed by the signal, as a shell reports with 130 (SIGINT) or 143 (SIGTERM).
      expect({ code, endedBy }).toEqual({ code: null, endedBy: signal });
      expect(readdirSync(dir)).toEqual([]);
    },
  );
});
