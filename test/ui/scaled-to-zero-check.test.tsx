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

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, image: nginx, ports: [{containerPort: 8080}]}]}`;

const INPUT = [
  deployment('web', 2),
  deployment('api', 0),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]`,
].join('\n---\n');

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
