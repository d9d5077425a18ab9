import type { Readable } from 'node:stream';

/** How much a read may receive before we stop it. */
export interface ResponseLimits {
  /** Bytes of every answer of one read together: a snapshot's lists, or one call. */
  readonly maxBytes: number;
  /** Pages of one list. */
  readonly maxPages: number;
}

const MIB = 1024 * 1024;

/**
 * 512 MiB for a whole snapshot (its four lists together): a Pod with managedFields is
 * typically 5-20 KB, so about 25,000-100,000 pods fit, while a server sending without end
 * is stopped before the answers and their parsed copies outgrow Node's default heap.
 * 1,000 pages of 500: 500,000 objects of one kind, beyond the largest clusters.
 */
export const DEFAULT_LIMITS: ResponseLimits = { maxBytes: 512 * MIB, maxPages: 1000 };

/** A response or a list went past a limit; the message says which and how much. */
export class ResponseLimitError extends Error {
  override readonly name = 'ResponseLimitError';
}

/** Bytes for messages, in the unit the limit was chosen in. */
export function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${Math.round((bytes / MIB) * 10) / 10} MiB` : `${bytes} bytes`;
}

/** The bytes a read may still receive, drawn on by every response it is made of. */
export class ByteBudget {
  private used = 0;

  constructor(
    /** The limit, for messages. */
    readonly maxBytes: number,
  ) {}

  /** Counts bytes received; false once the read has received more than its limit. */
  take(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.maxBytes;
  }
}

/**
 * Reads a whole body, destroying the stream as soon as the budget runs out so that an endless
 * body cannot fill memory; `tooLarge` makes the error for that case.
 */
export function readBody(
  stream: Readable,
  budget: ByteBudget,
  tooLarge: () => Error,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      if (!budget.take(chunk.length)) {
        const error = tooLarge();
        reject(error);
        stream.destroy(error);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * Keeps one paginated list within its limits: a page count, no continue token twice (a server
 * that repeats itself would loop forever), and the bytes of the read it belongs to.
 */
export class ListBudget {
  private pages = 0;
  private readonly tokens = new Set<string>();

  constructor(
    private readonly maxPages: number,
    /** The read's bytes, shared with the lists read with this one. */
    readonly bytes: ByteBudget,
    /** The list, for messages: "list of pods from https://host". */
    private readonly what: string,
  ) {}

  /** The error for a page that ran out of bytes. */
  tooLarge(): ResponseLimitError {
    return new ResponseLimitError(
      `${this.what} exceeded the ${formatBytes(this.bytes.maxBytes)} read limit${this.pages > 0 ? ` on page ${this.pages + 1}` : ''}`,
    );
  }

  /** Counts a page received; throws when the list must stop. */
  add(continueToken: string | undefined): void {
    this.pages++;
    if (!continueToken) return;
    if (this.tokens.has(continueToken))
      throw new ResponseLimitError(
        `${this.what} did not end: the server sent the same continue token again after ${this.pages} pages`,
      );
    if (this.pages >= this.maxPages)
      throw new ResponseLimitError(
        `${this.what} did not end after ${this.pages} pages (the server keeps sending continue tokens)`,
      );
    this.tokens.add(continueToken);
  }
}
