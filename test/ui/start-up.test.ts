import { describe, expect, it } from 'vitest';
import { importInk } from '../../src/ui/start-up.js';

/** Node's HTTP client, which its global fetch loads when first called. */
const NODE_FETCH = 'NativeModule internal/deps/undici/undici';

/** The modules Node has loaded so far, its own included (process.moduleLoadList, untyped). */
const nodeModulesLoaded = () => (process as unknown as { moduleLoadList: string[] }).moduleLoadList;

describe('loading the UI', () => {
  it("loads Ink without loading Node's fetch, and puts the global fetch back as it was", async () => {
    const fetchBefore = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    expect(nodeModulesLoaded()).not.toContain(NODE_FETCH);
    const ink = await importInk();
    expect(typeof ink.render).toBe('function');
    expect(nodeModulesLoaded()).not.toContain(NODE_FETCH);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')).toEqual(fetchBefore);
  });
});
