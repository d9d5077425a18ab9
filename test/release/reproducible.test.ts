import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELEASE_DIR } from './artifacts.js';

// The release step run again in two copies of the checkout, at other paths than this one and
// than each other, with no git: the bundle and an archive must be the bytes `npm run release`
// built here. One target (the host's) keeps it to a minute or two; every target takes the same
// steps (bundle, single executable, archive), so one proves the path and the clock stay out.
const TARGET = 'linux_amd64';
const SOURCES = resolve('.');

/** The checkout's files (tracked, and new ones not ignored) copied to `to`, minus .git. */
function copyCheckout(to: string): void {
  const listing = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { encoding: 'utf8' },
  );
  for (const file of listing.split('\0')) {
    if (file === '' || !existsSync(file)) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(file, join(to, file));
  }
  symlinkSync(realpathSync('node_modules'), join(to, 'node_modules'));
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** `SHA256SUMS` of a release folder, as file name → sha256. */
function sums(releaseDir: string): Record<string, string> {
  const lines = readFileSync(join(releaseDir, 'SHA256SUMS'), 'utf8').trim().split('\n');
  return Object.fromEntries(lines.map((line) => line.split(/ {2}/).reverse()));
}

describe(`the release build is the same bytes from another path (${TARGET})`, () => {
  const copies: string[] = [];
  let work = '';

  beforeAll(async () => {
    if (!existsSync(join(RELEASE_DIR, 'SHA256SUMS'))) {
      throw new Error(`${RELEASE_DIR} is missing: run \`npm run release\` (npm test does) first`);
    }
    work = mkdtempSync(join(tmpdir(), 'netpol-reproducible-'));
    copies.push(join(work, 'a'), join(work, 'another', 'deeper', 'checkout'));
    for (const copy of copies) {
      copyCheckout(copy);
      await promisify(execFile)(process.execPath, ['scripts/release/main.ts', '--target', TARGET], {
        cwd: copy,
      });
    }
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the bundle is byte-identical, and names no path of the build', () => {
    const bundle = (dir: string) => join(dir, 'build', 'kubectl-netpol.mjs');
    const built = sha256(bundle(RELEASE_DIR));
    for (const copy of copies) expect(sha256(bundle(join(copy, 'dist-release')))).toBe(built);
    const text = readFileSync(bundle(RELEASE_DIR), 'utf8');
    expect(text).not.toContain(SOURCES);
    expect(text).not.toContain(realpathSync('node_modules'));
  });

  it('the archive is byte-identical: its sha256 is the one the manifest got', () => {
    const built = Object.entries(sums(RELEASE_DIR)).filter(([name]) => name.includes(TARGET));
    expect(built).toHaveLength(1);
    for (const copy of copies) {
      expect(Object.entries(sums(join(copy, 'dist-release')))).toEqual(built);
    }
  });
});
