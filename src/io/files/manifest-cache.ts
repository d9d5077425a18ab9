import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { buildInfo } from '../../build-info.js';
import { errorMessage } from '../../errors.js';
import type { Steps } from '../../steps.js';
import { manifestTextSteps, type ParsedManifests } from '../manifests/parse-text.js';
import type { FileParser } from '../manifests/read-paths.js';
import { decodeParsedSteps, encodeParsed } from './manifest-cache-entry.js';

/** Raised when what an entry holds, or how, changes: entries of other formats are never read. */
export const CACHE_FORMAT = 3;

/** The first word of every entry. */
const MAGIC = 'kubectl-netpol-manifests';

/** Bytes an entry's header takes at most: magic, format, key, payload length and digest. */
const HEADER_ROOM = 256;

/** The largest entry whose scratch buffer is kept for the next one. */
const MAX_SCRATCH = 8 * 2 ** 20;

/** Entries are evicted, least recently used first, once they take more than this together. */
export const DEFAULT_CACHE_BYTES = 256 * 2 ** 20;

/** A temporary file older than this was left by a process that died while writing it. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/** What a cache is told on creation: where it is, for which build, and where notes go. */
export interface ManifestCacheOptions {
  /** The directory of the entries (created, 0700, when missing). */
  readonly dir: string;
  /** What makes entries of other builds differ: by default version, commit and format. */
  readonly identity?: string;
  /** Total size the entries are kept within. */
  readonly maxBytes?: number;
  /** Told why the cache is not used or not written, once (`-v`). */
  readonly note?: (text: string) => void;
}

/** A cache's settings, all of them spelt out: another thread's cache made with them is the same cache. */
export type ManifestCacheSettings = Required<Omit<ManifestCacheOptions, 'note'>>;

/** This build's identity: its version, commit and sources (when known) and the entry format. */
export function buildIdentity(): string {
  const { version, commit, sources } = buildInfo();
  return `kubectl-netpol ${version} ${commit ?? '-'} ${sources ?? '-'} format ${CACHE_FORMAT}`;
}

/**
 * A persistent, content-addressed store of what parseManifestText returns for a file's bytes:
 * the key is a SHA-256 of the build's identity and the bytes, the entry holds the parse
 * without the file's path (put back on reading). An entry that is missing, unreadable or not
 * exactly what this build wrote is a miss: the text is parsed. Failing to write disables
 * writing; nothing here ever throws to its caller.
 */
export class ManifestCache implements FileParser {
  private readonly dir: string;
  private readonly identity: string;
  private readonly maxBytes: number;
  private readonly note: (text: string) => void;
  /** Whether entries are read and written; unknown until first used. */
  private state: 'unopened' | 'open' | 'read-only' | 'off' = 'unopened';
  private wrote = false;
  /** Temporary files written so far: each has a name of its own. */
  private written = 0;
  /**
   * Where an entry is put together before it is written: reused until the read finishes, as a
   * new buffer per entry touches fresh memory, whose page faults cost more than the encoding.
   */
  private scratch = Buffer.alloc(0);

  constructor(options: ManifestCacheOptions) {
    this.dir = options.dir;
    this.identity = options.identity ?? buildIdentity();
    this.maxBytes = options.maxBytes ?? DEFAULT_CACHE_BYTES;
    this.note = options.note ?? (() => {});
  }

  /** The settings a cache on another thread is made with to read and write the same entries. */
  get settings(): ManifestCacheSettings {
    return { dir: this.dir, identity: this.identity, maxBytes: this.maxBytes };
  }

  /**
   * The parse of a file's bytes, in steps (a document a step): the entry's when there is a
   * valid one, else parsed (and stored).
   */
  *parse(bytes: Buffer, file: string): Steps<ParsedManifests> {
    const state = this.open();
    if (state === 'off') return yield* manifestTextSteps(bytes.toString('utf8'), file);
    const key = createHash('sha256').update(this.identity).update('\n').update(bytes).digest('hex');
    const cached = yield* this.read(key, file);
    if (cached) return cached;
    const text = bytes.toString('utf8');
    const parsed = yield* manifestTextSteps(text, file);
    if (this.state === 'open') this.write(key, parsed, text.length);
    return parsed;
  }

  /** Evicts the least recently used entries past the size cap, when this run wrote any. */
  finish(): void {
    this.scratch = Buffer.alloc(0);
    if (!this.wrote || this.state !== 'open') return;
    this.wrote = false;
    try {
      this.evict();
    } catch (error) {
      this.note(`manifest cache ${this.dir}: not trimmed: ${errorMessage(error)}`);
    }
  }

  /** Creates the directory if need be and checks it is ours alone; else the cache is off. */
  private open(): ManifestCache['state'] {
    if (this.state !== 'unopened') return this.state;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      this.state = 'off';
      this.note(`manifest cache ${this.dir}: not used: ${errorMessage(error)}`);
      return this.state;
    }
    const stats = statSync(this.dir, { throwIfNoEntry: false });
    // Entries others could write would be answers others chose (POSIX: Windows has no getuid).
    const uid = process.getuid?.();
    const shared = uid !== undefined && (stats?.uid !== uid || ((stats?.mode ?? 0) & 0o022) !== 0);
    if (!stats?.isDirectory() || shared) {
      this.state = 'off';
      this.note(`manifest cache ${this.dir}: not used: not a directory only its owner can write`);
      return this.state;
    }
    this.state = 'open';
    return this.state;
  }

  private header(key: string, payload: Buffer): string {
    const digest = createHash('sha256').update(payload).digest('hex');
    return `${MAGIC} ${CACHE_FORMAT} ${key} ${payload.length} ${digest}\n`;
  }

  /**
   * The entry of a key, if it is whole and this build's. A hit marks the entry used (its
   * modification time, which eviction orders by): one more system call per file read.
   */
  private *read(key: string, file: string): Steps<ParsedManifests | undefined> {
    const path = join(this.dir, key);
    let entry: Buffer;
    try {
      entry = readFileSync(path);
    } catch {
      return undefined;
    }
    const newline = entry.indexOf(10);
    if (newline < 0) return undefined;
    const payload = entry.subarray(newline + 1);
    if (entry.toString('latin1', 0, newline + 1) !== this.header(key, payload)) return undefined;
    const parsed = yield* decodeParsedSteps(payload.toString('utf8'), file);
    if (parsed) markUsed(path);
    return parsed;
  }

  /**
   * An entry's bytes, header and payload, put together in the scratch buffer (valid until the
   * next call; an entry too big to keep a buffer for gets one of its own).
   */
  private entryBytes(key: string, encoded: string): Buffer {
    const room = HEADER_ROOM + Buffer.byteLength(encoded, 'utf8');
    let buffer = this.scratch;
    if (buffer.length < room) {
      buffer = Buffer.allocUnsafeSlow(Math.max(room, Math.min(2 * buffer.length, MAX_SCRATCH)));
      if (buffer.length <= MAX_SCRATCH) this.scratch = buffer;
    }
    const end = HEADER_ROOM + buffer.write(encoded, HEADER_ROOM, 'utf8');
    const header = this.header(key, buffer.subarray(HEADER_ROOM, end));
    const start = HEADER_ROOM - header.length;
    buffer.write(header, start, 'latin1');
    return buffer.subarray(start, end);
  }

  /** Writes an entry to a temporary file, then renames it: readers see all of it or none. */
  private write(key: string, parsed: ParsedManifests, textLength: number): void {
    const encoded = encodeParsed(parsed, textLength);
    if (encoded === undefined) return;
    const bytes = this.entryBytes(key, encoded);
    this.written += 1;
    const temporary = join(this.dir, `${key}.${process.pid}.${this.written}.tmp`);
    try {
      const descriptor = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(descriptor, bytes);
      } finally {
        closeSync(descriptor);
      }
      renameSync(temporary, join(this.dir, key));
      this.wrote = true;
    } catch (error) {
      this.state = 'read-only';
      this.note(`manifest cache ${this.dir}: not written: ${errorMessage(error)}`);
      try {
        unlinkSync(temporary);
      } catch {
        // Never created.
      }
    }
  }

  /**
   * Removes the least recently used entries (written or read longest ago) until the rest fit,
   * and temporary files left by dead writers.
   */
  private evict(): void {
    const now = Date.now();
    const entries: { path: string; bytes: number; used: number }[] = [];
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (!stats?.isFile()) continue;
      if (name.endsWith('.tmp')) {
        if (now - stats.mtimeMs > STALE_TEMPORARY_MS) unlinkSync(path);
        continue;
      }
      entries.push({ path, bytes: stats.size, used: stats.mtimeMs });
    }
    let total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
    entries.sort((a, b) => a.used - b.used);
    for (const entry of entries) {
      if (total <= this.maxBytes) break;
      unlinkSync(entry.path);
      total -= entry.bytes;
    }
  }
}

/**
 * Sets an entry's modification time to now, as eviction's mark of its last use. Failing (an
 * entry another process just evicted) changes nothing that was read.
 */
function markUsed(path: string): void {
  const now = Date.now() / 1000;
  try {
    utimesSync(path, now, now);
  } catch {
    // The entry was read whole: its use only goes unrecorded.
  }
}
