import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../e2e/test-cluster.js';
import { bundlePackages } from '../helpers/bundle-packages.js';
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

    it('draws its first frame without loading the cluster client, which files do not need', async () => {
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
      const packages = bundlePackages(readFileSync(trace, 'utf8'));
      // What the frame is drawn with was loaded (the trace is complete), the cluster client not.
      expect(packages).toEqual(expect.arrayContaining(['ink', 'react', 'js-yaml']));
      expect(packages).not.toContain('@kubernetes/client-node');
      expect(packages).not.toContain('undici');
    });
  },
);
