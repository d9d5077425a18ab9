import { describe, expect, it } from 'vitest';
import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  portSetOf,
  unionPortSets,
} from '../../src/engine/primitives/port-set.js';
import { loadDemo, loadManifests } from '../../src/io/load-input.js';
import { type MatrixView, matrixCell, matrixLines, matrixView } from '../../src/ui/matrix-view.js';
import { analyseSnapshot } from '../../src/ui/snapshot-analysis.js';

const tcp = (port: number) => portSetOf('TCP', port, port);

describe('matrixCell', () => {
  it('names the allowed ports compactly, and the first one for the check', () => {
    expect(matrixCell(FULL_PORT_SET, EMPTY_PORT_SET)).toEqual({ text: 'all' });
    expect(matrixCell(tcp(8080), EMPTY_PORT_SET)).toEqual({
      text: '8080',
      port: { protocol: 'TCP', port: 8080 },
    });
    expect(matrixCell(unionPortSets([tcp(443), tcp(80)]), EMPTY_PORT_SET).text).toBe('80,443');
    expect(matrixCell(portSetOf('TCP', 8000, 8080), EMPTY_PORT_SET).text).toBe('8000-8080');
    expect(matrixCell(portSetOf('UDP', 53, 53), EMPTY_PORT_SET)).toEqual({
      text: '53/UDP',
      port: { protocol: 'UDP', port: 53 },
    });
  });

  it('shows "-" for nothing and "?" for ports whose answer is UNKNOWN', () => {
    expect(matrixCell(EMPTY_PORT_SET, EMPTY_PORT_SET)).toEqual({ text: '-' });
    expect(matrixCell(EMPTY_PORT_SET, tcp(5432))).toEqual({
      text: '?',
      port: { protocol: 'TCP', port: 5432 },
    });
    expect(matrixCell(tcp(80), tcp(5432))).toEqual({
      text: '80+?',
      port: { protocol: 'TCP', port: 80 },
    });
    expect(matrixCell(EMPTY_PORT_SET, FULL_PORT_SET)).toEqual({ text: '?' });
  });
});

describe('matrixView', () => {
  it('folds the pods of a workload into one row and column; a lone pod reaches itself', () => {
    const { analysis } = analyseSnapshot(loadDemo(), {});
    const view = matrixView(analysis, 'production');
    // Six pods: two of deploy/frontend, two of deploy/api, postgres-0 and a job's pod.
    expect(view.targets).toEqual([
      'deploy/frontend',
      'deploy/api',
      'sts/postgres',
      'job/batch-export-28471920',
    ]);
    expect(view.cells.map((cells) => cells.map((cell) => cell.text))).toEqual([
      ['-', '8080', '-', '-'],
      ['-', '-', '5432', '-'],
      ['-', '-', 'self', '-'],
      ['-', '-', '-', 'self'],
    ]);
  });
});

describe('matrixView of a selection', () => {
  const { analysis } = analyseSnapshot(loadDemo(), {});

  it('names each node with its namespace; a node of one marked pod checks that pod', () => {
    const view = matrixView(analysis, {
      kind: 'pods',
      pods: ['staging/api-6d5c8b7f9-fz2rq', 'production/api-7d9f8b6c5-x2k4p', 'gone/pod'],
    });
    expect(view.subject).toBe('3 marked pods');
    expect(view.names).toEqual(['production/deploy/api', 'staging/deploy/api']);
    expect(view.targets).toEqual(['production/api-7d9f8b6c5-x2k4p', 'staging/api-6d5c8b7f9-fz2rq']);
  });

  it('folds the workloads of several namespaces, checked as NAMESPACE/KIND/NAME', () => {
    const view = matrixView(analysis, {
      kind: 'namespaces',
      namespaces: ['production', 'staging'],
    });
    expect(view.subject).toBe('namespaces production, staging');
    expect(view.targets).toContain('production/deploy/frontend');
    expect(view.targets).toContain('staging/deploy/api');
    expect(view.targets).toContain('production/postgres-0');
  });
});

describe('matrixLines', () => {
  const many: MatrixView = {
    subject: 'namespace wide',
    targets: [...Array(12).keys()].map((i) => `app-${i + 1}`),
    names: [...Array(12).keys()].map((i) => `app-${i + 1}`),
    cells: [...Array(12).keys()].map((row) =>
      [...Array(12).keys()].map((column) => ({ text: row === column ? 'all' : '-' })),
    ),
  };
  const text = (lines: ReturnType<typeof matrixLines>) =>
    lines.map((segments) => segments.map((segment) => segment.text).join(''));

  it('names the columns when the names fit, and scrolls them to keep the cursor in 80 columns', () => {
    const first = text(matrixLines(many, { row: 0, column: 0 }, 80, 20));
    expect(first[0]).toMatch(/^FROM \\ TO +app-1 +app-2 /);
    expect(first.every((line) => line.length <= 80)).toBe(true);
    expect(first).toContain('columns 1-7 of 12 (←/→)');
    const last = text(matrixLines(many, { row: 11, column: 11 }, 80, 20));
    expect(last[0]).toMatch(/app-12 *$/);
    expect(last).toContain('columns 6-12 of 12 (←/→)');
    expect(last.find((line) => line.startsWith('12 app-12'))).toMatch(/all +$/);
  });

  it('marks the cell under the cursor', () => {
    const lines = matrixLines(many, { row: 2, column: 3 }, 80, 20);
    const selected = lines.flatMap((segments, line) =>
      segments.filter((segment) => segment.selected).map((segment) => ({ line, ...segment })),
    );
    expect(selected).toEqual([{ line: 3, text: '-       ', selected: true }]);
  });
});

describe('matrixView of dual-stack pods', () => {
  it('marks the ports one IP family only allows, and words them for the pair line', async () => {
    const loaded = await loadManifests(['test/fixtures/manifests/dual-stack'], async () => '');
    const { analysis } = analyseSnapshot(loaded, {});
    const view = matrixView(analysis, 'shop');
    expect(view.targets).toEqual(['web', 'db', 'cache', 'legacy']);
    // web and cache reach db over IPv4 only (its block holds the IPv4 pod range alone).
    expect(view.cells[0]?.[1]).toEqual({
      text: '5432 v4',
      port: { protocol: 'TCP', port: 5432 },
      detail: 'TCP 5432 (IPv4 only)',
    });
    expect(view.cells[2]?.[1]?.text).toBe('5432 v4');
    // Both families reach cache alike; legacy (IPv4 only, excepted) nothing reaches db from.
    expect(view.cells[0]?.[2]).toEqual({ text: '6379', port: { protocol: 'TCP', port: 6379 } });
    expect(view.cells[3]?.[1]).toEqual({ text: '-' });
    const lines = matrixLines(view, { row: 0, column: 1 }, 80, 20).map((line) =>
      line.map((segment) => segment.text).join(''),
    );
    expect(lines).toContain('v4, v6: allowed over that IP family only');
    expect(lines.at(-1)).toBe('web -> db: TCP 5432 (IPv4 only)  (enter: check)');
  });
});
