import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { runCli } from '../helpers/cli.js';

function kubeconfig(
  current: string | undefined,
  entries: { context: string; cluster: string; server: string; namespace?: string }[],
) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    ...(current ? { 'current-context': current } : {}),
    clusters: entries.map((e) => ({ name: e.cluster, cluster: { server: e.server } })),
    users: entries.map((e) => ({ name: `${e.context}-user`, user: { token: 'secret' } })),
    contexts: entries.map((e) => ({
      name: e.context,
      context: {
        cluster: e.cluster,
        user: `${e.context}-user`,
        ...(e.namespace ? { namespace: e.namespace } : {}),
      },
    })),
  });
}

function files(...texts: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-kubeconfig-'));
  return texts.map((text, i) => {
    const path = join(dir, `config-${i}`);
    writeFileSync(path, text);
    return path;
  });
}

describe('kubeconfig resolution, as kubectl does it', () => {
  it('merges $KUBECONFIG files with the first file winning, for entries and current-context', () => {
    const [first, second] = files(
      kubeconfig('one', [
        { context: 'one', cluster: 'shared', server: 'https://first:6443', namespace: 'team-a' },
      ]),
      kubeconfig('two', [
        { context: 'two', cluster: 'shared', server: 'https://second:6443' },
        { context: 'one', cluster: 'other', server: 'https://other:6443' },
      ]),
    );
    const resolved = resolveKubeConfig({}, { KUBECONFIG: `${first}${delimiter}${second}` });
    expect(resolved.contextName).toBe('one');
    expect(resolved.cluster.server).toBe('https://first:6443');
    expect(resolved.namespace).toBe('team-a');
  });

  it('takes a context only the second file defines, with the first file’s cluster of that name', () => {
    const [first, second] = files(
      kubeconfig('one', [{ context: 'one', cluster: 'shared', server: 'https://first:6443' }]),
      kubeconfig(undefined, [{ context: 'two', cluster: 'shared', server: 'https://second:6443' }]),
    );
    const resolved = resolveKubeConfig(
      { context: 'two' },
      { KUBECONFIG: `${first}${delimiter}${second}` },
    );
    expect(resolved.cluster.server).toBe('https://first:6443');
  });

  it('lets --kubeconfig, --namespace and --as override the environment', () => {
    const [explicit] = files(
      kubeconfig('ctx', [{ context: 'ctx', cluster: 'c', server: 'https://explicit:6443' }]),
    );
    const resolved = resolveKubeConfig(
      { kubeconfig: explicit as string, namespace: 'ops', as: 'jane' },
      { KUBECONFIG: '/nonexistent' },
    );
    expect(resolved.cluster.server).toBe('https://explicit:6443');
    expect(resolved.namespace).toBe('ops');
    expect(resolved.user.impersonateUser).toBe('jane');
  });

  it('names the file and the problem for a broken kubeconfig', () => {
    const [broken] = files('clusters: [unclosed');
    expect(() => resolveKubeConfig({ kubeconfig: broken as string }, {})).toThrow(
      `kubeconfig ${broken}:`,
    );
  });

  it('names a context that does not exist', () => {
    const [config] = files(
      kubeconfig('ctx', [{ context: 'ctx', cluster: 'c', server: 'https://s:6443' }]),
    );
    expect(() => resolveKubeConfig({ kubeconfig: config as string, context: 'nope' }, {})).toThrow(
      `kubeconfig ${config}: context "nope" does not exist`,
    );
  });
});

describe('connecting with a failing exec credential plugin', () => {
  it('names the plugin and shows what it printed on stderr', async () => {
    const [config] = files(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'sso',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [
          {
            name: 'sso-user',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: 'sh',
                args: ['-c', 'echo "error: token expired, run sso login" >&2; exit 1'],
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [{ name: 'sso', context: { cluster: 'c', user: 'sso-user' } }],
      }),
    );
    const run = await runCli(['matrix', '--kubeconfig', config as string]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'error: credential plugin "sh" of user "sso-user" failed: error: token expired, run sso login\n',
    );
  });
});
