import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveOf, RELEASE_DIR, readManifest } from './artifacts.js';

/** The code directory of a Mach-O executable's embedded signature, as macOS reads it. */
function codeDirectory(binary: Buffer) {
  let command = 32;
  let signature: { offset: number; size: number } | undefined;
  let linkeditEnd = 0;
  for (let i = 0; i < binary.readUInt32LE(16); i++) {
    const type = binary.readUInt32LE(command);
    if (type === 0x1d) {
      signature = {
        offset: binary.readUInt32LE(command + 8),
        size: binary.readUInt32LE(command + 12),
      };
    }
    if (type === 0x19 && binary.toString('latin1', command + 8, command + 18) === '__LINKEDIT') {
      linkeditEnd = Number(
        binary.readBigUInt64LE(command + 40) + binary.readBigUInt64LE(command + 48),
      );
    }
    command += binary.readUInt32LE(command + 4);
  }
  if (!signature) throw new Error('no LC_CODE_SIGNATURE');
  const blob = binary.subarray(signature.offset, signature.offset + signature.size);
  expect(blob.readUInt32BE(0)).toBe(0xfade0cc0); // embedded signature
  const slots = Array.from({ length: blob.readUInt32BE(8) }, (_, i) => ({
    type: blob.readUInt32BE(12 + i * 8),
    offset: blob.readUInt32BE(16 + i * 8),
  }));
  const directory = blob.subarray(slots.find((slot) => slot.type === 0)?.offset ?? blob.length);
  expect(directory.readUInt32BE(0)).toBe(0xfade0c02); // code directory
  return {
    signature,
    linkeditEnd,
    flags: directory.readUInt32BE(12),
    hashOffset: directory.readUInt32BE(16),
    slots: directory.readUInt32BE(28),
    codeLimit: directory.readUInt32BE(32),
    hashSize: directory.readUInt8(36),
    hashType: directory.readUInt8(37),
    pageSize: 1 << directory.readUInt8(39),
    directory,
  };
}

describe('macOS executables (Apple silicon runs only signed code)', () => {
  const platforms = () =>
    (readManifest(join(RELEASE_DIR, 'krew-manifest.yaml')).spec?.platforms ?? []).filter(
      (p) => p.selector?.matchLabels?.os === 'darwin',
    );

  it.each(['amd64', 'arm64'])('darwin/%s is signed ad hoc, each page hash matching', (arch) => {
    const platform = platforms().find((p) => p.selector?.matchLabels?.arch === arch);
    const binary = execFileSync('tar', ['-xzOf', archiveOf(platform ?? {}), platform?.bin ?? ''], {
      maxBuffer: 512 * 1024 * 1024,
    });
    const cd = codeDirectory(binary);
    expect(cd.flags & 0x2).toBe(0x2); // ad hoc
    expect([cd.hashType, cd.hashSize, cd.pageSize]).toEqual([2, 32, 4096]); // SHA-256, 4 KiB
    expect(cd.codeLimit).toBe(cd.signature.offset);
    expect(cd.linkeditEnd).toBe(cd.signature.offset + cd.signature.size);
    expect(cd.slots).toBe(Math.ceil(cd.codeLimit / cd.pageSize));
    for (let slot = 0; slot < cd.slots; slot++) {
      const page = binary.subarray(
        slot * cd.pageSize,
        Math.min((slot + 1) * cd.pageSize, cd.codeLimit),
      );
      const hash = cd.directory.subarray(cd.hashOffset + slot * 32, cd.hashOffset + slot * 32 + 32);
      if (!createHash('sha256').update(page).digest().equals(hash)) {
        throw new Error(`page ${slot} of darwin/${arch} does not match its hash`);
      }
    }
  });
});
