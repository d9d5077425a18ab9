import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/io/cluster/api-client.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { LiveCluster } from '../../src/io/cluster/live-cluster.js';
import type { LiveInput } from '../../src/io/cluster/load-live.js';
import { SNAPSHOT_RESOURCES } from '../../src/io/cluster/resources.js';
import { runCli } from '../helpers/cli.js';
import {
  emptyList,
  type FakeApiServer,
  fakeApiServer,
  kubeconfigFile,
  script,
  tempDir,
} from '../helpers/fake-api.js';

const ENDS_WITHIN_MS = 8000;

/** Whether a process still runs (a killed one may linger a moment as a zombie). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A kubeconfig whose user runs `plugin`, with secrets in its env and a static password. */
function execUser(plugin: string, interactiveMode = 'Never') {
  return {
    username: 'alice',
    password: 'kubeconfig-password-value',
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: plugin,
      env: [{ name: 'PLUGIN_API_KEY', value: 'env-secret-value' }],
      interactiveMode,
    },
  };
}

async function listError(client: ApiClient): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  try {
    await client.list('/api/v1/pods');
  } catch (error) {
    return { message: (error as Error).message, ms: Date.now() - started };
  }
  throw new Error('the list succeeded');
}

function client(dir: string, plugin: string, timeoutMs: number, interactiveMode?: string) {
  const config = kubeconfigFile(dir, server?.url ?? '', execUser(plugin, interactiveMode));
  return new ApiClient(resolveKubeConfig({ kubeconfig: config }, {}), timeoutMs);
}

describe('an exec credential plugin', () => {
  it.each([
    // Never prompts: its own process group is stopped, a child holding the pipes included.
    ['Never', (pidFile: string) => `sleep 60 & echo $! > ${pidFile}; wait`],
    // May prompt: it keeps the terminal, and the plugin process itself is stopped.
    ['IfAvailable', (pidFile: string) => `echo $$ > ${pidFile}; exec sleep 60`],
  ])(
    'with interactiveMode %s is stopped at the request timeout, and the error says so',
    async (mode, body) => {
      server = await fakeApiServer((_req, res) => emptyList(res));
      const dir = tempDir();
      const pidFile = join(dir, 'pid');
      const plugin = script(dir, 'hang', body(pidFile));
      const { message, ms } = await listError(client(dir, plugin, 1000, mode));
      expect(message).toBe(
        `credential plugin "${plugin}" of user "u" did not finish within 1s (--request-timeout) and was stopped`,
      );
      expect(ms).toBeLessThan(ENDS_WITHIN_MS);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await expect.poll(() => running(pid), { timeout: 5000 }).toBe(false);
    },
  );

  it('shows its stderr with the user entry’s secrets and its stdout redacted', async () => {
    server = await fakeApiServer((_req, res) => emptyList(res));
    const dir = tempDir();
    const plugin = script(
      dir,
      'fail',
      [
        `echo '{"status":{"token":"exec-SECRET-from-cache"}}'`,
        'echo "could not refresh token exec-SECRET-from-cache" >&2',
        'echo "key $PLUGIN_API_KEY, password kubeconfig-password-value" >&2',
        'exit 1',
      ].join('\n'),
    );
    const { message } = await listError(client(dir, plugin, 5000));
    expect(message).toBe(
      `credential plugin "${plugin}" of user "u" failed: could not refresh token [REDACTED]; key [REDACTED], password [REDACTED]`,
    );
  });

  it('never quotes output that is not an ExecCredential', async () => {
    server = await fakeApiServer((_req, res) => emptyList(res));
    const dir = tempDir();
    const plugin = script(dir, 'raw', 'echo exec-SECRET-raw-token');
    const { message } = await listError(client(dir, plugin, 5000));
    expect(message).toBe(
      `credential plugin "${plugin}" of user "u" printed something that is not an ExecCredential (22 bytes)`,
    );
  });

  it('that prints without end is stopped at 1 MiB', async () => {
    server = await fakeApiServer((_req, res) => emptyList(res));
    const dir = tempDir();
    const plugin = script(dir, 'endless', 'exec yes exec-SECRET-token');
    const { message, ms } = await listError(client(dir, plugin, 0));
    expect(message).toBe(
      `credential plugin "${plugin}" of user "u" printed more than 1 MiB and was stopped`,
    );
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });

  it('that is not installed is named, with its install hint', async () => {
    server = await fakeApiServer((_req, res) => emptyList(res));
    const dir = tempDir();
    const user = execUser('kubectl-no-such-plugin');
    const withHint = {
      ...user,
      exec: { ...user.exec, installHint: 'It can be installed:\n\n  brew install x' },
    };
    const config = kubeconfigFile(dir, server.url, withHint);
    const { message } = await listError(
      new ApiClient(resolveKubeConfig({ kubeconfig: config }, {}), 5000),
    );
    expect(message).toBe(
      'credential plugin "kubectl-no-such-plugin" of user "u" failed: not found on PATH (It can be installed: brew install x)',
    );
  });

  it('runs once for requests made together, and its token is used', async () => {
    const auth: string[] = [];
    server = await fakeApiServer((req, res) => {
      auth.push(req.headers.authorization ?? '');
      emptyList(res);
    });
    const dir = tempDir();
    const runs = join(dir, 'runs');
    const plugin = script(
      dir,
      'ok',
      `echo run >> ${runs}; echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"good-token"}}'`,
    );
    const api = client(dir, plugin, 5000);
    await Promise.all(SNAPSHOT_RESOURCES.map((r) => api.list(r.path())));
    expect(readFileSync(runs, 'utf8')).toBe('run\n');
    expect(new Set(auth)).toEqual(new Set(['Bearer good-token']));
  });
});

describe('a failing plugin’s secrets stay out of', () => {
  it('the command line’s one-line error', async () => {
    server = await fakeApiServer((_req, res) => emptyList(res));
    const dir = tempDir();
    const plugin = script(dir, 'fail', 'echo "token $PLUGIN_API_KEY expired" >&2; exit 1');
    const config = kubeconfigFile(dir, server.url, execUser(plugin));
    const run = await runCli(['matrix', '--kubeconfig', config]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `error: credential plugin "${plugin}" of user "u" failed: token [REDACTED] expired\n`,
    );
  });

  it('the UI’s flash line when a watch needs a new credential', async () => {
    server = await fakeApiServer((_req, res) => emptyList(res));
    const dir = tempDir();
    const runs = join(dir, 'runs');
    // The first run succeeds with an expired credential; later runs fail, printing secrets.
    const plugin = script(
      dir,
      'expiring',
      [
        `if [ -e ${runs} ]; then echo "refresh of exec-SECRET-old failed ($PLUGIN_API_KEY)" >&2; exit 1; fi`,
        `touch ${runs}`,
        `echo '{"status":{"token":"exec-SECRET-old","expirationTimestamp":"2000-01-01T00:00:00Z"}}'`,
      ].join('\n'),
    );
    const config = kubeconfigFile(dir, server.url, execUser(plugin));
    const kubeconfig = resolveKubeConfig({ kubeconfig: config }, {});
    const api = new ApiClient(kubeconfig, 5000);
    const policies = SNAPSHOT_RESOURCES.find((r) => r.kind === 'NetworkPolicy');
    const initial = await api.list(policies?.path() ?? '');
    const live = {
      client: api,
      kubeconfig,
      read: { findings: [], scopes: [{ resource: policies, ...initial }] },
    } as unknown as LiveInput;
    const flashes: string[] = [];
    const watcher = new LiveCluster(live, {
      onSnapshot: () => {},
      onWatchError: (m) => flashes.push(m),
    });
    watcher.start();
    await expect.poll(() => flashes.length, { timeout: 5000 }).toBeGreaterThan(0);
    watcher.stop();
    expect(flashes[0]).toBe(
      `watch of networkpolicies lost (credential plugin "${plugin}" of user "u" failed: refresh of [REDACTED] failed ([REDACTED])); retrying in 1s`,
    );
  });
});
