import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveOf, krewTools, PACKAGE_VERSION, RELEASE_DIR, readManifest } from './artifacts.js';

const KUBECTL = spawnSync('/bin/sh', ['-c', 'command -v kubectl'], {
  encoding: 'utf8',
}).stdout.trim();
const kubectlMissing = KUBECTL ? undefined : 'kubectl is not installed';
// The archives whose executable this machine runs.
const HOSTS: Record<string, string> = { 'linux-x64': 'linux/amd64', 'linux-arm64': 'linux/arm64' };
const HOST = HOSTS[`${process.platform}-${process.arch}`];

/**
 * Installs the host's archive with krew itself, as the README says before the plugin is in the
 * index (`kubectl krew install --manifest=... --archive=...`), into the krew root `root`; then
 * links the completion script into its bin/, as the README tells krew users to.
 */
function krewInstall(root: string): void {
  const manifest = join(RELEASE_DIR, 'krew-manifest.yaml');
  const platform = readManifest(manifest).spec?.platforms?.find(
    (p) => `${p.selector?.matchLabels?.os}/${p.selector?.matchLabels?.arch}` === HOST,
  );
  if (!platform) throw new Error(`the manifest has no platform for ${HOST}`);
  const install = spawnSync(
    'kubectl',
    ['krew', 'install', `--manifest=${manifest}`, `--archive=${archiveOf(platform)}`],
    {
      env: { KREW_ROOT: root, HOME: root, PATH: `${krewTools()}:${process.env.PATH}` },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (install.status !== 0) throw new Error(`kubectl krew install failed:\n${install.stderr}`);
  const store = join(root, 'store', 'netpol', PACKAGE_VERSION);
  symlinkSync(join(store, 'kubectl_complete-netpol'), join(root, 'bin', 'kubectl_complete-netpol'));
}

describe.skipIf(kubectlMissing !== undefined)(
  `the ${HOST} archive installed by krew, run by kubectl with no Node on PATH${kubectlMissing ? ` (skipped: ${kubectlMissing})` : ''}`,
  () => {
    let root = '';
    let env: NodeJS.ProcessEnv = {};
    const kubectl = (...args: string[]) =>
      spawnSync('kubectl', args, { env, encoding: 'utf8', timeout: 30_000 });

    beforeAll(() => {
      if (!HOST) throw new Error(`no release archive runs on ${process.platform}/${process.arch}`);
      root = mkdtempSync(join(tmpdir(), 'netpol-krew-'));
      krewInstall(root);
      // /usr/bin holds Node too: PATH gets a directory with kubectl alone.
      const tools = join(root, 'kubectl-only');
      mkdirSync(tools);
      symlinkSync(KUBECTL, join(tools, 'kubectl'));
      env = { HOME: root, PATH: `${join(root, 'bin')}:${tools}` };
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('has no node to run, on that PATH', () => {
      const lookup = spawnSync('/bin/sh', ['-c', 'command -v node'], { env });
      expect(lookup.status).not.toBe(0);
    });

    it('kubectl plugin list finds kubectl-netpol in krew’s bin', () => {
      const run = kubectl('plugin', 'list');
      expect(run.stdout).toContain(join(root, 'bin', 'kubectl-netpol'));
      expect(run.stderr).not.toMatch(/warning/i);
      expect(run.status).toBe(0);
    });

    it('kubectl netpol --version: the package version and the embedded Node, no commit', () => {
      const run = kubectl('netpol', '--version');
      expect(run.stdout).toMatch(new RegExp(`^Version: ${PACKAGE_VERSION}\nNode.js: v26\\.`));
      expect(run.status).toBe(0);
    });

    it('kubectl netpol check --demo: an allowed flow exits 0, a denied one 1', () => {
      const flow = (src: string, dst: string, port: string) =>
        kubectl('netpol', 'check', '--demo', src, dst, '-n', 'production', '--port', port);
      const allowed = flow('production/frontend-84c5d9b7f6-hx2lq', 'svc/api', '8080');
      expect(allowed.stdout).toMatch(/^ALLOWED {2}production\/frontend-84c5d9b7f6-hx2lq -> /);
      expect(allowed.status).toBe(0);
      const denied = flow(
        'production/batch-export-28471920-7kqzv',
        'production/postgres-0',
        '5432',
      );
      expect(denied.stdout).toMatch(/^DENIED/);
      expect(denied.status).toBe(1);
    });

    it('kubectl netpol --demo loads the bundled UI, which asks for a terminal', () => {
      const run = kubectl('netpol', '--demo');
      expect(run.stderr).toContain('the interactive UI needs a terminal');
      expect(run.status).toBe(2);
    });

    it('kubectl completes `kubectl netpol` through kubectl_complete-netpol', () => {
      const run = kubectl('__complete', 'netpol', 'ch');
      expect(run.stdout.split('\n')).toEqual(['check', ':4', '']);
    });
  },
);
