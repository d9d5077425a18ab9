import { describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/io/load-input.js';
import { WORKER_NICENESS } from '../../src/io/thread-priority.js';
import { niceOf, ownThread, workerThreads } from '../helpers/thread-nice.js';

type WorkerModule = typeof import('../../src/ui/analyst/worker-analyst.js');
/** The built worker, as `kubectl netpol` runs it (npm run build first). */
const BUILT = new URL('../../dist/src/ui/analyst/worker-analyst.js', import.meta.url).href;

describe.skipIf(process.platform !== 'linux')('the analyst threads (Linux)', () => {
  it('run below the priority of the thread that started them, which keeps its own', async () => {
    const own = ownThread();
    const ownNice = niceOf(own);
    const before = workerThreads();
    const { workerAnalyst } = (await import(BUILT)) as WorkerModule;
    const analyst = workerAnalyst();
    try {
      const { cluster } = loadDemo();
      const snapshot = { cluster, options: {} };
      const audit = await analyst.ask(snapshot, { kind: 'audit' }).answer;
      expect(audit.rows.length).toBeGreaterThan(0);
      // The analyst's other lanes start their threads alongside; a thread lowers its priority
      // as its code starts, which on a busy machine may come after this audit's answer.
      const expected = Math.min(19, ownNice + WORKER_NICENESS);
      const startedThreads = () => [...workerThreads()].filter(([id]) => !before.has(id));
      for (let waited = 0; waited < 200; waited++) {
        if (startedThreads().every(([, nice]) => nice === expected)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const started = startedThreads();
      expect(started.length).toBeGreaterThan(0);
      for (const [, nice] of started) expect(nice).toBe(expected);
      expect(niceOf(own)).toBe(ownNice);
    } finally {
      analyst.close();
    }
  });
});
