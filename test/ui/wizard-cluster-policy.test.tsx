/**
 * The wizard's cluster policy templates: a Baseline default-deny and an Admin deny for a
 * namespace, through the same form, preview (effect and YAML), save and apply as NetworkPolicies.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScaffoldedPolicy } from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { App } from '../../src/ui/components/App.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { plain, press, renderSized, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { BACKSPACE, DOWN, ENTER, TAB } from '../helpers/keys.js';

const noon = () => new Date(2024, 0, 1, 12, 0, 0);

/** A cluster-like source over the demo that records what is created. */
function clusterSource() {
  const created: { policy: ScaffoldedPolicy; dryRun: boolean }[] = [];
  const source: SnapshotSource = {
    initial: loadDemo(),
    name: 'context test',
    target: 'context test',
    reload: async () => loadDemo(),
    create: async (policy, dryRun) => {
      created.push({ policy, dryRun });
    },
  };
  return { source, created };
}

const mounted: SizedRender[] = [];
afterEach(() => {
  for (const ui of mounted.splice(0)) ui.unmount();
});

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const title = (ui: SizedRender) => lines(ui)[1] ?? '';
const flash = (ui: SizedRender) => lines(ui).at(-2) ?? '';
const footer = (ui: SizedRender) => lines(ui).at(-1) ?? '';
const row = (ui: SizedRender, label: string) =>
  lines(ui).find((line) => line.slice(2).startsWith(label)) ?? '';

/** Opens the wizard on a namespace and picks the template whose label starts with `label`. */
async function pick(namespace: string, label: string, source?: SnapshotSource) {
  const ui = renderSized(
    <App
      source={
        source ?? { initial: loadDemo(), name: 'demo cluster', reload: async () => loadDemo() }
      }
      color={false}
      clock={noon}
    />,
    { columns: 120, rows: 50 },
  );
  mounted.push(ui);
  await untilFrame(ui, (frame) => frame.includes('Namespaces'));
  await press(ui, '/');
  await type(ui, namespace);
  await press(ui, ENTER, 'j', 's'); // past "(all namespaces)"
  await untilFrame(ui, (frame) => frame.includes('Which policy?'));
  expect(screen(ui)).toContain(label);
  const at = lines(ui).findIndex((line) => line.includes(label));
  const first = lines(ui).findIndex((line) => line.includes('default-deny: deny all'));
  for (let i = 0; i < at - first; i++) await press(ui, DOWN);
  await press(ui, ENTER);
  await untilFrame(ui, (frame) => frame.includes('fill in'));
  return ui;
}

describe('the wizard, scaffolding a cluster policy', () => {
  it('previews a Baseline default-deny with its effect, and saves it', async () => {
    const ui = await pick('legacy', 'Baseline default-deny (cluster policy)');
    expect(title(ui)).toBe('Scaffold a ClusterNetworkPolicy: fill in (→ completes)');
    expect(row(ui, 'namespace')).toContain(': legacy█  3 pods');
    expect(row(ui, 'priority')).toContain('1000, after other Baseline policies');
    expect(screen(ui)).toContain('✓ valid');

    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Scaffold preview'));
    expect(screen(ui)).toMatch(/blocks \d+ flows/);
    expect(screen(ui)).not.toContain('blocks DNS'); // keep DNS working is on by default
    expect(screen(ui)).toContain('kind: ClusterNetworkPolicy');
    expect(screen(ui)).toContain('tier: Baseline');

    const path = join(mkdtempSync(join(tmpdir(), 'netpol-wizard-cnp-')), 'baseline.yaml');
    await press(ui, 'w');
    for (let i = 0; i < 80; i++) await press(ui, BACKSPACE);
    await type(ui, path);
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes(`saved ${path}`));
    expect(flash(ui)).toBe(`saved ${path}`);
    expect(readFileSync(path, 'utf8')).toContain('name: baseline-deny-legacy\n');
  });

  it('applies an Admin deny from one namespace after a server dry run and a y', async () => {
    const { source, created } = clusterSource();
    const ui = await pick('production', 'Admin deny (cluster policy)', source);
    await press(ui, TAB, TAB); // past the direction, to the namespaces denied
    expect(row(ui, 'from namespaces')).toMatch(/^› /);
    await type(ui, 'ingress-nginx');
    expect(row(ui, 'from namespaces')).toContain('matches 1 namespace');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Scaffold preview'));
    // Of the six flows into production an Admin deny of every other namespace blocks, only the
    // ingress controller's four.
    expect(screen(ui)).toContain('blocks 4 flows');
    const blocked = lines(ui).filter((line) => line.includes('=> nothing'));
    expect(blocked.length).toBe(4);
    expect(blocked.every((line) => line.trim().startsWith('ingress-nginx/'))).toBe(true);
    expect(screen(ui)).toContain('tier: Admin');

    await press(ui, 'a');
    await untilFrame(ui, (frame) => frame.includes('[y/N]'));
    expect(footer(ui)).toBe(
      'apply clusternetworkpolicy admin-deny-production-ingress (created) in context test? [y/N]',
    );
    await press(ui, 'y');
    await untilFrame(ui, (frame) => frame.includes('applied clusternetworkpolicy'));
    expect(created.map((c) => [c.policy.name, c.dryRun])).toEqual([
      ['admin-deny-production-ingress', true],
      ['admin-deny-production-ingress', false],
    ]);
    expect(created[0]?.policy).toMatchObject({ tier: 'Admin', kind: 'ClusterNetworkPolicy' });
  });
});
