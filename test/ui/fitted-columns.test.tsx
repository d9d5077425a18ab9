import { describe, expect, it } from 'vitest';
import { type Column, fittedColumns } from '../../src/ui/components/ListView.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { ENTER } from '../helpers/keys.js';

const lines = (ui: SizedRender) => plain(ui.lastFrame()).split('\n');

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
      { header: 'REST', width: 0, value: () => '' },
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

  it('on a narrow screen columns given more than their cells need narrow, for the last one', () => {
    const columns: Column<string>[] = [
      { header: 'NAME', width: 12, value: (row) => row },
      { header: 'IP', width: 16, value: () => '10.0.0.1' },
      { header: 'REST', width: 0, value: () => '' },
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
