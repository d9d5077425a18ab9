import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster } from '../e2e/test-cluster.js';
import { selectedRow, shellQuote, TmuxSession, wrapped } from './tmux-session.js';

const ROOT = resolve('.');
const tmuxMissing = TmuxSession.available() ? undefined : 'tmux is not installed';
const SHOP = 'test/fixtures/manifests/shop';

describe.skipIf(tmuxMissing !== undefined)(
  `kubectl netpol -f while the files are read, in a real terminal (tmux)${tmuxMissing ? ` (skipped: ${tmuxMissing})` : ''}`,
  () => {
    let session: TmuxSession | undefined;
    let dir: string | undefined;

    beforeAll(() => {
      if (!TestCluster.pluginBuilt()) throw new Error('dist/ is missing: run npm run build first');
    });

    afterEach(() => {
      session?.kill();
      session = undefined;
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    /**
     * Launches the UI on the shop's four files and then a FIFO, which holds the read until the
     * test writes it; resolves with the FIFO's path once the loading screen waits on it.
     */
    const launchHeldOnFifo = async (): Promise<string> => {
      dir = mkdtempSync(join(tmpdir(), 'netpol-loading-'));
      const fifo = join(dir, 'late.yaml');
      execFileSync('mkfifo', [fifo]);
      const plugin = [process.execPath, 'bin/kubectl-netpol', '-f', SHOP, '-f', fifo];
      session = TmuxSession.start({
        command: wrapped(plugin.map(shellQuote).join(' ')),
        env: process.env,
        cwd: ROOT,
      });
      await session.waitFor('reading manifests: 4 of 5 files', 15_000);
      return fifo;
    };

    it('draws before the read ends and keeps the keys typed meanwhile, in order', async () => {
      const fifo = await launchHeldOnFifo();
      const tui = session as TmuxSession;
      for (const key of ['j', 'j', 'j', 'k']) tui.sendAtOnce(key);
      // The keys wait: no list yet, the loading screen still says where the read is.
      expect(tui.capture()).not.toContain('Namespaces (');
      await writeFile(fifo, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: zz-late}\n');
      // The keys act one after the other once the list is in: j j j k ends on the second
      // namespace (k first would end on shop), and the last file was read.
      const screen = await tui.waitFor((s) => /^▶ payments\s/.test(selectedRow(s) ?? ''));
      expect(screen).toMatch(/^Namespaces \(4\)/m);
      expect(screen).toContain('zz-late');
      expect(screen).not.toContain('reading manifests');
    }, 30_000);

    it('acts on an Enter typed before the terminal went raw, which arrives as a line feed', async () => {
      // The program is held before its first line runs (the terminal still in line mode, as
      // while Node starts) until the test opens the gate.
      dir = mkdtempSync(join(tmpdir(), 'netpol-cooked-'));
      const gate = join(dir, 'gate');
      const hold = join(dir, 'hold.mjs');
      writeFileSync(
        hold,
        `import { existsSync } from 'node:fs';\nprocess.stdout.write('HELD\\n');\n` +
          `const pause = new Int32Array(new SharedArrayBuffer(4));\n` +
          `while (!existsSync(${JSON.stringify(gate)})) Atomics.wait(pause, 0, 0, 5);\n`,
      );
      const plugin = [process.execPath, '--import', hold, 'bin/kubectl-netpol', '-f', SHOP];
      session = TmuxSession.start({
        command: wrapped(plugin.map(shellQuote).join(' ')),
        env: process.env,
        cwd: ROOT,
      });
      const tui = session;
      await tui.waitFor('HELD', 15_000);
      // Enter alone: the terminal's line discipline turns its carriage return into a line feed.
      tui.sendAtOnce('\r');
      writeFileSync(gate, '');
      const screen = await tui.waitFor(/^Pods \(/m, 15_000);
      expect(screen).not.toMatch(/^Namespaces \(/m);
    }, 30_000);

    it('quits on ctrl-c while the files are read and gives the terminal back', async () => {
      await launchHeldOnFifo();
      const tui = session as TmuxSession;
      tui.sendAtOnce('j');
      await tui.press('C-c');
      const screen = await tui.waitFor('EXIT=');
      // Interrupted as ctrl-c interrupts a command: 128 + SIGINT, the tty as it was.
      expect(screen).toContain('BEFORE-UI');
      expect(screen).toContain('EXIT=130 TTY=restored');
      expect(screen).not.toContain('reading manifests');
      expect(tui.format('#{alternate_on}')).toBe('0');
      expect(tui.format('#{cursor_flag}')).toBe('1');
    }, 30_000);
  },
);
