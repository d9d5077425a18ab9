import { describe, expect, it, onTestFinished } from 'vitest';
import { App } from '../../src/ui/components/App.js';
import { demoSource, noon } from '../helpers/app.js';
import { heldAnalyst } from '../helpers/held-analyst.js';
import { plain, press, renderSized, untilFrame } from '../helpers/ink.js';
import { ENTER, ESC } from '../helpers/keys.js';

/** The title line, under the header. */
const title = (ui: { lastFrame(): string | undefined }) => plain(ui.lastFrame()).split('\n')[1];

/** A namespace's row, without the cursor's column. */
const row = (frame: string, name: string) =>
  frame
    .split('\n')
    .map((line) => line.slice(2))
    .find((line) => line.startsWith(`${name} `)) ?? '';

describe('the first frame', () => {
  it('shows the namespaces with their pods and policies counted before the analyst has analysed the snapshot, then fills in', async () => {
    const { analyst, gate } = heldAnalyst('cluster-view');
    gate.holding = true;
    const ui = renderSized(
      <App source={demoSource()} color={false} clock={noon} analyst={analyst} />,
      {
        columns: 100,
        rows: 30,
      },
    );
    onTestFinished(() => {
      ui.unmount();
      analyst.close();
    });
    await untilFrame(ui, (frame) => frame.includes('analysing the snapshot…'));
    const early = plain(ui.lastFrame());
    expect(early).toContain('9 ns, 32 pods, 20 netpol');
    expect(early).toContain('Namespaces (9)');
    expect(row(early, 'production')).toMatch(/^production\s+6\s+9\s+…\s+…\s*$/);
    expect(row(early, 'legacy')).toMatch(/^legacy\s+3\s+0\s+…\s+…/);

    // Keys work meanwhile: enter opens the pods of every namespace, their count pending.
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Pods ('));
    expect(title(ui)).toBe('Pods (…)');

    gate.release();
    await untilFrame(ui, (frame) => !frame.includes('analysing the snapshot…'));
    expect(title(ui)).toBe('Pods (32)');
    await press(ui, ESC);
    await untilFrame(ui, (frame) => frame.includes('Namespaces ('));
    expect(row(plain(ui.lastFrame()), 'production')).toMatch(
      /^production\s+6\s+9\s+ingress\+egress\s+in 6\/6 {2}eg 6\/6$/,
    );
  });
});
