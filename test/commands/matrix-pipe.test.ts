import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_SIZES, generateCluster } from '../../bench/synthetic-cluster.js';
import { writeManifests } from '../../bench/write-manifests.js';
import { BatchedOutput } from '../../src/commands/output.js';
import type { Terminal } from '../../src/io/terminal.js';
import { runCli } from '../helpers/cli.js';

/** A whole matrix of 1,000 pods is tens of megabytes: far more than any pipe holds. */
const LARGE = CLUSTER_SIZES.small;
const SLOW = 120_000;

type Reader = 'slow' | 'closed-at-once' | 'closed-after-first-chunk';

/** Runs bin/kubectl-netpol ARGS with its output read as `reader` says; what came out. */
async function runPiped(args: readonly string[], reader: Reader) {
  const child = spawn(process.execPath, ['bin/kubectl-netpol', ...args], {
    env: { ...process.env, HOME: '/nonexistent-home' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = once(child, 'close');
  const chunks: Buffer[] = [];
  if (reader === 'closed-at-once') child.stdout.destroy();
  else {
    for await (const chunk of child.stdout) {
      chunks.push(chunk as Buffer);
      if (reader === 'closed-after-first-chunk') {
        child.stdout.destroy();
        break;
      }
      await pause(1); // a reader slower than the writer, as `| less` or a slow network
    }
  }
  const [exitCode] = await closed;
  const errors = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('warning:'));
  return { exitCode, stdout: Buffer.concat(chunks).toString('utf8'), errors };
}

describe('matrix of a large cluster written to a pipe', () => {
  let dir = '';
  beforeAll(async () => {
    if (!existsSync('dist/src/cli.js')) throw new Error('bin/kubectl-netpol needs `npm run build`');
    dir = join(mkdtempSync(join(tmpdir(), 'netpol-matrix-pipe-')), 'cluster');
    await writeManifests(generateCluster(LARGE), dir);
  }, SLOW);

  it.each([
    ['json', ['-o', 'json']],
    ['text', []],
  ])(
    'as %s, reaches a slow reader whole, byte for byte as written in-process',
    async (_, format) => {
      const args = ['matrix', '-f', dir, ...format];
      const piped = await runPiped(args, 'slow');
      expect(piped.errors).toEqual([]);
      expect(piped.exitCode).toBe(0);
      const expected = (await runCli(args)).stdout;
      expect(piped.stdout.length).toBeGreaterThan(1_000_000);
      expect(piped.stdout === expected).toBe(true);
    },
    SLOW,
  );

  it.each<[string, Reader]>([
    ['json', 'closed-at-once'],
    ['json', 'closed-after-first-chunk'],
    ['yaml', 'closed-at-once'],
    ['yaml', 'closed-after-first-chunk'],
  ])(
    'as %s, ends quietly with 141, as kubectl, when the reader is %s (| head -c 100)',
    async (format, reader) => {
      const piped = await runPiped(['matrix', '-f', dir, '-o', format], reader);
      expect(piped.errors).toEqual([]);
      expect(piped.exitCode).toBe(141);
    },
    SLOW,
  );
});

describe('BatchedOutput', () => {
  /** A terminal whose reader takes in a write only when told to. */
  function slowTerminal() {
    const writes: string[] = [];
    const readers: (() => void)[] = [];
    const terminal: Terminal = {
      out: (text) => {
        writes.push(text);
        return new Promise<void>((resolve) => readers.push(resolve));
      },
      err: () => {},
      readStdin: async () => '',
      env: {},
      interactive: false,
    };
    return { terminal, writes, readers };
  }

  it('gathers small pieces into one write', async () => {
    const { terminal, writes, readers } = slowTerminal();
    const output = new BatchedOutput(terminal);
    for (let i = 0; i < 1000; i++) expect(output.write(`piece ${i}\n`)).toBeUndefined();
    expect(writes).toEqual([]);
    const flushed = output.flush();
    readers[0]?.();
    await flushed;
    expect(writes).toHaveLength(1);
    expect(writes[0]?.split('\n')).toHaveLength(1001);
  });

  it('makes the writer wait while the reader has not taken in the last write', async () => {
    const { terminal, writes, readers } = slowTerminal();
    const output = new BatchedOutput(terminal);
    const piece = 'x'.repeat(1024);
    let behind: Promise<void> | undefined;
    let pieces = 0;
    while (!behind) {
      behind = output.write(piece);
      pieces++;
    }
    expect(writes.join('')).toBe(piece.repeat(pieces));
    let caughtUp = false;
    void behind.then(() => {
      caughtUp = true;
    });
    await Promise.resolve();
    expect(caughtUp).toBe(false);
    readers[0]?.();
    await behind;
    expect(caughtUp).toBe(true);
  });

  it('writes nothing for nothing', async () => {
    const { terminal, writes } = slowTerminal();
    await new BatchedOutput(terminal).flush();
    expect(writes).toEqual([]);
  });
});
