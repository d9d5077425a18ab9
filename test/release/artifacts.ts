import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { parse } from 'yaml';
import type { KrewPlatform, KrewPlugin } from './krew-rules.js';

/** Where `npm run release` leaves its archives and manifest. */
export const RELEASE_DIR = resolve('dist-release');

/** The package's version, as releases spell it: `v0.1.0`. */
export const PACKAGE_VERSION = `v${JSON.parse(readFileSync('package.json', 'utf8')).version}`;

/** Reads a krew manifest; a missing one fails the test and says how to make it. */
export function readManifest(path: string): KrewPlugin {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run release\` (npm test does) first`);
  }
  return parse(readFileSync(path, 'utf8')) as KrewPlugin;
}

/** The local archive a platform entry points at: its URI's file name, in dist-release/. */
export function archiveOf(platform: KrewPlatform): string {
  return join(RELEASE_DIR, basename(platform.uri ?? ''));
}

/** The file names in a zip archive, each entry inflated and checked against its CRC-32. */
function zipEntries(path: string): string[] {
  const zip = readFileSync(path);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${path}: no end of central directory`);
  const names: string[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const stored = zip.subarray(start, start + zip.readUInt32LE(at + 20));
    const data = zip.readUInt16LE(at + 10) === 8 ? inflateRawSync(stored) : stored;
    if (crc32(data) !== zip.readUInt32LE(at + 16)) throw new Error(`${path}: ${name} is corrupt`);
    names.push(name);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

/** The file names in a .tar.gz or .zip archive, read whole (a corrupt archive throws). */
export function archiveEntries(path: string): string[] {
  if (path.endsWith('.zip')) return zipEntries(path);
  const listing = execFileSync('tar', ['-tzf', path], { encoding: 'utf8' });
  return listing.split('\n').filter((name) => name !== '');
}
