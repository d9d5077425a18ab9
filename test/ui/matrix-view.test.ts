import { describe, expect, it } from 'vitest';
import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  portSetOf,
  unionPortSets,
} from '../../src/engine/primitives/port-set.js';
import { loadDemo } from '../../src/io/load-input.js';
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
