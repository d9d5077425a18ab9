import { describe, expect, it } from 'vitest';
import { hugePodAnnotations } from '../../bench/huge-objects.js';
import { loadDemo } from '../../src/io/load-input.js';
import { yamlText } from '../../src/render/structured.js';
import { type AnalystRunner, queuedAnalyst } from '../../src/ui/analyst/analyst.js';
import { inProcessAnalyst } from '../../src/ui/analyst/in-process.js';
import type { AnalystQuestion, AnalystSnapshot } from '../../src/ui/analyst/questions.js';
import type { CheckQuestion } from '../../src/ui/state.js';

type WorkerModule = typeof import('../../src/ui/analyst/worker-analyst.js');
/** The built worker, as `kubectl netpol` runs it (npm run build first). */
const BUILT = new URL('../../dist/src/ui/analyst/worker-analyst.js', import.meta.url).href;

const snapshotOfDemo = (): AnalystSnapshot => {
  const { cluster } = loadDemo();
  return { cluster, options: {} };
};

const QUESTIONS: readonly AnalystQuestion[] = [
  { kind: 'network-plugin' },
  { kind: 'cluster-view' },
  { kind: 'audit' },
  { kind: 'audit-finding', index: 1 },
  { kind: 'audit-finding', index: 1_000 },
  { kind: 'pod-exposure', podId: 'kube-system/coredns-5d78c9869d-4xq7m' },
  { kind: 'pod-exposure', podId: 'nowhere/gone' },
  {
    kind: 'policy-view',
    screen: { id: 'policy-detail', policyKey: 'production/default-deny-all' },
  },
  { kind: 'matrix', of: 'production' },
];

/** A traffic check whose answer depends on the network plugin (the answer says if it enforces). */
const CHECK: CheckQuestion = {
  source: 'production/frontend-84c5d9b7f6-hx2lq',
  destination: 'kube-system/coredns-5d78c9869d-4xq7m',
  port: '53',
  protocol: 'UDP',
};

describe('the analyst in its built worker', () => {
  it("writes a huge object's YAML, the object sent to it in parts, as the UI thread writes it", async () => {
    const { workerAnalyst } = (await import(BUILT)) as WorkerModule;
    const worker = workerAnalyst();
    const object = hugePodAnnotations('shop', 2e6);
    try {
      const { lines } = await worker.ask(snapshotOfDemo(), { kind: 'object-yaml', object }).answer;
      expect(lines).toEqual(yamlText(object, { aliasDuplicateObjects: false }).split('\n'));
      expect(lines.length).toBeGreaterThan(10_000);
    } finally {
      worker.close();
    }
  });

  it('answers every question with the same data as on the UI thread', async () => {
    const { workerAnalyst } = (await import(BUILT)) as WorkerModule;
    const worker = workerAnalyst();
    const here = inProcessAnalyst();
    const snapshot = snapshotOfDemo();
    try {
      for (const question of QUESTIONS) {
        const [there, local] = await Promise.all([
          worker.ask(snapshot, question).answer,
          here.ask(snapshot, question).answer,
        ]);
        expect(there, question.kind).toEqual(local);
      }
      const audit = await worker.ask(snapshot, { kind: 'audit' }).answer;
      expect(audit.rows.length).toBeGreaterThan(0);
      const finding = await worker.ask(snapshot, { kind: 'audit-finding', index: 0 }).answer;
      expect(finding?.code).toBe(audit.rows[0]?.code);
    } finally {
      worker.close();
      here.close();
    }
  });

  it('drops the questions about a snapshot once a newer one is asked about', async () => {
    const { workerAnalyst } = (await import(BUILT)) as WorkerModule;
    const worker = workerAnalyst();
    try {
      let olderSettled = false;
      const older = worker.ask(snapshotOfDemo(), { kind: 'audit' });
      older.answer.finally(() => {
        olderSettled = true;
      });
      const newer = await worker.ask(snapshotOfDemo(), { kind: 'audit' }).answer;
      expect(newer.rows.length).toBeGreaterThan(0);
      expect(olderSettled).toBe(false);
    } finally {
      worker.close();
    }
  });

  it("answers a key's question asked first, with the network plugin the audit's worker detects", async () => {
    const { workerAnalyst } = (await import(BUILT)) as WorkerModule;
    const worker = workerAnalyst();
    const here = inProcessAnalyst();
    const snapshot = snapshotOfDemo();
    const question: AnalystQuestion = { kind: 'check', asked: CHECK, namespace: 'production' };
    try {
      // The key's worker holds the question until the other has detected the plugin.
      const there = await worker.ask(snapshot, question).answer;
      expect(there).toEqual(await here.ask(snapshot, question).answer);
      expect(await worker.ask(snapshot, { kind: 'network-plugin' }).answer).toEqual(
        await here.ask(snapshot, { kind: 'network-plugin' }).answer,
      );
    } finally {
      worker.close();
      here.close();
    }
  });

  it('says why a snapshot could not be compiled instead of failing silently', async () => {
    const { workerAnalyst } = (await import(BUILT)) as WorkerModule;
    const worker = workerAnalyst();
    const broken = { cluster: {}, options: {} } as unknown as AnalystSnapshot;
    try {
      await expect(worker.ask(broken, { kind: 'audit' }).answer).rejects.toThrow();
    } finally {
      worker.close();
    }
  });
});

/** A runner that answers with the question's kind when told to, recording what it was asked. */
function heldRunner() {
  const asked: string[] = [];
  const release: (() => void)[] = [];
  const runner: AnalystRunner = {
    load: () => asked.push('load'),
    run: (question) =>
      new Promise((resolve) => {
        asked.push(question.kind);
        release.push(() => resolve(question.kind));
      }),
    abandon: () => asked.push('abandon'),
    close: () => {},
  };
  return { runner, asked, release };
}

describe('the analyst queue', () => {
  it('runs one question at a time in order, and never runs a cancelled one', async () => {
    const { runner, asked, release } = heldRunner();
    const analyst = queuedAnalyst(runner);
    const snapshot = snapshotOfDemo();
    const audit = analyst.ask(snapshot, { kind: 'audit' });
    const matrix = analyst.ask(snapshot, { kind: 'matrix', of: 'a' });
    const view = analyst.ask(snapshot, { kind: 'matrix', of: 'b' });
    matrix.cancel();
    expect(asked).toEqual(['load', 'audit']);
    release.shift()?.();
    await expect(audit.answer).resolves.toBe('audit');
    expect(asked).toEqual(['load', 'audit', 'matrix']);
    release.shift()?.();
    await expect(view.answer).resolves.toBe('matrix');
    expect(asked).toEqual(['load', 'audit', 'matrix']);
  });

  it('abandons the work under way when a newer snapshot comes, and loads that one', () => {
    const { runner, asked } = heldRunner();
    const analyst = queuedAnalyst(runner);
    analyst.ask(snapshotOfDemo(), { kind: 'audit' });
    analyst.ask(snapshotOfDemo(), { kind: 'audit' });
    expect(asked).toEqual(['load', 'audit', 'abandon', 'load', 'audit']);
  });
});
