import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleApp } from '../../scripts/release/bundle.ts';
import { NODE_VERSION } from '../../scripts/release/platforms.ts';
import { tempDir } from '../helpers/fake-api.js';
import { liveTab } from '../helpers/live-tab.js';

// The standalone executable runs the app as one module (no chunks: it has no files beside it),
// where esbuild evaluates a lazily imported module with all it imports, barrels included.
describe('the bundle of the standalone executable (one file)', () => {
  const bundle = join(tempDir(), 'kubectl-netpol.mjs');
  beforeAll(async () => {
    await bundleApp(bundle, { version: 'v0.0.0' }, NODE_VERSION, { sourcemap: true });
  }, 300_000);

  it("carries none of client-node's models and API classes, which each live read would evaluate", () => {
    const { sources } = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
    expect(sources).toContainEqual(
      expect.stringMatching(/\/@kubernetes\/client-node\/.*\/config\.ts$/),
    );
    const generated = sources.filter((source) =>
      /\/@kubernetes\/client-node\/.*\/gen\/(models|apis|types)\//.test(source),
    );
    expect(generated.filter((source) => !source.endsWith('/apis/exception.ts'))).toEqual([]);
  });

  it("completes a live cluster's names", async () => {
    const run = await liveTab([bundle]);
    expect(run.stdout).toContain('web\tPod app');
    expect(run.exitCode).toBe(0);
  });
});
