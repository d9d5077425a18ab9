import type { Readable } from 'node:stream';

/** How much one call may receive before we stop reading. */
export interface ResponseLimits {
  /** Bytes of one response body, and of all pages of one list together. */
  readonly maxBytes: number;
  /** Pages of one list. */
  readonly maxPages: number;
}

const MIB = 1024 * 1024;

/**
 * 128 MiB: we ask for pages of 500 objects and a Pod with managedFields is typically 5-30 KB,
 * so an honest page is a few MB and a whole list of 4,000+ such pods fits. Four lists read in
 * parallel then stay well inside Node's default heap even with the parsed copies.
 * 1,000 pages: 500,000 objects of one kind, beyond the largest clusters (150,000 pods).
 */
export const DEFAULT_LIMITS: ResponseLimits = { maxBytes: 128 * MIB, maxPages: 1000 };

/** A response or a list went past a limit; the message says which and how much. */
export class ResponseLimitError extends Error {
  override readonly name = 'ResponseLimitError';
}

/** Bytes for messages, in the unit the limit was chosen in. */
export function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${Math.round((bytes / MIB) * 10) / 10} MiB` : `${bytes} bytes`;
}

/**
 * Reads a whole body, destroying the stream as soon as it passes maxBytes so that an endless
 * body cannot fill memory; `tooLarge` makes the error for that case.
 */
export function readBody(
  stream: Readable,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
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
 * Keeps one paginated list within its limits: a page count, the bytes of all pages together,
 * and no continue token twice (a server that repeats itself would loop forever).
 */
export class ListBudget {
  private pages = 0;
  private bytes = 0;
  private readonly tokens = new Set<string>();

  constructor(
    private readonly limits: ResponseLimits,
    /** The list, for messages: "list of pods from https://host". */
    private readonly what: string,
  ) {}

  /** What the next page may still weigh. */
  get bytesLeft(): number {
    return this.limits.maxBytes - this.bytes;
  }

  /** The error for a page that would pass the byte limit of the whole list. */
  tooLarge(): ResponseLimitError {
    return new ResponseLimitError(
      `${this.what} exceeded ${formatBytes(this.limits.maxBytes)}${this.pages > 0 ? ` over ${this.pages + 1} pages` : ''}`,
    );
  }

  /** Counts a page received; throws when the list must stop. */
  add(bytes: number, continueToken: string | undefined): void {
    this.pages++;
    this.bytes += bytes;
    if (!continueToken) return;
    if (this.tokens.has(continueToken))
      throw new ResponseLimitError(
        `${this.what} did not end: the server sent the same continue token again after ${this.pages} pages`,
      );
    if (this.pages >= this.limits.maxPages)
      throw new ResponseLimitError(
        `${this.what} did not end after ${this.pages} pages (the server keeps sending continue tokens)`,
      );
    this.tokens.add(continueToken);
  }
}
