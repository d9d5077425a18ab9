import { describe, expect, it } from 'vitest';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { ENTER, ESC, RIGHT, TAB } from '../helpers/keys.js';

/** The App on the demo's production pods, in an 80-column terminal. */
async function start(): Promise<SizedRender> {
  const ui = await startApp({ props: { namespace: 'production' } });
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

describe('the matrix of a selection', () => {
  it('space marks pods across namespaces; m then shows the matrix of the marked pods', async () => {
    const ui = await start();
    await press(ui, ' '); // frontend-84c5d9b7f6-hx2lq
    await untilFrame(ui, (frame) => /▶\* production +frontend-84c5d9b7f6-hx2lq/.test(plain(frame)));
    await press(ui, 'j', 'j', ' '); // api-7d9f8b6c5-x2k4p
    await untilFrame(ui, (frame) => / \* production +api-7d9f8b6c5-x2k4p/.test(plain(frame)));
    expect(lines(ui)[1]).toMatch(/^Pods in production \(6\), 2 marked/);
    await press(ui, ':');
    await type(ui, 'po staging');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('web-frontend-7c8d9f6b5-kp4xz'));
    await press(ui, ' ', 'm');
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    expect(lines(ui)[1]).toMatch(/^Connectivity matrix of 3 marked pods/);
    const screen = plain(ui.lastFrame());
    expect(screen).toContain('1 production/deploy/frontend');
    expect(screen).toContain('2 production/deploy/api');
    expect(screen).toContain('3 staging/deploy/web-frontend');
    expect(row(ui, /^1 production\/deploy\/fron\S* +self/)).toMatch(/ +self +8080 +- *$/);
    // Enter checks the marked pods themselves, not every pod of their workloads.
    await press(ui, RIGHT, ENTER);
    await untilFrame(ui, (frame) => frame.includes('ALLOWED'));
    expect(plain(ui.lastFrame())).toContain('production/frontend-84c5d9b7f6-hx2lq');
    expect(plain(ui.lastFrame())).toContain('production/api-7d9f8b6c5-x2k4p');
  });

  it('space again unmarks; without marks m shows the namespace', async () => {
    const ui = await start();
    await press(ui, ' ');
    await untilFrame(ui, (frame) => plain(frame).includes('1 marked'));
    await press(ui, ' ');
    await untilFrame(ui, (frame) => !plain(frame).includes('marked'));
    await press(ui, 'm');
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    expect(lines(ui)[1]).toMatch(/^Connectivity matrix of production/);
  });

  it(':matrix NS1,NS2 shows several namespaces, each name with its namespace', async () => {
    const ui = await start();
    await press(ui, ':');
    await type(ui, 'matrix production,stag');
    await press(ui, TAB, ENTER);
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    expect(lines(ui)[1]).toMatch(/^Connectivity matrix of production, staging/);
    const screen = plain(ui.lastFrame());
    expect(screen).toContain('production/deploy/frontend');
    expect(screen).toContain('staging/deploy/api');
  });

  it(':po with several namespaces says only :matrix takes them', async () => {
    const ui = await start();
    await press(ui, ':');
    await type(ui, 'po production,staging');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes(':po takes one namespace'));
  });
});
