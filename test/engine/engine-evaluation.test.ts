import ipaddr from 'ipaddr.js';
import { expect, it, vi } from 'vitest';

// A shell's Tab evaluates the engine (for its name candidates) and parses no address: the
// engine's own constants must not parse one either, which runs ipaddr.js's parser cold.
it('evaluating the engine parses no address', async () => {
  vi.resetModules();
  const parsed = [vi.spyOn(ipaddr, 'isValid'), vi.spyOn(ipaddr, 'parse')];
  await import('../../src/engine/index.js');
  const { EVERY_ADDRESS } = await import('../../src/engine/primitives/ip-block.js');
  expect(EVERY_ADDRESS).toEqual([
    { family: 4, first: 0n, last: 2n ** 32n - 1n, prefixLength: 0 },
    { family: 6, first: 0n, last: 2n ** 128n - 1n, prefixLength: 0 },
  ]);
  for (const spy of parsed) expect(spy).not.toHaveBeenCalled();
});
