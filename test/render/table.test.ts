import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { table } from '../../src/render/table.js';

describe('table', () => {
  it('aligns columns by display width: wide CJK characters and emoji count two cells', () => {
    const lines = table(
      ['POD', 'IP', 'STATE'],
      [
        ['api', '10.0.0.1', 'open'],
        ['中文名字', '10.0.0.2', 'open'],
        ['rocket-🚀', '10.0.0.3', 'isolated (1)'],
      ],
    );
    const ipColumn = (line: string) => stringWidth(line.slice(0, line.indexOf('10.0.0')));
    const stateColumn = (line: string) => stringWidth(line.slice(0, line.search(/open|isolated/)));
    const rows = lines.slice(1);
    expect(new Set(rows.map(ipColumn))).toEqual(new Set([stringWidth('rocket-🚀') + 3]));
    expect(new Set(rows.map(stateColumn)).size).toBe(1);
  });
});
