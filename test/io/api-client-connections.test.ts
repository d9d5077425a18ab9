import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/io/cluster/api-client.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { loadLive } from '../../src/io/cluster/load-live.js';
import {
  emptyList,
  type FakeApiServer,
  fakeApiServer,
  kubeconfigFile,
  tempDir,
} from '../helpers/fake-api.js';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose lists come in `pages` pages of one pod each. */
function pagedServer(pages: number) {
  return fakeApiServer((req, res) => {
    const page = Number(new URL(req.url ?? '', 'https://x').searchParams.get('continue') ?? 0);
    const next = page + 1 < pages ? { continue: String(page + 1) } : {};
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ items: [{ metadata: { name: `p${page}` } }], metadata: next }));
  });
}

/** Waits until the server has seen every connection close, or fails after a while. */
async function allClosed(fake: FakeApiServer): Promise<void> {
  for (let tries = 0; fake.connections.open > 0 && tries < 200; tries++) await sleep(10);
  expect(fake.connections.open).toBe(0);
}

describe('connections to the API server', () => {
  it("carry a list's pages over one TLS connection, not one handshake per page", async () => {
    server = await pagedServer(20);
    const config = kubeconfigFile(tempDir(), server.url);
    const client = new ApiClient(resolveKubeConfig({ kubeconfig: config }, {}), 5000);
    const list = await client.list('/api/v1/pods');
    expect(list.items).toHaveLength(20);
    expect(server.requests).toHaveLength(20);
    // The second page may go out before the first connection is free again; no more after it.
    expect(server.connections.accepted).toBeLessThanOrEqual(2);
    client.closeConnections();
    await allClosed(server);
  });

  it('are closed once a snapshot is read', async () => {
    server = await fakeApiServer((_req, res) => emptyList(res));
    const kubeconfig = kubeconfigFile(tempDir(), server.url);
    await loadLive({ kubeconfig }, {});
    expect(server.connections.accepted).toBeGreaterThan(0);
    await allClosed(server);
  });

  // kube-apiserver gzips a large answer for a client that accepts gzip, as kubectl does: a
  // list of thousands of pods crosses the network in a tenth of its size.
  it('ask for gzip and read a gzipped answer', async () => {
    const pods = Array.from({ length: 2000 }, (_, i) => ({ metadata: { name: `pod-${i}` } }));
    server = await fakeApiServer((req, res) => {
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding']));
      const body = JSON.stringify({ items: gzip ? pods : [], metadata: {} });
      res.writeHead(200, {
        'Content-Type': 'application/json',
        ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      });
      res.end(gzip ? gzipSync(body) : body);
    });
    const config = kubeconfigFile(tempDir(), server.url);
    const client = new ApiClient(resolveKubeConfig({ kubeconfig: config }, {}), 5000);
    const list = await client.list('/api/v1/pods');
    client.closeConnections();
    expect(list.items).toHaveLength(2000);
    expect(list.items.at(-1)).toEqual({ metadata: { name: 'pod-1999' } });
  });
});
