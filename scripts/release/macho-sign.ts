import { createHash } from 'node:crypto';

// Mach-O and code signing constants (<mach-o/loader.h>, <Kernel/kern/cs_blobs.h>).
const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000;
const CS_HASHTYPE_SHA256 = 2;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const PAGE_BITS = 12; // signatures hash 4 KiB pages on every architecture
const CODE_DIRECTORY_SIZE = 88; // version 0x20400, with the executable segment fields
const SUPER_BLOB_SIZE = 20; // header and one index entry

const align = (value: number, to: number) => Math.ceil(value / to) * to;

interface Segment {
  readonly command: number;
  readonly fileoff: number;
  readonly filesize: number;
}

function segments(binary: Buffer): Map<string, Segment> {
  const found = new Map<string, Segment>();
  let command = 32;
  for (let i = 0; i < binary.readUInt32LE(16); i++) {
    const type = binary.readUInt32LE(command);
    if (type === LC_CODE_SIGNATURE) throw new Error('the executable is signed already');
    if (type === LC_SEGMENT_64) {
      found.set(binary.toString('latin1', command + 8, command + 24).replace(/\0+$/, ''), {
        command,
        fileoff: Number(binary.readBigUInt64LE(command + 40)),
        filesize: Number(binary.readBigUInt64LE(command + 48)),
      });
    }
    command += binary.readUInt32LE(command + 4);
  }
  return found;
}

/**
 * Signs an unsigned 64-bit Mach-O executable ad hoc, the way Apple's and Go's linkers do (a
 * code directory of SHA-256 page hashes, no certificate): Apple silicon runs no unsigned code,
 * and `node --build-sea` removes the signature Node's binary had.
 */
export function adHocSign(binary: Buffer, identifier: string): Buffer {
  if (binary.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a 64-bit Mach-O file');
  const found = segments(binary);
  const text = found.get('__TEXT');
  const linkedit = found.get('__LINKEDIT');
  if (!text || !linkedit || linkedit.fileoff + linkedit.filesize !== binary.length) {
    throw new Error('expected __TEXT, and __LINKEDIT at the end of the file');
  }
  const dataoff = align(binary.length, 16);
  const ident = Buffer.from(`${identifier}\0`, 'utf8');
  const slots = Math.ceil(dataoff / (1 << PAGE_BITS));
  const directoryLength = CODE_DIRECTORY_SIZE + ident.length + slots * 32;
  const signatureSize = align(SUPER_BLOB_SIZE + directoryLength, 16);

  const signed = Buffer.alloc(dataoff + signatureSize);
  binary.copy(signed);
  // The load command that points at the signature, after the others (the header has room).
  const commandsEnd = 32 + signed.readUInt32LE(20);
  if (signed.subarray(commandsEnd, commandsEnd + 16).some((byte) => byte !== 0)) {
    throw new Error('no room for the code signature load command');
  }
  signed.writeUInt32LE(LC_CODE_SIGNATURE, commandsEnd);
  signed.writeUInt32LE(16, commandsEnd + 4);
  signed.writeUInt32LE(dataoff, commandsEnd + 8);
  signed.writeUInt32LE(signatureSize, commandsEnd + 12);
  signed.writeUInt32LE(signed.readUInt32LE(16) + 1, 16);
  signed.writeUInt32LE(signed.readUInt32LE(20) + 16, 20);
  // __LINKEDIT grows to hold the signature, in memory too.
  const filesize = dataoff + signatureSize - linkedit.fileoff;
  const vmsize = Number(signed.readBigUInt64LE(linkedit.command + 32));
  signed.writeBigUInt64LE(BigInt(Math.max(vmsize, align(filesize, 0x4000))), linkedit.command + 32);
  signed.writeBigUInt64LE(BigInt(filesize), linkedit.command + 48);

  const blob = signed.subarray(dataoff);
  blob.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  blob.writeUInt32BE(SUPER_BLOB_SIZE + directoryLength, 4);
  blob.writeUInt32BE(1, 8); // one blob: the code directory, in slot 0
  blob.writeUInt32BE(0, 12);
  blob.writeUInt32BE(SUPER_BLOB_SIZE, 16);
  const directory = blob.subarray(SUPER_BLOB_SIZE);
  directory.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  directory.writeUInt32BE(directoryLength, 4);
  directory.writeUInt32BE(0x20400, 8);
  directory.writeUInt32BE(CS_ADHOC | CS_LINKER_SIGNED, 12);
  directory.writeUInt32BE(CODE_DIRECTORY_SIZE + ident.length, 16); // hash offset
  directory.writeUInt32BE(CODE_DIRECTORY_SIZE, 20); // identifier offset
  directory.writeUInt32BE(slots, 28);
  directory.writeUInt32BE(dataoff, 32); // code limit
  directory.writeUInt8(32, 36); // hash size
  directory.writeUInt8(CS_HASHTYPE_SHA256, 37);
  directory.writeUInt8(PAGE_BITS, 39);
  directory.writeBigUInt64BE(BigInt(text.fileoff), 64);
  directory.writeBigUInt64BE(BigInt(text.filesize), 72);
  directory.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80);
  ident.copy(directory, CODE_DIRECTORY_SIZE);
  for (let slot = 0; slot < slots; slot++) {
    const page = signed.subarray(slot << PAGE_BITS, Math.min((slot + 1) << PAGE_BITS, dataoff));
    createHash('sha256')
      .update(page)
      .digest()
      .copy(directory, CODE_DIRECTORY_SIZE + ident.length + slot * 32);
  }
  return signed;
}
