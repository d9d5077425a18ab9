import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { type Column, fittedColumns } from '../../src/ui/components/ListView.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { ENTER } from '../helpers/keys.js';

const lines = (ui: SizedRender) => plain(ui.lastFrame()).split('\n');

/** A namespace of a long name whose `pods` pods a default deny isolates both ways. */
function isolatedNamespace(pods: number): SnapshotSource {
  const namespace = 'analytics-internal-prod-2';
  const yaml = [
    `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${namespace}}`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ${namespace}}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}`,
    ...Array.from(
      { length: pods },
      (_, i) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${namespace}}\nspec: {containers: [{name: c, image: c}]}`,
    ),
  ].join('\n---\n');
  const parsed = parseManifestText(yaml, 'large.yaml');
  const { findings, ...normalized } = normalizeObjects(parsed.objects);
  const initial = { ...normalized, findings, description: 'large.yaml' };
  return { initial, name: 'large.yaml', reload: async () => initial };
}

/** Shows the pods of ingress-nginx, whose controller pods have 41-character names. */
async function ingressPods(columns: number): Promise<string[]> {
  const ui = await startApp({ columns, rows: 30 });
  await press(ui, ':');
  await type(ui, 'pods ingress-nginx');
  await press(ui, ENTER);
  await untilFrame(ui, (frame) => frame.includes('Pods in ingress-nginx'));
  return lines(ui);
}

describe('list columns on a wide terminal', () => {
  it('a pod name that fits the screen is shown whole, where 80 columns cut it', async () => {
    const wide = await ingressPods(140);
    expect(wide.join('\n')).toContain('ingress-nginx-controller-6f79748cff-k8z2w ');
    // The labels still have their column after it.
    const row = wide.find((line) => line.includes('k8z2w')) ?? '';
    expect(row).toMatch(/k8z2w +10\.\S+ +\S+ +\S+ .*app\.kubernetes\.io\/name=ingress-nginx/);
    for (const line of wide) expect(line.length).toBeLessThanOrEqual(140);
    const narrow = await ingressPods(80);
    expect(narrow.join('\n')).not.toContain('k8z2w');
    expect(narrow.join('\n')).toContain('ingress-nginx-controller-6f7…');
  });

  it('columns grow in order to their longest cell, the last keeping its share', () => {
    const columns: Column<string>[] = [
      { header: 'A', width: 4, value: (row) => row },
      { header: 'B', width: 4, value: (row) => row.toUpperCase() },
      { header: 'REST', width: 0, value: () => 'labels '.repeat(5) },
    ];
    const rows = ['abcdefghij', 'xy'];
    const widths = (width: number) => fittedColumns(columns, rows, width).map((c) => c.width);
    // 2 (gutter) + 8 given + 24 kept for the last: nothing to spare at 34.
    expect(widths(34)).toEqual([4, 4, 0]);
    // Spare 6: the first column takes them all, toward its 11.
    expect(widths(40)).toEqual([10, 4, 0]);
    // Room for both: each stops at its longest cell and a blank.
    expect(widths(200)).toEqual([11, 11, 0]);
  });

  it('a last column of short cells keeps only what they need: the others grow into the rest', () => {
    const columns: Column<string>[] = [
      { header: 'NAMESPACE', width: 4, value: (row) => row },
      { header: 'FINDINGS', width: 0, value: () => '1 warn' },
    ];
    const widths = (width: number) =>
      fittedColumns(columns, ['analytics-internal-prod-2'], width).map((c) => c.width);
    // 2 + 4 given + 9 for FINDINGS (its header and a blank): at 41, 26 to spare, 22 taken.
    expect(widths(41)).toEqual([26, 0]);
    // At 30, 15 to spare, all taken (24 kept for FINDINGS would have left 0).
    expect(widths(30)).toEqual([19, 0]);
  });

  it('at 100 columns the namespaces of a large cluster show their isolation whole', async () => {
    const ui = await startApp({ columns: 100, rows: 30, source: isolatedNamespace(120) });
    const row = lines(ui).find((line) => line.includes('analytics-internal-prod-2')) ?? '';
    expect(row).toMatch(/in \d+\/\d+ +eg \d+\/\d+/);
    expect(row).not.toContain('…');
  });

  it('on a narrow screen columns given more than their cells need narrow, for the last one', () => {
    const columns: Column<string>[] = [
      { header: 'NAME', width: 12, value: (row) => row },
      { header: 'IP', width: 16, value: () => '10.0.0.1' },
      { header: 'REST', width: 0, value: () => 'labels '.repeat(5) },
    ];
    const widths = (width: number) =>
      fittedColumns(columns, ['abcdefghij', 'xy'], width).map((c) => c.width);
    // 2 + 28 given + 24 kept: 54 fits as given.
    expect(widths(54)).toEqual([12, 16, 0]);
    // One short: NAME gives its spare column first.
    expect(widths(53)).toEqual([11, 16, 0]);
    // Far too narrow: each narrows to its longest cell and a blank, no further.
    expect(widths(30)).toEqual([11, 9, 0]);
  });

  it('at 80 columns the pods of a namespace show their labels', async () => {
    const narrow = await ingressPods(80);
    const row = narrow.find((line) => line.includes('ingress-nginx-controller-6f7…')) ?? '';
    // Before, the columns kept their given widths and left the labels 3 columns ("app").
    expect(narrow[2]).toMatch(/ LABELS$/);
    // The labels run on past the line: they end with …, not cut to look whole.
    expect(row).toMatch(/ ! app\.kubernetes\.…$/);
  });
});
