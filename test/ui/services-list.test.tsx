import { describe, expect, it } from 'vitest';
import { helpLines } from '../../src/ui/screen-text.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { DOWN, ENTER, ESC } from '../helpers/keys.js';

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const footer = (ui: SizedRender) => lines(ui).at(-1) ?? '';
const title = (ui: SizedRender) => lines(ui)[1] ?? '';
const field = (ui: SizedRender, name: string) =>
  lines(ui).find((line) => line.trimStart().replace(/^› /, '').startsWith(name)) ?? '';

/** Types a ":" command and runs it. */
async function command(ui: SizedRender, text: string): Promise<void> {
  await press(ui, ':');
  await type(ui, text);
  await press(ui, ENTER);
}

describe('the Services list', () => {
  it(':svc production lists its Services with their ports, selectors and backends', async () => {
    const ui = await startApp();
    await command(ui, 'svc production');
    await untilFrame(ui, (frame) => frame.includes('postgres'));
    expect(title(ui)).toContain('Services in production (3)');
    const rows = lines(ui);
    const header = rows.find((line) => line.includes('CLUSTER-IP')) ?? '';
    expect(header).toMatch(/NAME +TYPE +CLUSTER-IP +PORTS +BACKENDS/);
    const api = rows.find((line) => /^\W*api /.test(line)) ?? '';
    // A cell too long for its column is cut with …, as in every list.
    expect(api).toMatch(/api +ClusterIP +10\.96\.45\.20 +8080\/TCP http, 9090\/… +2 +app=api/);
    const frontend = rows.find((line) => line.includes('frontend')) ?? '';
    expect(frontend).toMatch(/80\/TCP http +2 /);
    for (const line of rows) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('kubectl names it: :services and :service jump there too', async () => {
    const ui = await startApp();
    await command(ui, 'services');
    await untilFrame(ui, (frame) => frame.includes('Services ('));
    expect(title(ui)).toMatch(/^Services \(\d+\)/);
    // Across namespaces the NAMESPACE column comes back.
    expect(screen(ui)).toMatch(/NAMESPACE +NAME +TYPE/);
    await command(ui, 'service staging');
    await untilFrame(ui, (frame) => frame.includes('Services in staging'));
    expect(title(ui)).toContain('Services in staging');
  });

  it('enter opens the check to svc/NAME.NS, with the port of a one-port Service', async () => {
    const ui = await startApp();
    await command(ui, 'svc production');
    await untilFrame(ui, (frame) => frame.includes('postgres'));
    // api, frontend, postgres: the third has one port.
    await press(ui, DOWN, DOWN, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    expect(field(ui, 'destination')).toContain('svc/postgres.production');
    expect(field(ui, 'port')).toContain('5432');
    // The source is what is left to say, so it has the focus.
    expect(field(ui, 'source')).toMatch(/^› /);
    await type(ui, 'production/api');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => /ALLOWED|DENIED/.test(frame));
    expect(screen(ui)).toMatch(/ALLOWED|DENIED/);
  });

  it('a check opened from a Service shows no verdict of the check asked before it', async () => {
    const ui = await startApp();
    await command(ui, 'svc production');
    await untilFrame(ui, (frame) => frame.includes('postgres'));
    await press(ui, DOWN, DOWN, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    await type(ui, 'production/api');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => /ALLOWED|DENIED/.test(frame));
    // Back to the list, and the check of another Service: its source is still to be typed.
    await press(ui, ESC);
    await untilFrame(ui, (frame) => frame.includes('Services in production'));
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('svc/frontend.production'));
    expect(screen(ui)).not.toMatch(/ALLOWED|DENIED/);
    expect(screen(ui)).toContain('fill in the fields and press enter');
  });

  it('"y" shows the YAML of the Service under the cursor', async () => {
    const ui = await startApp();
    await command(ui, 'svc production');
    await untilFrame(ui, (frame) => frame.includes('postgres'));
    await press(ui, DOWN, DOWN, 'y');
    await untilFrame(ui, (frame) => frame.includes('YAML: Service'));
    expect(title(ui)).toBe('YAML: Service production/postgres');
    expect(screen(ui)).toMatch(/^ {2}clusterIP: 10\.96\.45\.30$/m);
  });

  it('a Service of several ports leaves the port to be typed', async () => {
    const ui = await startApp();
    await command(ui, 'svc production');
    await untilFrame(ui, (frame) => frame.includes('postgres'));
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    expect(field(ui, 'destination')).toContain('svc/api.production');
    expect(field(ui, 'port')).not.toMatch(/\d/);
  });

  it('"v" on the pods list shows the Services of the namespace, and help lists it', async () => {
    const ui = await startApp();
    await command(ui, 'po production');
    await untilFrame(ui, (frame) => frame.includes('postgres-0'));
    expect(helpLines(80)).toContainEqual(
      expect.stringMatching(/^ {2}v +the namespace's Services \(:svc NS\) +on: namespaces, pods$/),
    );
    await press(ui, 'v');
    await untilFrame(ui, (frame) => frame.includes('Services in production'));
    expect(title(ui)).toContain('Services in production (3)');
  });

  it('"v" on the namespaces list shows the Services of the namespace under the cursor', async () => {
    const ui = await startApp();
    await untilFrame(ui, (frame) => frame.includes('Namespaces'));
    expect(footer(ui)).toContain('v services');
    // The first row is every namespace; the demo's next one is ingress-nginx.
    await press(ui, DOWN, 'v');
    await untilFrame(ui, (frame) => frame.includes('Services in'));
    expect(title(ui)).toMatch(/^Services in [a-z-]+ \(\d+\)/);
  });
});
