import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  type TransferListItem,
  Worker,
} from 'node:worker_threads';
import type { ParsedManifests, SourcedObject } from '../manifests/parse-text.js';
import type { BigFileParser } from '../manifests/read-paths.js';
import type { ManifestCacheSettings } from './manifest-cache.js';
import { addEntries } from './object-pieces.js';
import type { ParsePiece, ParseRequest, ParseWorkerData } from './parse-messages.js';

/**
 * Files this big or bigger are parsed off the UI's thread, hashing and the cache's entry
 * included: a YAML document of 256 KiB takes about 20 ms to parse there (a List of 16.4 MB,
 * 1.1 s of CPU), a file's hash and entry a few ms more.
 */
export const OFF_THREAD_BYTES = 256 * 2 ** 10;

/** The worker's code, bundled, in the bundle and the executable (which have no file beside them). */
declare const KUBECTL_NETPOL_PARSE_WORKER: string | undefined;

/** Starts a parse worker: the bundled code, else parse-worker-main.js beside this module. */
export type StartParseWorker = (data: ParseWorkerData, transfer: TransferListItem[]) => Worker;

const startBuiltWorker: StartParseWorker = (workerData, transferList) =>
  typeof KUBECTL_NETPOL_PARSE_WORKER === 'string'
    ? new Worker(KUBECTL_NETPOL_PARSE_WORKER, { eval: true, workerData, transferList })
    : new Worker(new URL('./parse-worker-main.js', import.meta.url), { workerData, transferList });

/** A running worker, the port its pieces come on, and why it stopped if it did. */
interface Thread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly posted: Int32Array;
  stopped?: string;
}

/**
 * Parses big files on a worker thread (started at the first, ended by finish), through the
 * manifest cache when given its settings, and takes the parse back a piece at a time (an
 * object, or a run of a heavy one's entries: a List's items, a Pod's annotations), `pace`
 * awaited between pieces: the UI's thread never parses, hashes, or deserialises more than a
 * piece in one turn. Objects of kinds the normaliser ignores come cut to what it reads of them.
 */
export class OffThreadParser implements BigFileParser {
  readonly minBytes = OFF_THREAD_BYTES;
  private thread: Thread | undefined;

  constructor(
    private readonly cache: ManifestCacheSettings | undefined,
    private readonly note: (text: string) => void = () => {},
    private readonly start: StartParseWorker = startBuiltWorker,
  ) {}

  /**
   * What parseManifestText returns for the text (a regular file's bytes: through the cache),
   * read from `file`, each object as normalising reads it (readForm); undefined, with a
   * note, if the worker failed (it could not start, or ran out of memory): then the caller
   * parses the file itself.
   */
  async parse(
    text: Buffer | string,
    file: string,
    pace: () => Promise<void>,
  ): Promise<ParsedManifests | undefined> {
    const thread = this.started();
    // Starting a worker takes about 10 ms, posting 16 MB to it as long: not in one turn.
    await pace();
    thread.worker.postMessage({ kind: 'parse', text, file } satisfies ParseRequest);
    const objects: SourcedObject[] = [];
    for (;;) {
      const piece = await nextPiece(thread);
      if (piece.kind === 'findings') {
        return { objects, findings: [...piece.findings], located: piece.located };
      }
      if (piece.kind === 'failed') {
        this.note(`${file}: not parsed off the UI's thread: ${piece.message}`);
        return undefined;
      }
      if (piece.kind === 'note') this.note(piece.text);
      else if (piece.kind === 'entries') addEntries(objects.at(-1)?.object, piece);
      else objects.push({ object: piece.object, location: piece.location });
      await pace();
    }
  }

  /** Tells the worker the read is over: it trims the cache and ends. */
  finish(): void {
    const { thread } = this;
    if (!thread) return;
    this.thread = undefined;
    thread.worker.postMessage({ kind: 'finish' } satisfies ParseRequest);
    thread.worker.unref();
    thread.port.close();
  }

  private started(): Thread {
    if (this.thread && !this.thread.stopped) return this.thread;
    const { port1, port2 } = new MessageChannel();
    const posted = new Int32Array(new SharedArrayBuffer(4));
    const data: ParseWorkerData = {
      port: port2,
      posted,
      ...(this.cache ? { cache: this.cache } : {}),
    };
    const thread: Thread = { worker: this.start(data, [port2]), port: port1, posted };
    const stop = (why: string) => {
      thread.stopped ??= why;
      // Wakes a parse waiting for its next piece, to find none will come.
      Atomics.add(posted, 0, 1);
      Atomics.notify(posted, 0);
    };
    thread.worker.on('error', (error) => stop(error.message));
    thread.worker.on('exit', (code) => stop(`the parse worker exited (${code})`));
    this.thread = thread;
    return thread;
  }
}

/**
 * The next piece the worker posted, taken off its port alone (a message event would take every
 * piece waiting in one turn), once the worker says one is there; `failed` if it stopped.
 */
async function nextPiece(thread: Thread): Promise<ParsePiece> {
  for (;;) {
    const seen = Atomics.load(thread.posted, 0);
    const received = receiveMessageOnPort(thread.port);
    if (received) return received.message as ParsePiece;
    if (thread.stopped) return { kind: 'failed', message: thread.stopped };
    // The count is raised after each post: past `seen`, a piece is there to take.
    const wait = Atomics.waitAsync(thread.posted, 0, seen);
    if (wait.async) await wait.value;
  }
}
