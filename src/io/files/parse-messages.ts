import type { MessagePort } from 'node:worker_threads';
import type { Finding, SourceLocation } from '../../engine/index.js';
import type { LocatedField } from '../manifests/field-places.js';
import type { ManifestCacheSettings } from './manifest-cache.js';
import type { ObjectEntries } from './object-pieces.js';

/**
 * How much one piece of an object weighs at most (objectPieces): 2,000 nodes take the UI's
 * thread 0.5 to 2 ms to deserialise (a CRD's schema: 0.47 µs a node; a Pod's annotations of
 * 60 characters: 0.96 µs a node).
 */
export const PIECE_WEIGHT = 2_000;

/** What the parse worker is started with (its workerData). */
export interface ParseWorkerData {
  /** Where the pieces of each parse are posted; the UI's thread takes them one at a time. */
  readonly port: MessagePort;
  /** Counts the pieces posted: the UI's thread waits on it (Atomics.waitAsync) for the next. */
  readonly posted: Int32Array;
  /** The manifest cache to parse through, when there is one. */
  readonly cache?: ManifestCacheSettings;
}

/**
 * Sent to the worker: a file to parse (a regular file's bytes, or the text of a stream, which
 * is not cached), or that the read is over (the cache is trimmed, the worker ends).
 */
export type ParseRequest =
  | { readonly kind: 'parse'; readonly text: Uint8Array | string; readonly file: string }
  | { readonly kind: 'finish' };

/**
 * A piece of a parse, in order: each object (a heavy one emptied, its entries following in
 * runs: objectPieces), then the findings and the located fields, which end it. A note is the cache's (`-v`); a
 * failure ends the parse.
 */
export type ParsePiece =
  | { readonly kind: 'object'; readonly object: unknown; readonly location: SourceLocation }
  | ({ readonly kind: 'entries' } & ObjectEntries)
  | {
      readonly kind: 'findings';
      readonly findings: readonly Finding[];
      /** The fields the normaliser asks to locate in the objects, located in the text here. */
      readonly located: readonly LocatedField[];
    }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'failed'; readonly message: string };
