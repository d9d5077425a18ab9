import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ApiClient, RequestTimeoutError } from '../../src/io/cluster/api-client.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { runCli } from '../helpers/cli.js';
import {
  emptyList,
  type FakeApiServer,
  fakeApiServer,
  jsonAnswer,
  kubeconfigFile,
  LOCALHOST_TLS,
  listBody,
  SERVER_CERT,
  script,
  tempDir,
} from '../helpers/fake-api.js';

/** The CA bundle of these tests: both self-signed certificates, for 127.0.0.1 and localhost. */
/** The key of SERVER_CERT, here a client certificate's. */
const KEY = readFileSync(join(import.meta.dirname, '../fixtures/tls/key.pem'));

const BOTH_CAS = {
  'certificate-authority-data': Buffer.concat([SERVER_CERT, LOCALHOST_TLS.cert]).toString('base64'),
};

/** What a server saw of one request. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The common name of the client certificate presented, if any. */
  readonly clientCert?: string;
}

/** A fake API server for one test, recording what it is asked; `tls` as fakeApiServer's. */
async function recording(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  tls = {},
): Promise<FakeApiServer & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await fakeApiServer((req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const cn = peer?.subject?.CN;
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      ...(cn ? { clientCert: String(cn) } : {}),
    });
    handle(req, res);
  }, tls);
  onTestFinished(() => server.close());
  return { ...server, seen };
}

/** Answers with a redirect to `location`. */
function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { Location: location, 'Content-Type': 'text/html' });
  res.end(`<a href="${location}">moved</a>`);
}

/** A server on 127.0.0.1 that redirects every request to the same path on `target`. */
function redirectingTo(target: string, status = 307) {
  return recording((req, res) => redirect(res, `${target}${req.url}`, status));
}

/** A client for a kubeconfig with `server`, `user`, and both test CAs trusted. */
function clientOf(server: string, user: Record<string, unknown>, timeoutMs = 10_000): ApiClient {
  const kubeconfig = kubeconfigFile(tempDir(), server, user, BOTH_CAS);
  return new ApiClient(resolveKubeConfig({ kubeconfig }, {}), timeoutMs);
}

/** The error a call fails with. */
async function failure(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error as Error,
  );
}

/** A recording server reached as `localhost`: another host than 127.0.0.1, on this machine. */
async function otherHostRedirecting(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  tls = {},
) {
  const server = await recording(handle, { ...LOCALHOST_TLS, ...tls });
  return { ...server, url: server.url.replace('127.0.0.1', 'localhost') };
}

describe('on a redirect, the API client', () => {
  it('follows 302 and 307 on the same host, a relative Location too, with the credentials', async () => {
    const final = await recording((_req, res) => jsonAnswer(res, 200, listBody([{ a: 1 }])));
    const front = await recording((req, res) =>
      req.url?.startsWith('/moved/')
        ? redirect(res, `${final.url}/final${req.url}`, 307)
        : redirect(res, `/moved${req.url}`, 302),
    );
    const client = clientOf(front.url, { token: 'the-token', as: 'jane' });
    const list = await client.list('/api/v1/pods');
    expect(list.items).toEqual([{ a: 1 }]);
    expect(front.seen.map((r) => r.url)).toEqual([
      '/api/v1/pods?limit=500',
      '/moved/api/v1/pods?limit=500',
    ]);
    expect(final.seen.map((r) => r.url)).toEqual(['/final/moved/api/v1/pods?limit=500']);
    // Another port of the same host is the same host, as for Go's Client.
    for (const { headers } of [...front.seen, ...final.seen]) {
      expect(headers.authorization).toBe('Bearer the-token');
      expect(headers['impersonate-user']).toBe('jane');
    }
  });

  it.each([
    ['a bearer token', () => ({ token: 'static-token-value' }), 'Bearer static-token-value'],
    ['basic auth', () => ({ username: 'alice', password: 'pw' }), 'Basic YWxpY2U6cHc='],
    [
      'an exec plugin’s token',
      () => ({
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: script(tempDir(), 'plugin', `echo '{"status":{"token":"exec-token"}}'`),
          interactiveMode: 'Never',
        },
      }),
      'Bearer exec-token',
    ],
  ])(
    'sends %s to no other host, nor back to the first host once it left',
    async (_, user, sent) => {
      const first = await recording((req, res) =>
        req.url?.startsWith('/back/')
          ? emptyList(res)
          : redirect(res, `${second.url}/there${req.url}`),
      );
      // On localhost: the same machine, another host name.
      const second = await otherHostRedirecting((req, res) =>
        redirect(res, `${first.url}/back${req.url}`, 308),
      );
      await clientOf(first.url, { ...user(), as: 'jane' }).list('/api/v1/pods');
      const seen = (server: { seen: Seen[] }) =>
        server.seen.map((r) => [r.url, r.headers.authorization, r.headers['impersonate-user']]);
      expect(seen(first)).toEqual([
        ['/api/v1/pods?limit=500', sent, 'jane'],
        ['/back/there/api/v1/pods?limit=500', undefined, 'jane'],
      ]);
      expect(seen(second)).toEqual([['/there/api/v1/pods?limit=500', undefined, 'jane']]);
    },
  );

  it('says that the credentials were kept from another host that answers 401', async () => {
    const second = await otherHostRedirecting((_req, res) =>
      jsonAnswer(res, 401, { kind: 'Status', reason: 'Unauthorized', code: 401 }),
    );
    const first = await redirectingTo(second.url);
    const error = await failure(clientOf(first.url, { token: 't0ken' }).get('/api'));
    expect(error.message).toBe(
      `${first.url} redirected the request for /api to ${new URL(second.url).host}, which answered 401 Unauthorized: credentials go to no other host than the server's, so none were sent there`,
    );
  });

  it('verifies the other host with the kubeconfig’s CAs, and present the client certificate it asks for', async () => {
    const asking = { requestCert: true, rejectUnauthorized: false };
    const second = await otherHostRedirecting((_req, res) => emptyList(res), asking);
    const first = await redirectingTo(second.url);
    const pair = {
      'client-certificate-data': SERVER_CERT.toString('base64'),
      'client-key-data': KEY.toString('base64'),
    };
    await clientOf(first.url, pair).list('/api/v1/pods');
    expect(second.seen.map((r) => r.clientCert)).toEqual(['127.0.0.1']);
    const untrusted = kubeconfigFile(tempDir(), first.url, pair);
    const refused = await failure(
      new ApiClient(resolveKubeConfig({ kubeconfig: untrusted }, {}), 10_000).list('/api/v1/pods'),
    );
    expect(refused.message).toMatch(
      /^cannot reach https:\/\/localhost:\d+ \(redirected from https:\/\/127\.0\.0\.1:\d+\): /,
    );
    expect(second.seen).toHaveLength(1);
  });

  it('refuses a redirect from https to http, naming the request and the location, made printable', async () => {
    const plain = createServer((_req, res) => emptyList(res));
    const asked: string[] = [];
    plain.on('request', (req: IncomingMessage) => asked.push(req.url ?? ''));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => plain.close(() => resolve())));
    const port = (plain.address() as AddressInfo).port;
    // A C1 control (CSI) a header may carry, and a password in the URL.
    const front = await recording((_req, res) =>
      redirect(res, `http://user:hunter2@127.0.0.1:${port}/x\x9b2J?to=the-token`),
    );
    const error = await failure(clientOf(front.url, { token: 'the-token' }).get('/api/v1/pods'));
    expect(error.message).toBe(
      `${front.url} redirected the request for /api/v1/pods to http://127.0.0.1:${port}/x%C2%9B2J?to=[REDACTED], which is not https: not followed`,
    );
    expect(asked).toEqual([]);
  });

  it('ends a run with that error in one line', async () => {
    const front = await recording((req, res) => redirect(res, `http://127.0.0.1:1${req.url}`));
    const config = kubeconfigFile(tempDir(), front.url, { token: 't' }, BOTH_CAS);
    const run = await runCli(['matrix', '-n', 'x', '--kubeconfig', config]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: ${front.url.replace(/\./g, '\\.')} redirected the request for (/\\S+) to http://127\\.0\\.0\\.1:1\\1\\S*, which is not https: not followed\\n$`,
      ),
    );
  });

  it('stops at a loop', async () => {
    const server = await recording((req, res) => redirect(res, req.url === '/a' ? '/b' : '/a'));
    const error = await failure(clientOf(server.url, {}).get('/a'));
    expect(error.message).toBe(
      `${server.url} redirected the request for /a in a loop, back to ${server.url}/a: not followed`,
    );
    expect(server.seen.map((r) => r.url)).toEqual(['/a', '/b']);
  });

  it('follows 10 redirects and refuses the 11th', async () => {
    const server = await recording((req, res) => {
      const [, chain = '', hop = ''] = /^\/(\d+)\/(\d+)$/.exec(req.url ?? '') ?? [];
      if (Number(hop) === Number(chain)) jsonAnswer(res, 200, { hops: Number(hop) });
      else redirect(res, `/${chain}/${Number(hop) + 1}`, 301);
    });
    const client = clientOf(server.url, {});
    await expect(client.get('/10/0')).resolves.toEqual({ hops: 10 });
    const error = await failure(client.get('/11/0'));
    expect(error.message).toBe(
      `${server.url} redirected the request for /11/0 more than 10 times, the last time to ${server.url}/11/11: not followed`,
    );
    expect(server.seen.filter((r) => r.url.startsWith('/11/'))).toHaveLength(11);
  });

  it('bounds the whole chain by one --request-timeout, not each hop', async () => {
    // Each hop answers well within the budget; all of them together do not.
    const server = await recording((req, res) => {
      const hop = Number(req.url?.slice(1));
      setTimeout(() => redirect(res, `/${hop + 1}`), 300);
    });
    const error = await failure(clientOf(server.url, {}, 1000).get('/0'));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.message).toBe(
      `no complete answer from ${server.url} for 0 within 1s (--request-timeout)`,
    );
  });

  it('follows no redirect of an apply', async () => {
    const target = await recording((_req, res) => emptyList(res));
    const front = await redirectingTo(target.url);
    const client = clientOf(front.url, { token: 't' });
    const path = '/apis/networking.k8s.io/v1/namespaces/x/networkpolicies/p';
    const error = await failure(
      client.apply(path, { kind: 'NetworkPolicy' }, { dryRun: true, force: false }),
    );
    expect(error.message).toBe(
      `${front.url} redirected the request for ${path} to ${target.url}${path}?fieldManager=kubectl-netpol&dryRun=All: only reads follow a redirect: not followed`,
    );
    expect(target.seen).toEqual([]);
  });

  it('follows a redirect of a watch', async () => {
    const events = await recording((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ADDED', object: { url: req.url } })}\n`);
    });
    const front = await redirectingTo(events.url);
    const seen: unknown[] = [];
    const stop = new AbortController();
    await clientOf(front.url, {}).watch('/api/v1/pods', '7', (e) => seen.push(e), stop.signal);
    expect(seen).toEqual([
      {
        type: 'ADDED',
        object: { url: expect.stringMatching(/^\/api\/v1\/pods\?watch=1&resourceVersion=7&/) },
      },
    ]);
  });
});
