import { describe, expect, it } from 'vitest';
import { requirementText, selectorText } from '../../src/render/selectors.js';

/** A value of 40 characters: well under the length terminalText cuts at. */
const LONG = 'x'.repeat(40);

describe('selector text', () => {
  it('shows every value of an In list whole, not only the first', () => {
    const text = requirementText({ key: 'tier', operator: 'In', values: ['a', LONG, `${LONG}y`] });
    expect(text).toBe(`tier in (a,${LONG},${LONG}y)`);
  });

  it('shows NotIn values whole inside a whole selector, still escaped', () => {
    const text = selectorText({
      matchLabels: {},
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev', `${LONG}\u001b[2J`] }],
    });
    expect(text).toBe(`env notin (dev,${LONG}\\x1b[2J)`);
  });
});
