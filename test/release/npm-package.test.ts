import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_VARIANT_FILES } from '../../src/io/demo/demo-cluster.js';

interface PackedFile {
  readonly path: string;
  readonly mode: number;
}

/** What `npm publish` would publish: `npm pack --dry-run`, without building first. */
function packedFiles(): PackedFile[] {
  if (!existsSync('dist/src/cli.js'))
    throw new Error('dist/src/cli.js is missing: run `npm run build`');
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    encoding: 'utf8',
  });
  expect(pack.status, pack.stderr).toBe(0);
  return (JSON.parse(pack.stdout) as { files: PackedFile[] }[])[0]?.files ?? [];
}

describe('the npm package (npx kubectl-netpol)', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

  it('holds the entry points, the built app, LICENSE and README, and no tests or benches', () => {
    const files = packedFiles();
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'bin/kubectl-netpol',
        'bin/kubectl_complete-netpol',
        'dist/src/cli.js',
        'dist/src/ui/run.js',
        // The version and commit --version prints, baked in by the build: no git at run time.
        'dist/src/build-info.json',
        'LICENSE',
        'README.md',
        'package.json',
      ]),
    );
    expect(paths.filter((p) => /(^|\/)(test|bench)\/|\.test\.|\.map$|^src\//.test(p))).toEqual([]);
    for (const bin of Object.values<string>(pkg.bin)) {
      expect(files.find((f) => f.path === bin)?.mode ?? 0, bin).toSatisfy(
        (mode: number) => (mode & 0o111) !== 0,
      );
    }
  });

  it('ships the demo cluster, its YAML files beside the built module that reads them', () => {
    const paths = packedFiles().map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'dist/src/io/demo/demo-cluster.js',
        ...Object.values(DEMO_VARIANT_FILES)
          .flat()
          .map((file) => `dist/src/io/${new URL(file, 'file:///demo/').pathname.slice(1)}`),
      ]),
    );
  });

  it('names kubectl-netpol as its command and the Node versions it runs on', () => {
    expect(pkg.bin['kubectl-netpol']).toBe('bin/kubectl-netpol');
    expect(pkg.engines.node).toBe('>=22.19');
  });
});
