import { afterEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/io/load-input.js';
import { App } from '../../src/ui/components/App.js';
import { plain, press, renderSized, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { ENTER, ESC, RIGHT } from '../helpers/keys.js';

const noon = () => new Date(2024, 0, 1, 12, 0, 0);

const mounted: SizedRender[] = [];
afterEach(() => {
  for (const ui of mounted.splice(0)) ui.unmount();
});

/** The App on the demo's production pods, in an 80-column terminal. */
async function start(): Promise<SizedRender> {
  const source = { initial: loadDemo(), name: 'demo cluster', reload: async () => loadDemo() };
  const ui = renderSized(
    <App source={source} namespace="production" color={false} clock={noon} />,
    { columns: 80, rows: 24 },
  );
  mounted.push(ui);
  await untilFrame(ui, (frame) => frame.includes('frontend-84c5d9b7f6-hx2lq'));
  return ui;
}

const lines = (ui: SizedRender) => plain(ui.lastFrame()).split('\n');
const row = (ui: SizedRender, name: RegExp) => lines(ui).find((line) => name.test(line)) ?? '';

describe('the matrix screen', () => {
  it('"m" shows the namespace folded by workload, ports in the cells, within 80 columns', async () => {
    const ui = await start();
    await press(ui, 'm');
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    // The matrix is computed after its screen has drawn, off the key's path.
    expect(ui.frames.map(plain).some((frame) => frame.includes('computing…'))).toBe(true);
    expect(lines(ui)[1]).toMatch(/^Connectivity matrix of production/);
    expect(lines(ui).every((line) => line.length <= 80)).toBe(true);
    // Workload names do not fit a column: columns are numbered, and a legend names them.
    expect(row(ui, /^FROM/)).toMatch(/^FROM \\ TO +1 +2 +3 +4 *$/);
    expect(plain(ui.lastFrame())).toMatch(/1 deploy\/frontend {2}2 deploy\/api/);
    expect(row(ui, /^1 deploy\/frontend/)).toMatch(/^1 deploy\/frontend +- +8080 +- +- *$/);
    expect(row(ui, /^2 deploy\/api/)).toMatch(/^2 deploy\/api +- +- +5432 +- *$/);
    // The cursor starts on frontend -> frontend, which nothing allows.
    expect(plain(ui.lastFrame())).toContain('deploy/frontend -> deploy/frontend: nothing allowed');
  });

  it(':matrix opens it too, and the cursor moves across cells with hjkl', async () => {
    const ui = await start();
    await press(ui, ':');
    await type(ui, 'matrix');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    await press(ui, 'l');
    expect(plain(ui.lastFrame())).toContain('deploy/frontend -> deploy/api: 8080');
    await press(ui, 'j', 'l');
    expect(plain(ui.lastFrame())).toContain('deploy/api -> sts/postgres: 5432');
    await press(ui, 'h', 'k');
    expect(plain(ui.lastFrame())).toContain('deploy/frontend -> deploy/api: 8080');
  });

  it('enter on a cell runs the check of that pair on its port; esc returns', async () => {
    const ui = await start();
    await press(ui, 'm');
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    await press(ui, RIGHT, ENTER);
    await untilFrame(ui, (frame) => frame.includes('ALLOWED'));
    expect(lines(ui)[1]).toBe('Traffic check');
    const screen = plain(ui.lastFrame());
    expect(screen).toMatch(/deploy\/frontend/);
    expect(screen).toMatch(/deploy\/api/);
    expect(screen).toMatch(/8080/);
    expect(screen).toMatch(/ALLOWED/);
    await press(ui, ESC);
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    expect(plain(ui.lastFrame())).toContain('deploy/frontend -> deploy/api: 8080');
  });

  it('enter on a denied cell opens the check of that pair, waiting for a port', async () => {
    const ui = await start();
    await press(ui, 'm');
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    await press(ui, 'j', ENTER); // api -> frontend: nothing allowed
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    const screen = plain(ui.lastFrame());
    expect(screen).toMatch(/deploy\/api/);
    expect(screen).toMatch(/deploy\/frontend/);
    expect(screen).toContain('fill in the fields and press enter');
  });
});
