import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readManifests } from '../../src/io/manifests/read-paths.js';

// Tests run as root in CI, where chmod cannot make a directory unreadable: a directory named
// "locked" fails to list as it would for another user.
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (async (path: string, options: never) => {
    if (basename(path) === 'locked') {
      throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), {
        code: 'EACCES',
      });
    }
    return fs.readdir(path, options);
  }) as typeof fs.readdir;
  return { ...fs, readdir };
});

describe('reading a directory with an unreadable subdirectory', () => {
  it('names the subdirectory and reads the rest of the tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-locked-'));
    mkdirSync(join(dir, 'locked'));
    mkdirSync(join(dir, 'open'));
    writeFileSync(join(dir, 'open', 'pod.yaml'), 'kind: Pod\nmetadata: {name: web}\n');
    const read = await readManifests([dir], async () => '');
    expect(read.findings).toEqual([
      {
        severity: 'error',
        code: 'unreadable',
        message: 'cannot read: permission denied',
        location: { file: join(dir, 'locked') },
      },
    ]);
    expect(read.files).toEqual([join(dir, 'open', 'pod.yaml')]);
  });
});
