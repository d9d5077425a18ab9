import { afterEach, describe, expect, it } from 'vitest';
import { CLUSTER_SIZES, generateCluster } from '../../bench/synthetic-cluster.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import type { Analyst } from '../../src/ui/analyst/analyst.js';
import { App } from '../../src/ui/components/App.js';
import { plain, press, renderSized, type SizedRender, untilFrame } from '../helpers/ink.js';
import { ENTER } from '../helpers/keys.js';

type WorkerModule = typeof import('../../src/ui/analyst/worker-analyst.js');
/** The built worker, as `kubectl netpol` runs it (npm run build first). */
const BUILT = new URL('../../dist/src/ui/analyst/worker-analyst.js', import.meta.url).href;
/** Generous: 10,000 pods on a loaded 2-core machine. */
const SLOW_MS = 150_000;

/** The bench's 10,000-pod cluster, whose audit takes seconds. */
function largeInput(): LoadedInput {
  const objects = generateCluster(CLUSTER_SIZES.large);
  const { findings, ...normalized } = normalizeObjects(
    objects.map((object, i) => ({ object, location: { file: 'large', item: i + 1 } })),
  );
  return { ...normalized, findings, description: 'large' };
}

/** The built worker analyst, noting in `events` when the audit's answer comes. */
async function watchedAnalyst(events: string[]): Promise<Analyst> {
  const { workerAnalyst } = (await import(BUILT)) as WorkerModule;
  const analyst = workerAnalyst();
  return {
    ...analyst,
    ask: (snapshot, question) => {
      const job = analyst.ask(snapshot, question);
      if (question.kind === 'audit') job.answer.then(() => events.push('audit answered'));
      return job;
    },
  };
}

const mounted: { ui: SizedRender; analyst: Analyst }[] = [];
afterEach(() => {
  for (const { ui, analyst } of mounted.splice(0)) {
    ui.unmount();
    analyst.close();
  }
});

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const marked = (ui: SizedRender) =>
  (
    screen(ui)
      .split('\n')
      .find((line) => line.startsWith('▶')) ?? ''
  ).slice(2);

describe('keys while the audit runs in its worker', () => {
  it(
    'moves and opens a list before the audit of 10,000 pods has answered',
    async () => {
      const input = largeInput();
      const source = { initial: input, name: 'large', reload: async () => input };
      const events: string[] = [];
      const analyst = await watchedAnalyst(events);
      const ui = renderSized(
        <App source={source} color={false} clock={() => new Date(0)} analyst={analyst} />,
        { columns: 120, rows: 30 },
      );
      mounted.push({ ui, analyst });
      await untilFrame(ui, (frame) => frame.includes('auditing…'), SLOW_MS);
      const first = marked(ui);
      await press(ui, 'j', 'j');
      await untilFrame(ui, () => marked(ui) !== first, SLOW_MS);
      const third = marked(ui).split(/\s+/)[0] ?? '';
      await press(ui, ENTER);
      const opened = new RegExp(`Pods in ${third} \\(\\d+\\)`);
      await untilFrame(ui, (frame) => opened.test(frame), SLOW_MS);
      events.push('keys took effect');
      // Both keys moved the marker (none was lost), and enter opened the row it reached.
      expect(first).toMatch(/^\(all namespaces\)/);
      expect(screen(ui).split('\n')[1]).toMatch(opened);
      expect(screen(ui)).toMatch(/auditing… \d+\.\d s/);
      await untilFrame(ui, (frame) => !frame.includes('auditing…'), SLOW_MS);
      expect(events).toEqual(['keys took effect', 'audit answered']);
    },
    SLOW_MS * 3,
  );
});
