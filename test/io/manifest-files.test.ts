import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readManifests } from '../../src/io/manifests/read-paths.js';

// Tests run as root in CI, where chmod cannot make a directory unreadable: a directory named
// "locked" fails to list as it would for another user, by either call a read lists with.
const denied = (path: string) =>
  Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (async (path: string, options: never) => {
    if (basename(path) === 'locked') throw denied(path);
    return fs.readdir(path, options);
  }) as typeof fs.readdir;
  return { ...fs, readdir };
});
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((path: string, options: never) => {
    if (basename(path) === 'locked') throw denied(path);
    return fs.readdirSync(path, options);
  }) as typeof fs.readdirSync;
  return { ...fs, readdirSync };
});

describe('reading a directory with an unreadable subdirectory', () => {
  // A read in one go lists with the synchronous calls, a paced one (the UI's) with promises.
  it.each([
    ['in one go', undefined],
    ['paced', async () => {}],
  ])('names the subdirectory and reads the rest of the tree (%s)', async (_, pace) => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-locked-'));
    mkdirSync(join(dir, 'locked'));
    mkdirSync(join(dir, 'open'));
    writeFileSync(join(dir, 'open', 'pod.yaml'), 'kind: Pod\nmetadata: {name: web}\n');
    const read = await readManifests([dir], async () => '', undefined, undefined, undefined, pace);
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

describe('reading a directory in one go', () => {
  // Each entry's promise went through the thread pool and back: 16 to 27 ms of CPU for 200
  // files, where the synchronous calls take 6 ms. Without a pace, nothing waits on the loop.
  it('lists and reads the tree without a turn of the event loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-at-once-'));
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'team', 'pod.yaml'), 'kind: Pod\nmetadata: {name: web}\n');
    writeFileSync(join(dir, 'ns.yaml'), 'kind: Namespace\nmetadata: {name: team}\n');
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const read = await readManifests([dir], async () => '');
    expect(turned).toBe(false);
    expect(read.files).toEqual([join(dir, 'ns.yaml'), join(dir, 'team', 'pod.yaml')]);
  });
});
