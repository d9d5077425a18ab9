import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText, jsonTextPieces } from '../../src/render/json-text.js';

/** Values as commands hand them to -o json: JSON, with undefined members, dates and odd text. */
const documentArb = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.string({ unit: 'binary' }),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('jsonTextPieces', () => {
  it('joins to exactly the text of jsonText, at every depth', () => {
    fc.assert(
      fc.property(documentArb, fc.integer({ min: 0, max: 6 }), (data, depth) => {
        fc.pre(data !== undefined);
        expect([...jsonTextPieces(data, 2, depth)].join('')).toBe(jsonText(data, 2));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a large document member by member, never as one string', () => {
    const findings = Array.from({ length: 1000 }, (_, i) => ({ code: 'x', pods: [`ns/p-${i}`] }));
    const pieces = [...jsonTextPieces({ findings }, 2)];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(100);
  });
});
