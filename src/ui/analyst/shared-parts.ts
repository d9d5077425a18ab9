/**
 * Serialised parts laid end to end in shared memory. Posting them to another thread copies
 * nothing: a list of separate buffers is cloned when posted, and at 10,000 pods that clone (a
 * snapshot's 6.6 MB, or the rows' 4 MB) held the sending and the receiving thread for tens of
 * milliseconds in one go.
 */
export interface SharedParts {
  /** The memory the parts are in. */
  readonly chunks: readonly SharedArrayBuffer[];
  /** For each part in order: its chunk's index, its first byte and the byte after its last. */
  readonly spans: readonly number[];
}

/**
 * Bytes of one chunk of shared memory. Filling fresh memory costs far more than copying into it
 * (a page fault per page): chunks are filled a part at a time, so that the cost is spread over
 * the turns that add them; a part longer than this has a chunk of its own.
 */
const CHUNK_BYTES = 1 << 20;

/** Collects parts into shared memory, one at a time, in order. */
export function sharedPartsWriter() {
  const chunks: SharedArrayBuffer[] = [];
  const spans: number[] = [];
  let free = 0;
  return {
    add(part: Uint8Array): void {
      let chunk = chunks.at(-1);
      if (!chunk || chunk.byteLength - free < part.byteLength) {
        chunk = new SharedArrayBuffer(Math.max(CHUNK_BYTES, part.byteLength));
        chunks.push(chunk);
        free = 0;
      }
      new Uint8Array(chunk).set(part, free);
      spans.push(chunks.length - 1, free, free + part.byteLength);
      free += part.byteLength;
    },
    parts(): SharedParts {
      return { chunks, spans };
    },
  };
}

/** Parts in shared memory, copied there at once (a worker's answer: its thread may wait). */
export function shareParts(parts: Iterable<Uint8Array>): SharedParts {
  const writer = sharedPartsWriter();
  for (const part of parts) writer.add(part);
  return writer.parts();
}

/** The parts, in order, as views of the shared memory (nothing is copied). */
export function* partViews(shared: SharedParts): Generator<Uint8Array> {
  const { chunks, spans } = shared;
  for (let at = 0; at + 2 < spans.length; at += 3) {
    const chunk = chunks[spans[at] as number];
    const start = spans[at + 1] as number;
    const end = spans[at + 2] as number;
    if (!chunk || end > chunk.byteLength || start > end)
      throw new Error('a part lies outside the shared memory it was sent in');
    yield new Uint8Array(chunk, start, end - start);
  }
}
