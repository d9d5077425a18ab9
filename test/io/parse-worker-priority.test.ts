import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_NICENESS } from '../../src/io/thread-priority.js';
import { niceOf, ownThread, workerThreads } from '../helpers/thread-nice.js';

type ParserModule = typeof import('../../src/io/files/off-thread-parser.js');
/** The built parser, whose worker is the built parse-worker-main.js (npm run build first). */
const BUILT = new URL('../../dist/src/io/files/off-thread-parser.js', import.meta.url).href;

describe.skipIf(process.platform !== 'linux')('the parse worker (Linux)', () => {
  it('runs below the priority of the thread that started it, which keeps its own', async () => {
    const { OFF_THREAD_BYTES, OffThreadParser } = (await import(BUILT)) as ParserModule;
    const own = ownThread();
    const ownNice = niceOf(own);
    const before = workerThreads();
    const parser = new OffThreadParser(undefined);
    const file = join(mkdtempSync(join(tmpdir(), 'netpol-nice-')), 'big.yaml');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {a: '${'x'.repeat(OFF_THREAD_BYTES)}'}\n`;
    writeFileSync(file, text);
    try {
      // The worker has run its code, priority lowered first, once it answered.
      const parsed = await parser.parse(Buffer.from(text), file, async () => {});
      expect(parsed?.objects).toHaveLength(1);
      const started = [...workerThreads()].filter(([id]) => !before.has(id));
      expect(started).toEqual([[expect.any(String), Math.min(19, ownNice + WORKER_NICENESS)]]);
      expect(niceOf(own)).toBe(ownNice);
    } finally {
      parser.finish();
    }
  });
});
