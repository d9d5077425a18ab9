import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/io/cluster/api-client.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { runCli } from '../helpers/cli.js';
import { emptyList, fakeApiServer, kubeconfigFile, tempDir } from '../helpers/fake-api.js';

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

describe('every kubeconfig problem is one line naming the field and the file', () => {
  const cert = readFileSync(join(import.meta.dirname, '../fixtures/tls/cert.pem'));
  const key = readFileSync(join(import.meta.dirname, '../fixtures/tls/key.pem'));
  const otherKey = readFileSync(join(import.meta.dirname, '../fixtures/tls/other-key.pem'));
  const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');
  const missing = join(tempDir(), 'missing.pem');

  /** [case, cluster fields, user fields, the problem after `kubeconfig FILE: `]. */
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    [
      'client-key-data not base64',
      {},
      { 'client-key-data': 'not base64!' },
      'user "u": client-key-data is not valid base64',
    ],
    [
      'client-key-data not PEM',
      {},
      { 'client-key-data': b64('hello') },
      'user "u": client-key-data holds no PEM private key that parses',
    ],
    [
      'client-certificate-data not PEM',
      {},
      { 'client-certificate-data': b64('hello') },
      'user "u": client-certificate-data holds no PEM certificate',
    ],
    [
      'certificate and key not a pair',
      {},
      { 'client-certificate-data': b64(cert), 'client-key-data': b64(otherKey) },
      'user "u": client-certificate-data and client-key-data cannot make a TLS context',
    ],
    [
      'certificate-authority-data not base64',
      { 'certificate-authority-data': '%%%' },
      {},
      'cluster "c": certificate-authority-data is not valid base64',
    ],
    [
      'certificate-authority-data a broken certificate',
      {
        'certificate-authority-data': b64(
          '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
        ),
      },
      {},
      'cluster "c": certificate-authority-data holds a certificate that does not parse',
    ],
    [
      'certificate-authority missing',
      { 'certificate-authority': missing },
      {},
      `cluster "c": certificate-authority ${missing}: no such file`,
    ],
    [
      'client-certificate missing',
      {},
      { 'client-certificate': missing },
      `user "u": client-certificate ${missing}: no such file`,
    ],
    [
      'client-key missing',
      {},
      { 'client-key': missing },
      `user "u": client-key ${missing}: no such file`,
    ],
    [
      'auth-provider tokenFile missing',
      {},
      { 'auth-provider': { name: 'tokenFile', config: { tokenFile: missing } } },
      `user "u": auth-provider tokenFile ${missing}: no such file`,
    ],
    ['token-file missing', {}, { 'token-file': missing }, `token-file ${missing}: no such file`],
    [
      'tokenFile missing',
      {},
      { tokenFile: missing },
      `user "u": tokenFile ${missing}: no such file`,
    ],
    [
      'server not a URL',
      { server: 'https://alice:pw-secret@exa mple:6443' },
      {},
      'cluster "c": server "https://exa mple:6443" is not a valid http(s) URL',
    ],
    [
      'server not http(s)',
      { server: 'ftp://example' },
      {},
      'cluster "c": server "ftp://example" is not a valid http(s) URL',
    ],
  ];

  it.each(cases)('%s', (_name, cluster, user, problem) => {
    const config = kubeconfigFile(tempDir(), 'https://127.0.0.1:6443', user, cluster);
    let message = '';
    try {
      resolveKubeConfig({ kubeconfig: config }, {});
    } catch (error) {
      expect((error as Error).name).toBe('UserError');
      message = (error as Error).message;
    }
    const expected = `kubeconfig ${config}: ${problem}`;
    expect(message.slice(0, expected.length)).toBe(expected);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('secret');
  });

  it('accepts a CA, a client certificate and its key given as data', () => {
    const config = kubeconfigFile(
      tempDir(),
      'https://127.0.0.1:6443',
      { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) },
      { 'certificate-authority-data': b64(cert) },
    );
    expect(resolveKubeConfig({ kubeconfig: config }, {}).user.name).toBe('u');
  });

  it('is printed by the command line as one error line (exit 2), not an internal error', async () => {
    const config = kubeconfigFile(tempDir(), 'https://127.0.0.1:1', {
      'client-key-data': 'bad key data',
    });
    const run = await runCli(['matrix', '--kubeconfig', config]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `error: kubeconfig ${config}: user "u": client-key-data is not valid base64\n`,
    );
  });
});

describe('kubectl’s tokenFile', () => {
  it('is read relative to the kubeconfig and sent as the bearer token', async () => {
    const seen: string[] = [];
    const server = await fakeApiServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      emptyList(res);
    });
    try {
      const dir = tempDir();
      writeFileSync(join(dir, 'token'), 'token-from-file\n');
      const config = kubeconfigFile(dir, server.url, { tokenFile: 'token' });
      await new ApiClient(resolveKubeConfig({ kubeconfig: config }, {}), 5000).list('/api/v1/pods');
      expect(seen).toEqual(['Bearer token-from-file']);
    } finally {
      await server.close();
    }
  });
});

describe('kubectl’s credential flags over a kubeconfig user', () => {
  it('--token replaces an exec plugin, which then never runs', () => {
    const config = kubeconfigFile(tempDir(), 'https://127.0.0.1:1', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/nonexistent/plugin' },
    });
    const resolved = resolveKubeConfig({ kubeconfig: config, token: 'from-flag' }, {});
    expect(resolved.user.token).toBe('from-flag');
    expect(resolved.user.exec).toBeUndefined();
    expect(resolved.credentialPlugin).toBeUndefined();
  });

  it('--client-certificate and --client-key replace the entry’s data, checked as files', () => {
    const config = kubeconfigFile(tempDir(), 'https://127.0.0.1:1');
    const flags = { kubeconfig: config, clientCertificate: '/nonexistent/c.crt' };
    expect(() => resolveKubeConfig(flags, {})).toThrow(
      'client-certificate /nonexistent/c.crt: no such file',
    );
  });
});
