import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdEarlyKeys } from '../../src/ui/early-keys.js';

/** A terminal's stdin: a stream that records its raw mode. */
function keyboard() {
  const stdin = Object.assign(new PassThrough(), { modes: [] as boolean[] });
  const setRawMode = (raw: boolean) => stdin.modes.push(raw);
  return Object.assign(stdin, { setRawMode });
}

/** What a reader that starts after the hand-over reads, as Ink does: on 'readable', read(). */
function readLater(stdin: PassThrough): Promise<string> {
  return new Promise((resolve) => {
    stdin.once('readable', () => resolve(String(stdin.read())));
  });
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('keys typed while the UI loads', () => {
  it('are held in raw mode and read first, in order, by the UI once handed over', async () => {
    const stdin = keyboard();
    const early = holdEarlyKeys(stdin, () => {});
    expect(stdin.modes).toEqual([true]);
    stdin.write('jj');
    stdin.write('\r');
    await turn();
    early.handOver();
    expect(await readLater(stdin)).toBe('jj\r');
    stdin.write('k');
    expect(await readLater(stdin)).toBe('k');
    // The UI keeps raw mode: the hand-over does not turn it off.
    expect(stdin.modes).toEqual([true]);
  });

  it('with none held, keys typed after the hand-over reach the UI', async () => {
    const stdin = keyboard();
    holdEarlyKeys(stdin, () => {}).handOver();
    const read = readLater(stdin);
    stdin.write('q');
    expect(await read).toBe('q');
  });

  it('ctrl-c gives the terminal back and interrupts, rather than waiting for the UI', async () => {
    const stdin = keyboard();
    let interrupted = 0;
    const early = holdEarlyKeys(stdin, () => interrupted++);
    stdin.write('j\u0003');
    await turn();
    expect(interrupted).toBe(1);
    expect(stdin.modes).toEqual([true, false]);
    early.handOver();
    early.abandon();
    expect(stdin.modes).toEqual([true, false]);
  });

  it('a load that fails drops the keys and gives the terminal its line mode back', async () => {
    const stdin = keyboard();
    const early = holdEarlyKeys(stdin, () => {});
    stdin.write('q');
    await turn();
    early.abandon();
    expect(stdin.modes).toEqual([true, false]);
    expect(stdin.listenerCount('readable')).toBe(0);
  });
});
