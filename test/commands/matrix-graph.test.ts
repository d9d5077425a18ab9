import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const SHOP = 'test/fixtures/manifests/shop';

/** A temporary directory holding the given files; `dot` is made executable. */
function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-graph-'));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    if (name === 'dot') chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/** A pod whose name holds what would break a graph: quotes, brackets, pipes, markup, controls. */
const HOSTILE_NAME = 'x"]; n9 [label="evil"] {a|b} <i>#;`\u001b\u0007';

describe('matrix graphs with untrusted names', () => {
  const manifest = join(
    tempDir({
      'pods.yaml': stream(
        namespaceYaml('a'),
        podYaml('a/web', { ips: ['10.0.0.1'] }),
        podYaml('a/other', { ips: ['10.0.0.2'] }),
      ).replace('name: other', `name: ${JSON.stringify(HOSTILE_NAME)}`),
    }),
    'pods.yaml',
  );

  it('quotes DOT labels so that a name cannot end its string or add a statement', async () => {
    const run = await runCli(['matrix', '-f', manifest, '-o', 'dot']);
    expect(run.exitCode).toBe(0);
    const quoted = '"(?:[^"\\\\\\n]|\\\\.)*"';
    const lines = run.stdout.trimEnd().split('\n');
    const shapes = [
      /^\/\/ .*$/,
      /^digraph connectivity \{$/,
      /^ {2}rankdir=LR;$/,
      /^ {2}node \[shape=box\];$/,
      /^ {2}subgraph cluster_\d+ \{$/,
      new RegExp(`^ {4}label=${quoted};$`),
      new RegExp(`^ {4}n\\d+ \\[label=${quoted}\\];$`),
      /^ {2}\}$/,
      new RegExp(`^ {2}n\\d+ -> n\\d+ \\[label=${quoted}(, style=dashed)?\\];$`),
      /^\}$/,
    ];
    for (const line of lines)
      expect(
        shapes.some((shape) => shape.test(line)),
        line,
      ).toBe(true);
    expect(run.stdout).toContain('\\\\x1b\\\\x07');
    const controls = [...run.stdout].filter((char) => char !== '\n' && /\p{Cc}/u.test(char));
    expect(controls).toEqual([]);
  });

  it('writes Mermaid labels with entity codes, so no syntax survives inside them', async () => {
    const run = await runCli(['matrix', '-f', manifest, '-o', 'mermaid']);
    expect(run.exitCode).toBe(0);
    const label = '"[^"<>|;{}`]*"';
    const shapes = [
      /^%% .*$/,
      /^flowchart LR$/,
      new RegExp(`^ {2}subgraph ns\\d+\\[${label}\\]$`),
      new RegExp(`^ {4}n\\d+\\[${label}\\]$`),
      /^ {2}end$/,
      new RegExp(`^ {2}n\\d+ (-->|-\\.->)\\|${label}\\| n\\d+$`),
    ];
    // Entity codes (`#quot;`) are the one place a `;` or `#` may appear inside a label.
    for (const line of run.stdout.trimEnd().split('\n')) {
      const plain = line.replace(/#(?:[a-z]+|\d+);/g, '');
      expect(
        shapes.some((shape) => shape.test(plain)),
        line,
      ).toBe(true);
    }
    expect(run.stdout).toContain(
      'x#quot;]#59; n9 [label=#quot;evil#quot;] #123;a#124;b#125; #lt;i#gt;#35;#59;#96;',
    );
  });
});

describe('matrix -o svg', () => {
  const home = '/nonexistent-home';

  it('pipes the DOT graph through Graphviz dot found on PATH', async () => {
    const fake = tempDir({
      dot: '#!/bin/sh\necho "<svg args=\\"$*\\">"\n/bin/cat\necho "</svg>"\n',
    });
    const run = await runCli(['matrix', '-f', SHOP, '-o', 'svg', '--assume-enforced'], '', {
      HOME: home,
      PATH: fake,
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^<svg args="-Tsvg">\n\/\/ edges: .*\ndigraph connectivity \{\n/);
    expect(run.stdout).toContain('  n0 -> n2 [label="TCP 8080"];\n');
    expect(run.stdout.endsWith('}\n</svg>\n')).toBe(true);
  });

  it('says in one line that Graphviz is needed when dot is not on PATH', async () => {
    const empty = tempDir({});
    const run = await runCli(['matrix', '-f', SHOP, '-o', 'svg', '--assume-enforced'], '', {
      HOME: home,
      PATH: empty,
    });
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'error: -o svg needs Graphviz: no `dot` on PATH (install graphviz, or use -o dot and render it elsewhere)\n',
    });
  });

  it('reports the first line of what a failing dot says', async () => {
    const failing = tempDir({
      dot: '#!/bin/sh\necho "Error: <stdin>: syntax error in line 1" >&2\nexit 1\n',
    });
    const run = await runCli(['matrix', '-f', SHOP, '-o', 'svg', '--assume-enforced'], '', {
      HOME: home,
      PATH: failing,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('error: -o svg: dot failed: Error: <stdin>: syntax error in line 1\n');
  });

  it('is refused by commands that draw no graph', async () => {
    const run = await runCli(['check', '-f', SHOP, 'shop/web-1', 'shop/api-1', '-o', 'dot']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('allowed formats are: text,json,yaml,jsonpath,jsonpath-file');
  });
});
