import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../e2e/test-cluster.js';
import { bundlePackages, bundleSources } from '../helpers/bundle-packages.js';
import { shellQuote, TmuxSession } from './tmux-session.js';

const ROOT = resolve('.');
const LOADED_MODULES = resolve('test/helpers/loaded-modules-preload.ts');
const tmuxMissing = TmuxSession.available() ? undefined : 'tmux is not installed';

describe.skipIf(tmuxMissing !== undefined)(
  `kubectl netpol -f DIR in a real terminal (tmux)${tmuxMissing ? ` (skipped: ${tmuxMissing})` : ''}`,
  () => {
    let session: TmuxSession | undefined;
    let dir: string | undefined;
    afterEach(() => {
      session?.kill();
      session = undefined;
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    /** Launches the UI on the shop's manifests; resolves with the trace's lines once the lists show. */
    const launch = async (): Promise<string[]> => {
      if (!TestCluster.pluginBuilt()) throw new Error('dist/ is missing: run npm run build first');
      dir = mkdtempSync(join(tmpdir(), 'netpol-modules-'));
      const trace = join(dir, 'loaded.txt');
      const plugin = [process.execPath, '--import', LOADED_MODULES, 'bin/kubectl-netpol'];
      const args = ['-f', 'test/fixtures/manifests/shop'];
      session = TmuxSession.start({
        command: `${[...plugin, ...args].map(shellQuote).join(' ')} 2>${shellQuote(trace)}; exec sleep 600`,
        env: process.env,
        cwd: ROOT,
      });
      await session.waitFor('Namespaces (');
      return readFileSync(trace, 'utf8').split('\n');
    };

    it('draws its first frame without loading the cluster client, which files do not need', async () => {
      const packages = bundlePackages((await launch()).join('\n'));
      // What the frame is drawn with was loaded (the trace is complete), the cluster client not.
      expect(packages).toEqual(expect.arrayContaining(['ink', 'react', 'js-yaml']));
      expect(packages).not.toContain('@kubernetes/client-node');
      expect(packages).not.toContain('undici');
    });

    it('loads what it draws with before the terminal goes raw: from then until the lists, only the reading of files', async () => {
      // Loading a part of the UI takes a turn of the event loop that a key typed once the
      // terminal is raw waits for (Ink with React 60-75 ms, the App 40-85 ms); before, the
      // terminal keeps the key.
      const lines = await launch();
      const raw = lines.indexOf('terminal raw');
      const lists = lines.indexOf('lists frame');
      expect(raw).toBeGreaterThan(0);
      expect(lists).toBeGreaterThan(raw);
      expect(bundlePackages(lines.slice(0, raw).join('\n'))).toEqual(
        expect.arrayContaining(['ink', 'react', 'react-reconciler', 'yoga-layout', 'string-width']),
      );
      const afterRaw = bundleSources(lines.slice(raw, lists).join('\n'));
      expect(
        afterRaw.filter((source) => !/^(\.\.\/\.\.\/src\/io\/|lazy-builtin:)/.test(source)),
      ).toEqual([]);
    });
  },
);
