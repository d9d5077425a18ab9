import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import type { ReactElement } from 'react';
import { ESC } from './keys.js';

/** Lets React commit and ink write the frame that a render or a key press caused. */
export function tick(ms = 5): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Anything with a stdin that takes key presses, as ink-testing-library's render returns. */
export interface KeyTarget {
  readonly stdin: { write(data: string): void };
}

/**
 * Presses keys one at a time, waiting after each. A lone ESC needs longer: ink holds it
 * for about 20 ms in case it starts an escape sequence.
 */
export async function press(target: KeyTarget, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    target.stdin.write(key);
    await tick(key === ESC ? 25 : 1);
  }
}

/** How long the frame must stay the same before a burst of keys counts as handled. */
const SETTLED_MS = 40;

/**
 * Writes everything in one read, as a terminal delivers keys typed faster than the program
 * reads them, a held key repeating over ssh, or a paste. Each key after the first is handled
 * after the render of the one before, so this waits until the frame stops changing.
 */
export async function sendAtOnce(
  target: KeyTarget & { lastFrame(): string | undefined },
  chunk: string,
): Promise<void> {
  target.stdin.write(chunk);
  let frame = target.lastFrame();
  let stableSince = performance.now();
  const deadline = stableSince + 2_000;
  while (performance.now() - stableSince < SETTLED_MS && performance.now() < deadline) {
    await tick(2);
    const next = target.lastFrame();
    if (next !== frame) {
      frame = next;
      stableSince = performance.now();
    }
  }
}

/**
 * Waits until the last frame (without colour) satisfies `shows`, for work the UI does after a
 * key (a check, a load) that a busy machine may take a while to finish; gives up after
 * `timeoutMs` and leaves the assertion that follows to say what is on screen.
 */
export async function untilFrame(
  target: { lastFrame(): string | undefined },
  shows: (frame: string) => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!shows(plain(target.lastFrame())) && performance.now() < deadline) await tick(10);
}

/** Types text one character per write. */
export async function type(target: KeyTarget, text: string): Promise<void> {
  await press(target, ...text);
}

class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  private last: string | undefined;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  /** Ink 8 resolves waitUntilExit from a write callback, so the callback must be called. */
  readonly write = (frame: string, callback?: () => void): boolean => {
    if (frame !== '') {
      this.frames.push(frame);
      this.last = frame;
    }
    callback?.();
    return true;
  };
  readonly lastFrame = (): string | undefined => this.last;
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  readonly write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  readonly read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** A rendered tree with a terminal of a fixed size. */
export interface SizedRender extends KeyTarget {
  readonly stdin: FakeStdin;
  readonly frames: readonly string[];
  lastFrame(): string | undefined;
  rerender(tree: ReactElement): void;
  unmount(): void;
  waitUntilExit(): Promise<unknown>;
}

/**
 * Renders like ink-testing-library 4 (debug frames, fake streams, no Ctrl-C handling by ink),
 * but with the terminal size given, because ink-testing-library fixes 100 columns and takes
 * the rows from the environment. It also hands back waitUntilExit, which resolves: ink 8
 * resolves it from a stdout write callback that ink-testing-library's stdout never calls.
 */
export function renderSized(tree: ReactElement, size = { columns: 80, rows: 24 }): SizedRender {
  const stdout = new FakeStdout(size.columns, size.rows);
  const stderr = new FakeStdout(size.columns, size.rows);
  const stdin = new FakeStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    stdin,
    frames: stdout.frames,
    lastFrame: stdout.lastFrame,
    rerender: instance.rerender,
    unmount: instance.unmount,
    waitUntilExit: instance.waitUntilExit,
  };
}

/**
 * ink-testing-library's stdout has no rows, so ink asks the environment for the terminal size
 * on every render: the developer's real terminal through /dev/tty, or `tput` twice (slow).
 * LINES and COLUMNS answer first; stub them while rendering with ink-testing-library.
 */
export const PINNED_SIZE_ENV = { COLUMNS: '100', LINES: '24' } as const;

/** ANSI escape sequences, e.g. colour codes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes is the point
export const ANSI = /\u001B\[[0-9;]*m/g;

/** A frame without its ANSI codes. */
export function plain(frame: string | undefined): string {
  return (frame ?? '').replace(ANSI, '');
}
