import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { emptyList, fakeApiServer, kubeconfigFile, tempDir } from '../helpers/fake-api.js';

const CA_FILE = join(import.meta.dirname, '../fixtures/tls/cert.pem');
/** Reads only namespace x, so a run makes few requests. */
const MATRIX = ['matrix', '-n', 'x'];

/** A fake API server (https) recording each request's path and headers. */
async function recordingServer() {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = await fakeApiServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    emptyList(res);
  });
  onTestFinished(() => server.close());
  return { ...server, seen };
}

describe('kubectl’s connection flags', () => {
  it('send --token, --as, --as-group and --as-uid as kubectl does', async () => {
    const server = await recordingServer();
    const config = kubeconfigFile(tempDir(), server.url);
    const flags = ['--token', 'flag-token', '--as', 'jane', '--as-group', 'devs', '--as-uid', '42'];
    await runCli([...MATRIX, '--kubeconfig', config, ...flags]);
    expect(server.seen.length).toBeGreaterThan(0);
    for (const { headers } of server.seen) {
      expect(headers.authorization).toBe('Bearer flag-token');
      expect(headers['impersonate-user']).toBe('jane');
      expect(headers['impersonate-group']).toBe('devs');
      expect(headers['impersonate-uid']).toBe('42');
    }
  });

  it('impersonate as the kubeconfig user entry says (as, as-groups, as-uid) without flags', async () => {
    const server = await recordingServer();
    const user = { token: 't-token', as: 'jane', 'as-groups': ['devs'], 'as-uid': '7' };
    await runCli([...MATRIX, '--kubeconfig', kubeconfigFile(tempDir(), server.url, user)]);
    expect(server.seen.length).toBeGreaterThan(0);
    for (const { headers } of server.seen) {
      expect(headers['impersonate-user']).toBe('jane');
      expect(headers['impersonate-group']).toBe('devs');
      expect(headers['impersonate-uid']).toBe('7');
    }
  });

  it('refuse --as-group without --as, and several groups, in one line', async () => {
    const config = kubeconfigFile(tempDir(), 'https://127.0.0.1:1');
    const alone = await runCli([...MATRIX, '--kubeconfig', config, '--as-group', 'devs']);
    expect(alone.exitCode).toBe(2);
    expect(alone.stderr).toBe(
      'error: --as-group and --as-uid impersonate a user: give the user with --as\n',
    );
    const two = ['--as', 'jane', '--as-group', 'a', '--as-group', 'b'];
    const several = await runCli([...MATRIX, '--kubeconfig', config, ...two]);
    expect(several.exitCode).toBe(2);
    expect(several.stderr).toContain('--as-group: one group at most (got 2)');
  });

  it('connect with --server, --certificate-authority and --token alone, without a kubeconfig', async () => {
    const server = await recordingServer();
    const flags = ['--server', server.url, '--certificate-authority', CA_FILE];
    const run = await runCli([...MATRIX, ...flags, '--token', 't0ken-value']);
    expect(run.stderr).toBe(
      `error: nothing to analyse: no Namespace, Pod, workload or NetworkPolicy in context ${server.url}\n`,
    );
    expect(server.seen.map((r) => r.headers.authorization)).toContain('Bearer t0ken-value');
  });

  it('let --server replace the kubeconfig’s server, keeping its prefix path', async () => {
    const server = await recordingServer();
    const config = kubeconfigFile(tempDir(), 'https://127.0.0.1:1');
    await runCli([...MATRIX, '--kubeconfig', config, '-s', `${server.url}/k8s/clusters/c1`]);
    expect(server.seen.length).toBeGreaterThan(0);
    for (const { url } of server.seen) expect(url).toMatch(/^\/k8s\/clusters\/c1\/apis?\b/);
  });

  it('refuse a server certificate no CA vouches for unless --insecure-skip-tls-verify', async () => {
    const server = await recordingServer();
    const config = kubeconfigFile(tempDir(), server.url, { token: 'x-token' }, {});
    const verified = await runCli([...MATRIX, '--kubeconfig', config]);
    expect(verified.exitCode).toBe(2);
    expect(verified.stderr).toMatch(/^error: cannot reach https:\/\/127\.0\.0\.1:\d+: .+\n$/);
    expect(server.seen).toEqual([]);
    const insecure = await runCli([
      ...MATRIX,
      '--kubeconfig',
      config,
      '--insecure-skip-tls-verify',
    ]);
    expect(insecure.stderr).toContain('nothing to analyse');
    const both = ['--insecure-skip-tls-verify', '--certificate-authority', CA_FILE];
    const refused = await runCli([...MATRIX, '--kubeconfig', config, ...both]);
    expect(refused.stderr).toContain(
      'specifying a root certificates file with the insecure flag is not allowed',
    );
  });

  it('send no credentials to an http:// server, but impersonation, as kubectl', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const plain = createServer((req, res) => {
      seen.push(req.headers);
      emptyList(res);
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => plain.close(() => resolve())));
    const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    const config = kubeconfigFile(tempDir(), url, { token: 'never-sent' }, {});
    const run = await runCli([...MATRIX, '--kubeconfig', config, '--as', 'jane']);
    expect(run.stderr).toContain('nothing to analyse');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.map((headers) => headers.authorization)).toEqual(seen.map(() => undefined));
    // Impersonation is no credential: kubectl sends it over http too.
    expect(seen.map((headers) => headers['impersonate-user'])).toEqual(seen.map(() => 'jane'));
  });

  it('log each request at -v 6 on stderr, never the token', async () => {
    const server = await recordingServer();
    const config = kubeconfigFile(tempDir(), server.url, { token: 'secret-token' });
    const run = await runCli([...MATRIX, '--kubeconfig', config, '-v', '6']);
    const lines = run.stderr.split('\n').filter((line) => line.includes('round_trippers'));
    expect(lines).toHaveLength(server.seen.length);
    expect(lines[0]).toMatch(new RegExp(`\\] GET ${server.url}/\\S+ 200 OK in \\d+ milliseconds$`));
    expect(run.stderr).not.toContain('secret-token');
  });
});
