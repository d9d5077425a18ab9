import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { Terminal } from '../../src/io/terminal.js';
import { colorEnabled, runTui } from '../../src/ui/run.js';
import { runCli } from '../helpers/cli.js';

function terminal(interactive: boolean) {
  const written = { out: '', err: '' };
  const term: Terminal = {
    out: (text) => {
      written.out += text;
    },
    err: (text) => {
      written.err += text;
    },
    readStdin: async () => {
      throw new Error('the UI must not read stdin');
    },
    env: { HOME: '/nonexistent-home' },
    interactive,
  };
  return { term, written };
}

describe('runTui without a terminal', () => {
  it('returns 2 and explains, in one paragraph, which commands to use instead', async () => {
    const { term, written } = terminal(false);
    expect(await runTui({ demo: 'calico' }, term)).toBe(2);
    expect(written.out).toBe('');
    const text = written.err;
    expect(text).toMatch(/^kubectl netpol: the interactive UI needs a terminal/);
    for (const word of ['explain', 'check', 'matrix', '-o json']) expect(text).toContain(word);
    // One paragraph: no blank line inside, ends with a newline.
    expect(text.trim()).not.toMatch(/\n\s*\n/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('is what the bare command does when not run in a terminal', async () => {
    const run = await runCli(['--demo']);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('the interactive UI needs a terminal');
    expect(run.stderr).toContain('-o json');
  });
});

describe('runTui in a terminal', () => {
  it('refuses "-f -": stdin is the keyboard', async () => {
    const { term } = terminal(true);
    await expect(runTui({ filename: ['-'] }, term)).rejects.toThrow(UserError);
    await expect(runTui({ filename: ['a.yaml', '-'] }, term)).rejects.toThrow(/-f - reads stdin/);
  });
});

describe('colorEnabled', () => {
  it('follows NO_COLOR: any non-empty value turns colour off', () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: 'true' })).toBe(false);
  });
});
