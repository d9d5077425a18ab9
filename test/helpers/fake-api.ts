import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

const TLS_DIR = join(import.meta.dirname, '../fixtures/tls');

/** The fake server's certificate (self-signed for 127.0.0.1), and so its CA. */
export const SERVER_CERT = readFileSync(join(TLS_DIR, 'cert.pem'));

/** A fake API server on 127.0.0.1 (https, with SERVER_CERT) and how to stop it. */
export interface FakeApiServer {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** TLS connections accepted so far, and those still open. */
  readonly connections: { accepted: number; open: number };
  close(): Promise<void>;
}

/** A second test certificate, self-signed for the host name localhost. */
export const LOCALHOST_TLS = {
  cert: readFileSync(join(TLS_DIR, 'localhost-cert.pem')),
  key: readFileSync(join(TLS_DIR, 'localhost-key.pem')),
};

/**
 * Starts an https server on loopback answering every request with `handle`; `tls` replaces the
 * certificate for 127.0.0.1 or adds server options (asking for a client certificate).
 */
export async function fakeApiServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  tls: ServerOptions = {},
): Promise<FakeApiServer> {
  const requests: string[] = [];
  const options = { cert: SERVER_CERT, key: readFileSync(join(TLS_DIR, 'key.pem')), ...tls };
  const server = createServer(options, (req, res) => {
    requests.push(req.url ?? '');
    handle(req, res);
  });
  const connections = { accepted: 0, open: 0 };
  server.on('secureConnection', (socket) => {
    connections.accepted++;
    connections.open++;
    socket.on('close', () => connections.open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a JSON body and a status. */
export function jsonAnswer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Answers 404 with the Status the API server sends for a path it does not serve. */
function notFound(res: ServerResponse): void {
  jsonAnswer(res, 404, { kind: 'Status', reason: 'NotFound', message: 'not found', code: 404 });
}

/**
 * A fake API server for one test, closed when it ends, answering each path (query string
 * ignored) from `routes` and from `elsewhere` (404 unless given) for any other.
 */
export async function routedApiServer(
  routes: Readonly<Record<string, (res: ServerResponse) => void>>,
  elsewhere: (res: ServerResponse) => void = notFound,
): Promise<FakeApiServer> {
  const server = await fakeApiServer((req, res) => {
    const route = routes[(req.url ?? '').split('?')[0] ?? ''];
    (route ?? elsewhere)(res);
  });
  onTestFinished(() => server.close());
  return server;
}

/** A list page as the API server sends it: the items, and no further page. */
export function listBody(items: readonly unknown[]) {
  return { items, metadata: { resourceVersion: '1' } };
}

/** A route answering with a list page of `items`. */
export function listOf(items: readonly unknown[]): (res: ServerResponse) => void {
  return (res) => jsonAnswer(res, 200, listBody(items));
}

/** Answers with an empty list page of the requested collection. */
export function emptyList(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(listBody([])));
}

/** A running pod of namespace `app`, labelled app=NAME, with one container and the IP. */
export function runningAppPod(name: string, ip: string) {
  return {
    metadata: { name, namespace: 'app', labels: { app: name } },
    spec: { containers: [{ name: 'main', image: 'app' }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

/** The least a pod of namespace `x` can be: labelled app=NAME, with the IP and no containers. */
export function bareXPod(name: string, ip: string) {
  return {
    metadata: { name, namespace: 'x', labels: { app: name } },
    spec: { containers: [] },
    status: { podIP: ip },
  };
}

/**
 * Sends headers, then a byte every 250 ms forever: never idle long enough for an idle
 * timeout, so only a deadline on the whole call ends it.
 */
export function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const drip = setInterval(() => res.write(' '), 250);
  res.on('close', () => clearInterval(drip));
}

/** A fresh temporary directory for one test's files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'netpol-cluster-'));
}

/** Writes an executable shell script (a fake credential plugin) and returns its path. */
export function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Writes a kubeconfig with one context "test" for `server`, trusting SERVER_CERT. */
export function kubeconfigFile(
  dir: string,
  server: string,
  user: Record<string, unknown> = { token: 'static-token-value' },
  cluster: Record<string, unknown> = {
    'certificate-authority-data': SERVER_CERT.toString('base64'),
  },
): string {
  const path = join(dir, 'config');
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'test',
      clusters: [{ name: 'c', cluster: { server, ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'test', context: { cluster: 'c', user: 'u' } }],
    }),
  );
  return path;
}
