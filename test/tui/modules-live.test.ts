import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../e2e/test-cluster.js';
import { bundlePackages } from '../helpers/bundle-packages.js';
import { type FakeApiServer, fakeApiServer, kubeconfigFile } from '../helpers/fake-api.js';
import { shellQuote, TmuxSession } from './tmux-session.js';

const ROOT = resolve('.');
const LOADED_MODULES = resolve('test/helpers/loaded-modules-preload.ts');
const tmuxMissing = TmuxSession.available() ? undefined : 'tmux is not installed';

describe.skipIf(tmuxMissing !== undefined)(
  `kubectl netpol on a live cluster in a real terminal (tmux)${tmuxMissing ? ` (skipped: ${tmuxMissing})` : ''}`,
  () => {
    let session: TmuxSession | undefined;
    let server: FakeApiServer | undefined;
    let dir: string | undefined;
    afterEach(async () => {
      session?.kill();
      session = undefined;
      await server?.close();
      server = undefined;
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it('has evaluated the cluster client before its first frame, not on the loading screen', async () => {
      if (!TestCluster.pluginBuilt()) throw new Error('dist/ is missing: run npm run build first');
      dir = mkdtempSync(join(tmpdir(), 'netpol-modules-live-'));
      // A server that never answers: the loading screen stays up.
      server = await fakeApiServer(() => {});
      const kubeconfig = kubeconfigFile(dir, server.url);
      const trace = join(dir, 'loaded.txt');
      const plugin = [process.execPath, '--import', LOADED_MODULES, 'bin/kubectl-netpol'];
      session = TmuxSession.start({
        command: `${plugin.map(shellQuote).join(' ')} --kubeconfig ${shellQuote(kubeconfig)} 2>${shellQuote(trace)}; exec sleep 600`,
        env: process.env,
        cwd: ROOT,
      });
      await session.waitFor('the cluster');
      const lines = readFileSync(trace, 'utf8').split('\n');
      const firstFrame = lines.indexOf('first stdout write');
      expect(firstFrame).toBeGreaterThan(0);
      const beforeFrame = bundlePackages(lines.slice(0, firstFrame).join('\n'));
      expect(beforeFrame).toEqual(
        expect.arrayContaining(['ink', '@kubernetes/client-node', 'undici']),
      );
    });
  },
);
