import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How to start a session. */
export interface TmuxSessionOptions {
  /** The shell command the pane runs (through `sh -c`). */
  readonly command: string;
  /** The whole environment of the pane (tmux's server is started with it). */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly columns?: number;
  readonly rows?: number;
}

/** What `waitFor` accepts: text the screen contains, a pattern, or a test of the whole screen. */
export type ScreenMatcher = string | RegExp | ((screen: string) => boolean);

const POLL_MS = 15;
/** A screen counts as settled once it has not changed for this long. */
const SETTLE_MS = 60;

function matches(screen: string, matcher: ScreenMatcher): boolean {
  if (typeof matcher === 'string') return screen.includes(matcher);
  if (matcher instanceof RegExp) return matcher.test(screen);
  return matcher(screen);
}

/**
 * A program in a detached tmux pane of a fixed size, driven one key at a time as a person
 * would: each key is its own `send-keys`, and the next one waits for the screen to change.
 * Every session has its own tmux server (socket), so tests never share state or touch a
 * user's tmux, and `kill()` takes the whole server (and its socket) down.
 */
export class TmuxSession {
  private killed = false;

  private constructor(
    /** The tmux server's socket, alone in a temporary directory removed by `kill()`. */
    readonly socket: string,
    readonly name: string,
  ) {}

  /** True when tmux can be run here. */
  static available(): boolean {
    return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
  }

  /** Starts `sh -c COMMAND` in a new detached session of the given size (80x24 by default). */
  static start(options: TmuxSessionOptions): TmuxSession {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-tui-'));
    const session = new TmuxSession(join(dir, 'socket'), 'tui');
    const columns = options.columns ?? 80;
    const rows = options.rows ?? 24;
    // The tmux server inherits the environment of the client that starts it: this one.
    execFileSync(
      'tmux',
      [
        '-S',
        session.socket,
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-s',
        session.name,
        '-x',
        `${columns}`,
        '-y',
        `${rows}`,
        ...(options.cwd ? ['-c', options.cwd] : []),
        'sh',
        '-c',
        options.command,
      ],
      { env: { ...options.env, TMUX: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return session;
  }

  private tmux(args: readonly string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** The visible screen as text, one line per row, trailing blanks trimmed by tmux. */
  capture(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  /** A tmux format of the pane, e.g. `#{alternate_on}` or `#{cursor_flag}`. */
  format(format: string): string {
    return this.tmux(['display-message', '-p', '-t', this.name, format]).trim();
  }

  /**
   * Polls until the screen satisfies the matcher and has stopped changing (a frame can be
   * captured half drawn); throws with the last screen on timeout.
   */
  async waitFor(matcher: ScreenMatcher, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = this.capture();
    let stableSince = Date.now();
    while (!matches(screen, matcher) || Date.now() - stableSince < SETTLE_MS) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${matcher}; screen:\n${screen}`,
        );
      }
      await sleep(POLL_MS);
      const next = this.capture();
      if (next !== screen) {
        screen = next;
        stableSince = Date.now();
      }
    }
    return screen;
  }

  /** Waits until the screen differs from `before` and then stays the same for a moment. */
  private async settle(before: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = this.capture();
    while (screen === before && Date.now() < deadline) {
      await sleep(POLL_MS);
      screen = this.capture();
    }
    if (screen === before) return screen; // the key changed nothing visible
    let stableSince = Date.now();
    while (Date.now() - stableSince < SETTLE_MS && Date.now() < deadline) {
      await sleep(POLL_MS);
      const next = this.capture();
      if (next !== screen) {
        screen = next;
        stableSince = Date.now();
      }
    }
    return screen;
  }

  /**
   * Sends one key (a tmux key name such as `j`, `Enter`, `Escape`, `Tab`, `C-c`) and resolves
   * with the screen once it has changed and settled, or after `timeoutMs` if it did not change.
   */
  async press(key: string, timeoutMs = 2_000): Promise<string> {
    const before = this.capture();
    // A single printable character is sent literally, so tmux never reads it as a key name.
    const literal = key.length === 1;
    this.tmux(['send-keys', '-t', this.name, ...(literal ? ['-l', '--'] : []), key]);
    return this.settle(before, timeoutMs);
  }

  /** Sends text in one write, as fast typing, a held key or a paste without brackets arrives. */
  sendAtOnce(text: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', '--', text]);
  }

  /** Types a line at once, then Enter (a command for a shell in the pane). */
  sendLine(text: string): void {
    this.sendAtOnce(text);
    this.tmux(['send-keys', '-t', this.name, 'Enter']);
  }

  /** Types text one character at a time, each as its own key press. */
  async type(text: string): Promise<string> {
    let screen = this.capture();
    for (const char of text) screen = await this.press(char);
    return screen;
  }

  /**
   * Presses `key` until the selected row (the one marked "▶ ") matches, at most `limit` times.
   */
  async moveTo(row: RegExp, key = 'j', limit = 50): Promise<string> {
    let screen = this.capture();
    for (let i = 0; i <= limit; i++) {
      const selected = selectedRow(screen);
      if (selected !== undefined && row.test(selected)) return screen;
      screen = await this.press(key);
    }
    throw new Error(`no row matching ${row} after ${limit} presses of ${key}; screen:\n${screen}`);
  }

  /** Resizes the window (as a terminal emulator would) and resolves once the screen settled. */
  async resize(columns: number, rows: number, timeoutMs = 2_000): Promise<string> {
    const before = this.capture();
    this.tmux(['resize-window', '-t', this.name, '-x', `${columns}`, '-y', `${rows}`]);
    return this.settle(before, timeoutMs);
  }

  /** Kills the session and its tmux server; safe to call twice. */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { stdio: 'ignore' });
    rmSync(join(this.socket, '..'), { recursive: true, force: true });
  }
}

/** The row marked as selected ("▶ "), if the screen has one. */
export function selectedRow(screen: string): string | undefined {
  return screen.split('\n').find((line) => line.startsWith('▶ '));
}

/** Quotes a word for `sh`. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the plugin in `sh` between two markers: one printed before it starts (it must still be
 * on the primary screen afterwards) and one after it exits, with its exit code and whether the
 * tty settings (raw mode, echo) are the same as before.
 */
export function wrapped(command: string): string {
  return [
    'S0=$(stty -g)',
    'echo BEFORE-UI',
    command,
    'rc=$?',
    'if [ "$(stty -g)" = "$S0" ]; then t=restored; else t=changed; fi',
    'echo "EXIT=$rc TTY=$t"',
    'exec sleep 600',
  ].join('; ');
}
