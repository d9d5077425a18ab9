import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { partViews, type SharedParts, shareParts } from '../../src/ui/analyst/shared-parts.js';

/** Parts of the given lengths, each filled with its own byte so that a mix-up shows. */
const partsOf = (lengths: readonly number[]) =>
  lengths.map((length, i) => new Uint8Array(length).fill(i % 251));

/** The shared parts as another thread receives them: through a message port. */
function posted(shared: SharedParts): Promise<SharedParts> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (received: SharedParts) => {
      port1.close();
      port2.close();
      resolve(received);
    });
    port1.postMessage(shared);
  });
}

describe('serialised parts laid out in shared memory', () => {
  it('come back in order and intact, whatever their sizes, across a message port', async () => {
    // Many small parts (several chunks of memory), an empty one, and one longer than a chunk.
    const parts = partsOf([...Array.from({ length: 300 }, () => 7_000), 0, 1_100_000, 5]);
    const shared = shareParts(parts);
    expect(shared.chunks.length).toBeGreaterThan(2);
    expect([...partViews(await posted(shared))]).toEqual(parts);
  });

  it('are read where they lie: the receiving side sees the sender’s memory, not a copy', async () => {
    const shared = shareParts(partsOf([10, 20]));
    const received = await posted(shared);
    new Uint8Array(shared.chunks[0] as SharedArrayBuffer).fill(42);
    expect([...partViews(received)].map((part) => [...new Set(part)])).toEqual([[42], [42]]);
  });

  it('refuse a part said to lie outside the memory sent', () => {
    const { chunks } = shareParts(partsOf([10]));
    expect(() => [...partViews({ chunks, spans: [0, 0, 10, 1, 0, 4] })]).toThrow(/outside/);
    expect(() => [...partViews({ chunks, spans: [0, 4, (1 << 20) + 1] })]).toThrow(/outside/);
  });
});
