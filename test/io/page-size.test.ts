import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, PAGE_SIZE } from '../../src/io/cluster/api-client.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { type LiveLoadListener, loadLive } from '../../src/io/cluster/load-live.js';
import { type FakeApiServer, fakeApiServer, kubeconfigFile, tempDir } from '../helpers/fake-api.js';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A pod of namespace `app` named p0, p1, …, with its IP. */
const pod = (i: number) => ({
  metadata: { name: `p${i}`, namespace: 'app', labels: { app: 'web' } },
  spec: { containers: [] },
  status: { phase: 'Running', podIP: `10.0.0.${i + 1}` },
});

/**
 * A server holding `count` pods, paging every list as the API server does: at most `limit`
 * items a page, the offset of the next page as its continue token. Lists other than the pods
 * are empty.
 */
function pagingServer(count: number) {
  return fakeApiServer((req, res) => {
    const url = new URL(req.url ?? '', 'https://x');
    const limit = Number(url.searchParams.get('limit') ?? count);
    const from = Number(url.searchParams.get('continue') ?? 0);
    const all =
      url.pathname === '/api/v1/pods' ? Array.from({ length: count }, (_, i) => pod(i)) : [];
    const to = Math.min(from + limit, all.length);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        items: all.slice(from, to),
        metadata: { resourceVersion: '7', ...(to < all.length ? { continue: String(to) } : {}) },
      }),
    );
  });
}

const limitsAsked = (fake: FakeApiServer, path: string) =>
  fake.requests
    .filter((request) => request.split('?')[0] === path)
    .map((request) => new URL(request, 'https://x').searchParams.get('limit'));

const clientFor = (url: string, pageSize?: number, maxPages = 1000) =>
  new ApiClient(
    resolveKubeConfig({ kubeconfig: kubeconfigFile(tempDir(), url) }, {}),
    5000,
    { maxBytes: 64 * 1024 * 1024, maxPages },
    undefined,
    pageSize,
  );

describe('the page size of a list', () => {
  it('is PAGE_SIZE unless the client is told fewer', async () => {
    server = await pagingServer(7);
    const list = await clientFor(server.url).list('/api/v1/pods');
    expect(list.items).toHaveLength(7);
    expect(limitsAsked(server, '/api/v1/pods')).toEqual([String(PAGE_SIZE)]);
  });

  it('is honoured page by page, every item read in order', async () => {
    server = await pagingServer(7);
    const list = await clientFor(server.url, 3).list('/api/v1/pods');
    expect(list.items.map((item) => (item.metadata as { name: string }).name)).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
    ]);
    expect(list.resourceVersion).toBe('7');
    expect(limitsAsked(server, '/api/v1/pods')).toEqual(['3', '3', '3']);
  });

  it('allows as many objects before the page cap: smaller pages, more of them', async () => {
    let page = 0;
    server = await fakeApiServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ items: [], metadata: { continue: `token-${page++}` } }));
    });
    const client = clientFor(server.url, PAGE_SIZE / 2, 4);
    await expect(client.list('/api/v1/pods')).rejects.toThrow(
      `list of pods from ${server.url} did not end after 8 pages (the server keeps sending continue tokens)`,
    );
    expect(server.requests).toHaveLength(8);
  });

  it('is the listener’s in a live read it paces, with the snapshot of a read at PAGE_SIZE', async () => {
    server = await pagingServer(12);
    const kubeconfig = kubeconfigFile(tempDir(), server.url);
    const listener: LiveLoadListener = {
      listRead: () => {},
      normalising: async () => {},
      pace: async () => {},
      pageSize: 5,
    };
    const paged = await loadLive({ kubeconfig }, {}, undefined, undefined, listener);
    expect(limitsAsked(server, '/api/v1/pods')).toEqual(['5', '5', '5']);
    // Every list, not only the pods': the others are one page each.
    const limits = server.requests.flatMap((request) =>
      request.includes('limit=') ? [new URL(request, 'https://x').searchParams.get('limit')] : [],
    );
    expect(limits.length).toBeGreaterThan(3);
    expect(new Set(limits)).toEqual(new Set(['5']));
    const whole = await loadLive({ kubeconfig }, {});
    expect(paged.cluster).toEqual(whole.cluster);
    expect(paged.cluster.pods).toHaveLength(12);
  });
});
