/**
 * The TUI on dual-stack pods: shop/db admits only the IPv4 pod range, so shop/web and
 * shop/cache reach it over IPv4 alone. The pod detail and the matrix say so, instead of leaving
 * the pair out as if nothing reached db.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/io/load-input.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { ENTER } from '../helpers/keys.js';

const FIXTURE = 'test/fixtures/manifests/dual-stack';

async function start(): Promise<SizedRender> {
  const load = () => loadManifests([FIXTURE], async () => '');
  const source: SnapshotSource = { initial: await load(), name: 'dual-stack', reload: load };
  const ui = await startApp({ source, columns: 100, rows: 30, props: { namespace: 'shop' } });
  await untilFrame(ui, (frame) => frame.includes('legacy'));
  return ui;
}

const screen = (ui: SizedRender) => plain(ui.lastFrame());

describe('dual-stack pods in the TUI', () => {
  it('the pod detail lists the pods one family reaches it from, naming the family', async () => {
    const ui = await start();
    await press(ui, '/');
    await type(ui, 'db');
    await press(ui, ENTER, ENTER);
    await untilFrame(ui, (frame) => frame.includes('pods that can reach it'));
    const lines = screen(ui).split('\n');
    expect(lines[1]).toBe('Pod shop/db');
    expect(lines).toContain("  pods that can reach it (both sides' policies applied): 2");
    expect(lines).toContain('    shop/web  TCP 5432 (IPv4 only)');
    expect(lines).toContain('    shop/cache  TCP 5432 (IPv4 only)');
  });

  it('the matrix marks such a cell and words it on the pair line', async () => {
    const ui = await start();
    await press(ui, 'm');
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    const rows = screen(ui).split('\n');
    expect(rows.find((line) => line.startsWith('1 web'))).toMatch(
      /^1 web +self +5432 v4 +6379 +all/,
    );
    expect(screen(ui)).toContain('v4, v6: allowed over that IP family only');
    await press(ui, 'l');
    expect(screen(ui)).toContain('web -> db: TCP 5432 (IPv4 only)  (enter: check)');
  });
});
