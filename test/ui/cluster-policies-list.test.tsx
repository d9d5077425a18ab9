import { describe, expect, it } from 'vitest';
import { loadDemo, loadManifests } from '../../src/io/load-input.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { ENTER, ESC } from '../helpers/keys.js';

/** The App on `initial` (the demo unless given) at 140x30, in `namespace` when given. */
const start = (initial = loadDemo(), namespace?: string) =>
  startApp({
    source: { initial, name: 'demo cluster', reload: async () => initial },
    columns: 140,
    rows: 30,
    props: { namespace },
  });

const lines = (ui: SizedRender) => plain(ui.lastFrame()).split('\n');
const title = (ui: SizedRender) => lines(ui)[1] ?? '';

/** The cells of a row of the list: six one-word columns, then the subject. */
function cells(line: string | undefined): string[] {
  const words = (line ?? '').replace(/^▶/, '').trim().split(/\s+/);
  return [...words.slice(0, 6), words.slice(6).join(' ')];
}

async function jumpToClusterPolicies(ui: SizedRender) {
  await press(ui, ':');
  await type(ui, 'cnp');
  await press(ui, ENTER);
}

describe('the cluster network policies list (:cnp)', () => {
  it('lists the demo cluster policies in evaluation order with tier, priority, subject and rule counts', async () => {
    const ui = await start();
    await jumpToClusterPolicies(ui);
    expect(title(ui)).toBe(
      'Cluster network policies (2): Admin tier, NetworkPolicies, Baseline tier',
    );
    const shown = lines(ui);
    const header = shown.findIndex((line) => line.trim().startsWith('TIER'));
    expect(cells(shown[header])).toEqual([
      'TIER',
      'PRIORITY',
      'POLICY',
      'PODS',
      'INGRESS',
      'EGRESS',
      'SUBJECT',
    ]);
    // kube-system has 6 pods, 3 of them on the host network (never governed); legacy has 3.
    expect(cells(shown[header + 1])).toEqual([
      'Admin',
      '10',
      'cnp/protect-kube-system',
      '3',
      '2',
      '0',
      'namespaces kubernetes.io/metadata.name=kube-system',
    ]);
    expect(cells(shown[header + 2])).toEqual([
      'Baseline',
      '100',
      'cnp/legacy-default-deny',
      '3',
      '1',
      '0',
      'namespaces kubernetes.io/metadata.name=legacy',
    ]);
  });

  it('is not narrowed by the namespace in view, and filters by name', async () => {
    const ui = await start(loadDemo(), 'production');
    await jumpToClusterPolicies(ui);
    expect(title(ui)).toMatch(/^Cluster network policies \(2\)/);
    await press(ui, '/');
    await type(ui, 'legacy');
    await press(ui, ENTER);
    expect(title(ui)).toMatch(/^Cluster network policies \(1\).*filter: legacy$/);
  });

  it('opens the view of the policy under the cursor, "y" its YAML, and esc comes back', async () => {
    const ui = await start();
    await jumpToClusterPolicies(ui);
    await press(ui, 'j', ENTER);
    expect(title(ui)).toBe('Cluster policy cnp/legacy-default-deny');
    await untilFrame(ui, (frame) => frame.includes('blocks 66 flows'));
    expect(lines(ui)).toContain(
      'governs 3 pods: legacy/inventory-5b7f9c8d4-t2wnq, legacy/mysql-0, legacy/busybox',
    );
    expect(lines(ui)).toContain(
      'ingress rule 1 (deny-all-ingress): Deny all pods in all namespaces, all ports',
    );
    // Each rule lists the flows it decides, and the pods whose traffic to themselves it does.
    expect(lines(ui)).toContain('  denies 84 flows:');
    expect(lines(ui).some((line) => line.startsWith("  denies a pod's traffic to itself"))).toBe(
      true,
    );
    await press(ui, 'y');
    expect(title(ui)).toBe('YAML: ClusterNetworkPolicy legacy-default-deny');
    expect(lines(ui).some((line) => line.includes('tier: Baseline'))).toBe(true);
    await press(ui, ESC, ESC);
    expect(title(ui)).toMatch(/^Cluster network policies/);
  });

  it('says so when a cluster has none', async () => {
    const initial = await loadManifests(['test/fixtures/manifests/shop'], async () => '');
    const ui = await start(initial);
    await jumpToClusterPolicies(ui);
    expect(title(ui)).toMatch(/^Cluster network policies \(0\)/);
    expect(lines(ui).some((line) => line.includes('no cluster network policies match'))).toBe(true);
  });
});
