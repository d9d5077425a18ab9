import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, type WatchEvent } from '../../src/io/cluster/api-client.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import type { ResponseLimits } from '../../src/io/cluster/limits.js';
import { readCluster } from '../../src/io/cluster/load-cluster.js';
import { runCli } from '../helpers/cli.js';
import {
  emptyList,
  type FakeApiServer,
  fakeApiServer,
  kubeconfigFile,
  tempDir,
  trickle,
} from '../helpers/fake-api.js';

/** What "ends in time" means on a loaded 2-core machine for a 1 s timeout: it ends. */
const ENDS_WITHIN_MS = 8000;

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function clientFor(url: string, timeoutMs: number, limits?: ResponseLimits): ApiClient {
  const config = kubeconfigFile(tempDir(), url);
  return new ApiClient(resolveKubeConfig({ kubeconfig: config }, {}), timeoutMs, limits);
}

/** The error a call ends with, and how long it took. */
async function failure(call: Promise<unknown>): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  try {
    await call;
  } catch (error) {
    return { message: (error as Error).message, ms: Date.now() - started };
  }
  throw new Error('the call succeeded');
}

describe('--request-timeout bounds the whole call', () => {
  it('ends a request to a server that never answers', async () => {
    server = await fakeApiServer(() => {});
    const { message, ms } = await failure(clientFor(server.url, 1000).list('/api/v1/pods'));
    expect(message).toBe(
      `no complete answer from ${server.url} for pods within 1s (--request-timeout)`,
    );
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });

  it('ends a body trickling a byte at a time (never idle for the timeout) at the deadline', async () => {
    server = await fakeApiServer((_req, res) => trickle(res));
    const { message, ms } = await failure(clientFor(server.url, 1000).list('/api/v1/pods'));
    expect(message).toBe(
      `no complete answer from ${server.url} for pods within 1s (--request-timeout)`,
    );
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });

  it('stops a list whose server sends a new continue token forever, at the page cap', async () => {
    let page = 0;
    server = await fakeApiServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ items: [], metadata: { continue: `token-${page++}` } }));
    });
    const limits = { maxBytes: 1024 * 1024, maxPages: 100 };
    const { message } = await failure(clientFor(server.url, 1000, limits).list('/api/v1/pods'));
    expect(message).toBe(
      `list of pods from ${server.url} did not end after 100 pages (the server keeps sending continue tokens)`,
    );
    expect(server.requests).toHaveLength(100);
  });

  it('stops a list whose server repeats a continue token', async () => {
    server = await fakeApiServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ items: [], metadata: { continue: 'again' } }));
    });
    const { message } = await failure(clientFor(server.url, 1000).list('/api/v1/pods'));
    expect(message).toBe(
      `list of pods from ${server.url} did not end: the server sent the same continue token again after 2 pages`,
    );
  });
});

describe('response size', () => {
  /** A server streaming a list body that never ends. */
  const endless = () =>
    fakeApiServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(256 * 1024, ' ');
      const pump = () => {
        while (res.write(chunk)) {}
      };
      res.on('drain', pump);
      res.write('{"items":[');
      pump();
    });

  it('refuses an endless body at the size cap, even with no timeout', async () => {
    server = await endless();
    const limits = { maxBytes: 8 * 1024 * 1024, maxPages: 1000 };
    const { message, ms } = await failure(clientFor(server.url, 0, limits).list('/api/v1/pods'));
    expect(message).toBe(`list of pods from ${server.url} exceeded the 8 MiB read limit`);
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });

  it('counts every page of a list against the limit', async () => {
    const page = JSON.stringify({
      items: [{ metadata: { name: 'x'.repeat(400 * 1024) } }],
      metadata: { continue: 'next' },
    });
    let served = 0;
    server = await fakeApiServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(page.replace('next', `next-${served++}`));
    });
    const limits = { maxBytes: 1024 * 1024, maxPages: 1000 };
    const { message } = await failure(
      clientFor(server.url, 1000, limits).list('/api/v1/namespaces/x/pods'),
    );
    expect(message).toBe(`list of pods from ${server.url} exceeded the 1 MiB read limit on page 3`);
  });
  it('counts the lists of one snapshot together', async () => {
    const list = JSON.stringify({ items: [{ metadata: { name: 'x'.repeat(300 * 1024) } }] });
    server = await fakeApiServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(list);
    });
    const limits = { maxBytes: 1024 * 1024, maxPages: 1000 };
    const { message } = await failure(readCluster(clientFor(server.url, 1000, limits), []));
    expect(message).toMatch(
      new RegExp(`^list of \\w+ from ${server.url} exceeded the 1 MiB read limit$`),
    );
  });
});

describe('watches stay open; only connecting is bounded', () => {
  it('ends a watch whose server never sends headers', async () => {
    server = await fakeApiServer(() => {});
    const { message, ms } = await failure(
      clientFor(server.url, 1000).watch(
        '/api/v1/pods',
        '1',
        () => {},
        new AbortController().signal,
      ),
    );
    expect(message).toBe(
      `no complete answer from ${server.url} for pods within 1s (--request-timeout)`,
    );
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });

  it('keeps receiving events after the request timeout has passed', async () => {
    server = await fakeApiServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('\n');
      setTimeout(() => {
        res.end(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'late' } } })}\n`);
      }, 1500);
    });
    const events: WatchEvent[] = [];
    await clientFor(server.url, 500).watch(
      '/api/v1/pods',
      '1',
      (event) => events.push(event),
      new AbortController().signal,
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
  });
});

describe('server URLs are printed without user:password@', () => {
  it('strips the userinfo from a timeout message', async () => {
    server = await fakeApiServer(() => {});
    const withSecret = server.url.replace('//', '//alice:hunter2-password@');
    const { message } = await failure(clientFor(withSecret, 500).list('/api/v1/pods'));
    expect(message).toContain(`from ${server.url} for pods`);
    expect(message).not.toContain('hunter2');
  });

  it('strips the userinfo from the command line’s unauthorized error', async () => {
    server = await fakeApiServer((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized' }));
    });
    const withSecret = server.url.replace('//', '//alice:hunter2-password@');
    const run = await runCli(['matrix', '--kubeconfig', kubeconfigFile(tempDir(), withSecret)]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `error: ${server.url}: unauthorized: the server rejected the credentials of user "u" (context "test"); they may have expired\n`,
    );
  });

  it('still answers a healthy server', async () => {
    server = await fakeApiServer((_req, res) => emptyList(res));
    await expect(clientFor(server.url, 1000).list('/api/v1/pods')).resolves.toEqual({
      items: [],
      resourceVersion: '1',
    });
  });
});

describe('the command line', () => {
  it('ends `check --request-timeout 1s` against a trickling server with one error line, exit 2', async () => {
    server = await fakeApiServer((_req, res) => trickle(res));
    const config = kubeconfigFile(tempDir(), server.url);
    const started = Date.now();
    const run = await runCli([
      'check',
      'default/a',
      'default/b',
      '--port',
      '80',
      '--kubeconfig',
      config,
      '--request-timeout',
      '1s',
    ]);
    expect(Date.now() - started).toBeLessThan(ENDS_WITHIN_MS);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: no complete answer from ${server.url} for \\w+ within 1s \\(--request-timeout\\)\n$`,
      ),
    );
  });
});
