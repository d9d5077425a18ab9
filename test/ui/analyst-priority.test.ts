import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/io/load-input.js';
import { ANALYST_NICENESS } from '../../src/ui/analyst/thread-priority.js';

type WorkerModule = typeof import('../../src/ui/analyst/worker-analyst.js');
/** The built worker, as `kubectl netpol` runs it (npm run build first). */
const BUILT = new URL('../../dist/src/ui/analyst/worker-analyst.js', import.meta.url).href;

/** This process's threads that Node runs workers on: id and nice value (/proc, Linux). */
function workerThreads(): Map<string, number> {
  const threads = new Map<string, number>();
  for (const id of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${id}/comm`, 'utf8').trim() !== 'WorkerThread') continue;
      threads.set(id, niceOf(id));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return threads;
}

/** A thread's nice value: field 19 of its stat line, counted after the command's parenthesis. */
function niceOf(thread: string): number {
  const stat = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe.skipIf(process.platform !== 'linux')('the analyst threads (Linux)', () => {
  it('run below the priority of the thread that started them, which keeps its own', async () => {
    const own = readlinkSync('/proc/thread-self').split('/').pop() as string;
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
      const expected = Math.min(19, ownNice + ANALYST_NICENESS);
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
