/**
 * The scaffold wizard from a check that both sides deny: one wizard writes the source's egress
 * and the destination's ingress policy, previews both, saves them in one file, applies both.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScaffoldedPolicy } from '../../src/engine/index.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { BACKSPACE, ENTER, SHIFT_TAB, TAB } from '../helpers/keys.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** A namespace that denies everything both ways. */
const DENY_ALL_BOTH_WAYS = stream(
  namespaceYaml('app'),
  podYaml('app/frontend', { labels: { app: 'frontend' }, ips: ['10.0.0.1'] }),
  podYaml('app/backend', { labels: { app: 'backend' }, ips: ['10.0.0.2'] }),
  policyYaml('app/default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
);

function snapshot(): LoadedInput {
  const parsed = parseManifestText(DENY_ALL_BOTH_WAYS, 'cluster.yaml');
  const { findings, ...normalized } = normalizeObjects(parsed.objects);
  return { ...normalized, findings, description: 'context test' };
}

/** A cluster-like source over the snapshot that records what is created. */
function clusterSource() {
  const created: { policy: ScaffoldedPolicy; dryRun: boolean }[] = [];
  const source: SnapshotSource = {
    initial: snapshot(),
    name: 'context test',
    target: 'context test',
    reload: async () => snapshot(),
    create: async (policy, dryRun) => {
      created.push({ policy, dryRun });
    },
  };
  return { source, created };
}

/** The App on `source` at 120x60. */
const start = (source: SnapshotSource) => startApp({ source, columns: 120, rows: 60 });

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const flash = (ui: SizedRender) => lines(ui).at(-2) ?? '';
const footer = (ui: SizedRender) => lines(ui).at(-1) ?? '';

/** Checks app/frontend -> app/backend on TCP 8080: denied by both sides. */
async function deniedCheck(ui: SizedRender): Promise<void> {
  await press(ui, ':');
  await type(ui, 'po');
  await press(ui, ENTER, 'c', SHIFT_TAB);
  for (let i = 0; i < 80; i++) await press(ui, BACKSPACE);
  await type(ui, 'app/frontend');
  await press(ui, TAB);
  for (let i = 0; i < 80; i++) await press(ui, BACKSPACE);
  await type(ui, 'app/backend');
  await press(ui, TAB);
  await type(ui, '8080');
  await press(ui, ENTER);
  expect(screen(ui)).toContain('DENIED  app/frontend -> app/backend  TCP 8080');
}

describe('the scaffold wizard from a check both sides deny', () => {
  it('fills in the egress fix, carries the ingress fix, previews both: ALLOWED', async () => {
    const ui = await start(clusterSource().source);
    await deniedCheck(ui);
    await press(ui, 's');
    expect(screen(ui)).toContain('allow egress: let selected pods reach peers');
    expect(screen(ui)).toContain(
      'also writes the ingress policy app/allow-backend-ingress-from-frontend-8080 for the other side',
    );
    expect(screen(ui)).toContain('✓ valid');

    await press(ui, ENTER);
    expect(lines(ui)[2]).toBe('ALLOWED with these policies: app/frontend -> app/backend TCP 8080');
    expect(screen(ui)).toContain('app/frontend -> app/backend: nothing => TCP 8080');
    expect(screen(ui)).toContain('name: allow-frontend-egress-to-backend-8080');
    expect(screen(ui)).toContain('name: allow-backend-ingress-from-frontend-8080');
    expect(screen(ui)).not.toContain('run the wizard again');

    const path = join(mkdtempSync(join(tmpdir(), 'netpol-both-')), 'fix.yaml');
    await press(ui, 'w');
    for (let i = 0; i < 80; i++) await press(ui, BACKSPACE);
    await type(ui, path);
    await press(ui, ENTER);
    await untilFrame(ui, () => flash(ui).startsWith('saved'));
    expect(flash(ui)).toBe(`saved ${path}`);
    const documents = readFileSync(path, 'utf8').split(/^---$/m);
    expect(documents).toHaveLength(2);
    expect(documents[0]).toContain('name: allow-frontend-egress-to-backend-8080');
    expect(documents[1]).toContain('name: allow-backend-ingress-from-frontend-8080');
  });

  it('applies both policies after a server dry run of both and a y', async () => {
    const { source, created } = clusterSource();
    const ui = await start(source);
    await deniedCheck(ui);
    await press(ui, 's', ENTER);
    expect(footer(ui)).toContain('a apply');
    await press(ui, 'a');
    await untilFrame(ui, () => footer(ui).startsWith('apply 2 policies'));
    const names = [
      'allow-frontend-egress-to-backend-8080',
      'allow-backend-ingress-from-frontend-8080',
    ];
    expect(created.map((c) => [c.policy.name, c.dryRun])).toEqual(names.map((n) => [n, true]));
    expect(footer(ui)).toMatch(/^apply 2 policies \(2 created\) in context test\? \[y\/N\]/);
    await press(ui, 'y');
    await untilFrame(ui, () => flash(ui).startsWith('applied'));
    expect(created.map((c) => [c.policy.name, c.dryRun])).toEqual([
      ...names.map((n) => [n, true]),
      ...names.map((n) => [n, false]),
    ]);
    expect(flash(ui)).toMatch(
      /^applied networkpolicy app\/allow-frontend-egress-to-backend-8080, networkpolicy app\/allow-backend-ingress-from/,
    );
  });
});
