import { describe, expect, it } from 'vitest';
import { KEYMAP } from '../../src/ui/keymap.js';
import { helpLines } from '../../src/ui/screen-text.js';

describe('the help screen', () => {
  it.each([80, 100, 120])(
    'every key line fits a terminal %i columns wide, so none is wrapped out of its column',
    (width) => {
      const lines = helpLines(width);
      const keyLines = lines.slice(2, lines.indexOf('', 2));
      expect(keyLines.length).toBeGreaterThan(KEYMAP.length);
      for (const line of keyLines) expect(line.length, line).toBeLessThanOrEqual(width);
    },
  );

  it('a description too wide for its column has "on:" in column on the next line', () => {
    const jump = KEYMAP.find((binding) => binding.label === ':');
    expect(jump?.description.length).toBeGreaterThan(34);
    const lines = helpLines(120);
    const at = lines.findIndex((line) => line.startsWith(`  :        ${jump?.description}`));
    expect(lines[at]?.trimEnd()).toBe(`  :        ${jump?.description}`);
    expect(lines[at + 1]).toMatch(/^ {46}on: every screen but the forms$/);
    const narrow = lines.find((line) => line.startsWith('  c        check traffic from this pod'));
    expect(narrow).toMatch(/^ {2}c {8}check traffic from this pod {8}on: pods, a pod$/);
  });

  it('names where a key works in words, a whole group of screens by the group', () => {
    const lines = helpLines(120);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}esc +back +on: everywhere$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}q +quit +on: every screen but the forms$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}tab +next field +on: the forms$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}PgUp +page up +on: every screen but the templates$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}1-9 +open an object of the finding +on: a finding$/),
    );
    for (const line of lines) expect(line).not.toMatch(/pod-detail|check-result|scaffold-form/);
  });

  it('says where space pages down too, and where it marks a pod instead', () => {
    const lines = helpLines(120);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}PgDn +page down \(space too\) +on: every text screen, the forms, namespaces, policies,/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}space +mark a pod for the matrix +on: pods$/),
    );
  });
});
