import { describe, expect, it, onTestFinished } from 'vitest';
import { loadDemo } from '../../src/io/load-input.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
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

describe('an answer while the next snapshot is analysed', () => {
  it('the pod detail keeps the previous answer, and the progress line says so, until the new one comes', async () => {
    const { analyst, gate } = heldAnalyst('pod-exposure');
    const { source, pushed } = watchedDemo();
    const ui = renderSized(
      <App source={source} namespace="production" color={false} clock={noon} analyst={analyst} />,
      { columns: 100, rows: 30 },
    );
    onTestFinished(() => {
      ui.unmount();
      analyst.close();
    });
    await untilFrame(ui, (frame) => frame.includes('frontend-84c5d9b7f6-hx2lq'));
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('  labels: '));
    const answered = plain(ui.lastFrame());
    expect(answered).toContain('  labels: ');

    gate.holding = true;
    const framesBefore = ui.frames.length;
    pushed.next(loadDemo());
    await untilFrame(ui, (frame) => frame.includes("shown: the previous snapshot's answer"));
    const during = ui.frames.slice(framesBefore).map(plain);
    // Never blank: every frame since the update shows the pod's detail, none "computing…".
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((frame) => frame.includes('  labels: '))).toBe(true);
    expect(during.some((frame) => frame.includes('computing…'))).toBe(false);
    expect(plain(ui.lastFrame())).toMatch(
      /explaining the pod… \d+\.\d s · shown: the previous snapshot's answer/,
    );

    gate.release();
    await untilFrame(ui, (frame) => !frame.includes('shown: the previous'));
    expect(plain(ui.lastFrame())).toContain('  labels: ');
    expect(plain(ui.lastFrame())).not.toContain('explaining the pod…');
  });
});
