import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import {
  shellWords,
  wrapCommand,
  wrapDetailLines,
  wrapText,
  wrapWords,
} from '../../src/render/wrap.js';

/** The command the shell reads from wrapped lines: each ` \` and newline joins two lines. */
const pasted = (lines: readonly string[]) =>
  lines.map((line) => line.replace(/ \\$/, '').trim()).join(' ');

describe('wrapText', () => {
  it('breaks at spaces, every word whole, no line wider than the width', () => {
    const text = 'the policy selects ns=namespace-with-a-long-name and app=frontend pods only';
    const lines = wrapText(text, 32);
    expect(lines).toEqual([
      'the policy selects',
      '  ns=namespace-with-a-long-name',
      '  and app=frontend pods only',
    ]);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(32);
  });

  it('a line exactly the width stays one line; one column more wraps', () => {
    expect(wrapText('abcd efgh', 9)).toEqual(['abcd efgh']);
    expect(wrapText('abcd efghi', 9)).toEqual(['abcd', '  efghi']);
  });

  it('breaks a list without spaces after its commas', () => {
    expect(wrapText('  labels: app=web,tier=frontend,app.kubernetes.io/name=web', 30)).toEqual([
      '  labels: app=web,',
      '    tier=frontend,',
      '    app.kubernetes.io/name=web',
    ]);
  });

  it('keeps the indentation, and runs of spaces inside a line', () => {
    expect(wrapText('    fix:  one two three', 14)).toEqual([
      '    fix:  one',
      '      two',
      '      three',
    ]);
  });

  it('counts wide characters as two columns and never splits one', () => {
    const lines = wrapText('名前空間 中文名字中文名字 🚀🚀🚀', 10);
    expect(lines).toEqual(['名前空間', '  中文名字', '  中文名字', '  🚀🚀🚀']);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(10);
  });

  it('breaks a word longer than the width instead of dropping any of it', () => {
    const word = 'a'.repeat(25);
    const lines = wrapText(`x ${word}`, 10);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(10);
    expect(lines.join('').replaceAll(' ', '')).toBe(`x${word}`);
  });

  it("continues a broken word on the lines' hanging indentation, not the first line's", () => {
    const lines = wrapText(
      '    kube-system/calico-kube-controllers-7d8b9c6f5-wqn2h -> legacy/mysql-0',
      30,
    );
    expect(lines).toEqual([
      '    kube-system/calico-kube-co',
      '      ntrollers-7d8b9c6f5-wqn2',
      '      h -> legacy/mysql-0',
    ]);
  });

  it('breaks a long run of wide characters on character boundaries', () => {
    const lines = wrapWords(['中文中文中文中文'], 5);
    expect(lines).toEqual(['中文', '中文', '中文', '中文']);
  });
});

describe('wrapWords', () => {
  it('puts the separator between words on a line only', () => {
    expect(wrapWords(['1 api', '2 web', '3 db'], 12, '  ')).toEqual(['1 api  2 web', '3 db']);
  });
});

describe('shellWords', () => {
  it('splits at blanks outside quotes and keeps the quoting', () => {
    expect(shellWords(`kubectl label pod 'a b' -n "x y" it\\'s 'it'\\''s'`)).toEqual([
      'kubectl',
      'label',
      'pod',
      "'a b'",
      '-n',
      '"x y"',
      "it\\'s",
      `'it'\\''s'`,
    ]);
  });
});

describe('wrapCommand', () => {
  const command =
    "  kubectl netpol scaffold allow --namespace production --pod-selector app=api --from-pod-selector 'app in (frontend, web)' --port 8080 --demo";

  it('breaks between arguments with ` \\`, so the lines paste as the same command', () => {
    const lines = wrapCommand(command, 50);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(50);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/ \\$/);
    expect(lines.at(-1)).not.toMatch(/\\$/);
    expect(pasted(lines)).toBe(command.trim());
    // A quoted argument with spaces stays on one line.
    expect(lines.some((line) => line.includes("'app in (frontend, web)'"))).toBe(true);
  });

  it('an argument wider than the width keeps a line of its own, unbroken', () => {
    const long = `app=${'x'.repeat(40)}`;
    const lines = wrapCommand(`kubectl label pod web ${long}`, 30);
    expect(lines).toContain(`    ${long}`);
    expect(pasted(lines)).toBe(`kubectl label pod web ${long}`);
  });
});

describe('wrapDetailLines', () => {
  it('keeps lines that fit, wraps text at words and commands at arguments', () => {
    const lines = wrapDetailLines(
      ['short', `fix: ${'word '.repeat(10).trim()}`, `  kubectl ${'arg '.repeat(10).trim()}`],
      24,
    );
    expect(lines[0]).toBe('short');
    expect(lines.filter((line) => line.endsWith(' \\')).length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.startsWith('fix:'))).toHaveLength(1);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(24);
  });
});
