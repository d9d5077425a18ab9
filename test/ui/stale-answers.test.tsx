import { describe, expect, it, onTestFinished } from 'vitest';
import { loadDemo } from '../../src/io/load-input.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import type { AnalystQuestion } from '../../src/ui/analyst/questions.js';
import { App } from '../../src/ui/components/App.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { noon } from '../helpers/app.js';
import { heldAnalyst } from '../helpers/held-analyst.js';
import { plain, press, renderSized, untilFrame } from '../helpers/ink.js';
import { ENTER } from '../helpers/keys.js';

/** The demo as a source whose watch the test pushes snapshots through. */
function watchedDemo() {
  const pushed = { next: (_input: LoadedInput) => {} };
  const source: SnapshotSource = {
    initial: loadDemo(),
    name: 'demo cluster',
    reload: async () => loadDemo(),
    watch: (listener) => {
      pushed.next = listener.onSnapshot;
      return () => {};
    },
  };
  return { source, pushed };
}

/**
 * Shows a screen on the demo (in `namespace`, else all of them), then pushes a watch update while the analyst holds its answers to
 * `kind`: every frame until they come keeps the screen's answer (`shown`), and the progress line
 * names the work and says it shows the previous snapshot's answer; then the new answer comes.
 */
async function keepsPreviousAnswer(
  kind: AnalystQuestion['kind'],
  keys: readonly string[],
  shown: string,
  work: string,
  namespace?: string,
) {
  const { analyst, gate } = heldAnalyst(kind);
  const { source, pushed } = watchedDemo();
  const ui = renderSized(
    <App source={source} namespace={namespace} color={false} clock={noon} analyst={analyst} />,
    { columns: 100, rows: 30 },
  );
  onTestFinished(() => {
    ui.unmount();
    analyst.close();
  });
  await untilFrame(ui, (frame) => frame.includes(namespace ? 'frontend-84c5d9b7f6' : 'staging'));
  await untilFrame(ui, (frame) => !frame.includes('auditing…'));
  await press(ui, ...keys);
  await untilFrame(ui, (frame) => frame.includes(shown));

  gate.holding = true;
  const framesBefore = ui.frames.length;
  pushed.next(loadDemo());
  await untilFrame(ui, (frame) => frame.includes("shown: the previous snapshot's answer"));
  const during = ui.frames.slice(framesBefore).map(plain);
  // Never blank: every frame since the update shows the answer, none "computing…".
  expect(during.length).toBeGreaterThan(0);
  expect(during.every((frame) => frame.includes(shown))).toBe(true);
  expect(during.some((frame) => frame.includes('computing…'))).toBe(false);
  expect(plain(ui.lastFrame())).toMatch(
    new RegExp(`${work}… \\d+\\.\\d s · shown: the previous snapshot's answer`),
  );

  gate.release();
  await untilFrame(ui, (frame) => !frame.includes('shown: the previous'));
  expect(plain(ui.lastFrame())).toContain(shown);
  expect(plain(ui.lastFrame())).not.toContain(`${work}…`);
}

describe('an answer while the next snapshot is analysed', () => {
  it('the pod detail keeps the previous answer, and the progress line says so, until the new one comes', async () => {
    await keepsPreviousAnswer(
      'pod-exposure',
      [ENTER],
      '  labels: ',
      'explaining the pod',
      'production',
    );
  });

  it('the matrix keeps the previous answer until the new one comes', async () => {
    await keepsPreviousAnswer(
      'matrix',
      ['m'],
      '2 deploy/api',
      'computing the matrix',
      'production',
    );
  });

  it('the audit keeps the previous findings until the new ones come', async () => {
    await keepsPreviousAnswer('audit', ['a'], 'namespace-selector-matches-nothing', 'auditing');
  });
});
