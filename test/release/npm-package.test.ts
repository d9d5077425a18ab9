import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PackedFile {
  readonly path: string;
  readonly mode: number;
}

/** What `npm publish` would publish: `npm pack --dry-run`, without building first. */
function packedFiles(): PackedFile[] {
  if (!existsSync('dist/kubectl-netpol.mjs'))
    throw new Error('dist/kubectl-netpol.mjs is missing: run `npm run build`');
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    encoding: 'utf8',
  });
  expect(pack.status, pack.stderr).toBe(0);
  return (JSON.parse(pack.stdout) as { files: PackedFile[] }[])[0]?.files ?? [];
}

describe('the npm package (npx kubectl-netpol)', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

  it('holds the entry points, the bundled app and its source map, LICENSE and README', () => {
    const files = packedFiles();
    const paths = files.map((f) => f.path).sort();
    // The bundle holds the demo cluster, the analyst worker's code and the version and commit
    // --version prints (no git at run time): no module of dist/src is needed. The parts it
    // imports only when a command needs them are chunks beside it, each with its source map.
    const chunks = paths.filter((path) => path.startsWith('dist/chunks/'));
    expect(paths.filter((path) => !chunks.includes(path))).toEqual([
      'LICENSE',
      'README.md',
      'bin/kubectl-netpol',
      'bin/kubectl_complete-netpol',
      'dist/kubectl-netpol.mjs',
      'dist/kubectl-netpol.mjs.map',
      'package.json',
    ]);
    const code = chunks.filter((path) => path.endsWith('.mjs'));
    expect(code.length).toBeGreaterThan(0);
    expect(chunks).toEqual(code.flatMap((path) => [path, `${path}.map`]).sort());
    for (const bin of Object.values<string>(pkg.bin)) {
      expect(files.find((f) => f.path === bin)?.mode ?? 0, bin).toSatisfy(
        (mode: number) => (mode & 0o111) !== 0,
      );
    }
  });

  it('installs no other package: the bundle needs nothing from node_modules', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('names kubectl-netpol as its command and the Node versions it runs on', () => {
    expect(pkg.bin['kubectl-netpol']).toBe('bin/kubectl-netpol');
    expect(pkg.engines.node).toBe('>=22.19');
  });
});
