/**
 * The TUI's traffic check naming a Deployment scaled to zero answers for its pods once it runs,
 * as `check` does, and says that none runs now.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/io/load-input.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { startApp, untilVerdict } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { ENTER, TAB } from '../helpers/keys.js';
import { API_FROM_WEB, shopDeployment } from '../helpers/shop-workloads.js';

const INPUT = [shopDeployment('web', 2), shopDeployment('api', 0), API_FROM_WEB].join('\n---\n');

async function start(): Promise<SizedRender> {
  const load = () => loadManifests(['-'], async () => INPUT);
  const source: SnapshotSource = { initial: await load(), name: 'scaled', reload: load };
  const ui = await startApp({ source, columns: 140, rows: 30, props: { namespace: 'shop' } });
  await untilFrame(ui, (frame) => frame.includes('shop/web') || frame.includes('web'));
  return ui;
}

describe('a check in the TUI naming a Deployment scaled to zero', () => {
  it('answers for its template once it runs, with the note check prints', async () => {
    const ui = await start();
    await press(ui, 'c');
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    await type(ui, 'deploy/api');
    await press(ui, TAB);
    await type(ui, '8080');
    await press(ui, ENTER);
    await untilVerdict(ui);
    const lines = plain(ui.lastFrame()).split('\n');
    expect(lines).toContain(
      'note: Deployment shop/api has replicas: 0, so no pod of it runs now; answered for its pod template: the answer holds once it runs',
    );
    expect(lines.find((line) => /^(ALLOWED|DENIED|UNKNOWN) {2}/.test(line))).toMatch(
      /^ALLOWED {2}shop\/web -> shop\/api {2}TCP 8080/,
    );
  });
});
