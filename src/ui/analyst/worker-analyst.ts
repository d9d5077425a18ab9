import { serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { type Analyst, type AnalystRunner, lanedAnalyst, queuedAnalyst } from './analyst.js';
import type { FromWorker, ToWorker } from './messages.js';
import type { AnalystSnapshot } from './questions.js';

/** The worker's code, bundled, in the standalone executable (which has no worker file beside it). */
declare const KUBECTL_NETPOL_ANALYST_WORKER: string | undefined;

/** Starts the worker: the bundled code in the executable, else worker-main.js beside this module. */
function startWorker(): Worker {
  return typeof KUBECTL_NETPOL_ANALYST_WORKER === 'string'
    ? new Worker(KUBECTL_NETPOL_ANALYST_WORKER, { eval: true })
    : new Worker(new URL('./worker-main.js', import.meta.url));
}

interface Waiting {
  readonly resolve: (answer: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** A snapshot serialised once for every worker (the copy is the cost; sending the bytes is not). */
type SnapshotBytes = (snapshot: AnalystSnapshot) => Uint8Array;

/** Serialises each snapshot once, however many workers it is sent to. */
function serialisedOnce(): SnapshotBytes {
  const bytes = new WeakMap<AnalystSnapshot, Uint8Array>();
  return (snapshot) => {
    let serialised = bytes.get(snapshot);
    if (!serialised) {
      serialised = serialize(snapshot);
      bytes.set(snapshot, serialised);
    }
    return serialised;
  };
}

/**
 * Runs questions in a worker thread of its own; a newer snapshot restarts it if it is busy.
 * A `warm` worker builds each snapshot's peer index as soon as it has compiled it.
 */
function workerRunner(bytesOf: SnapshotBytes, warm: boolean): AnalystRunner {
  let worker: Worker | undefined;
  let snapshot: Uint8Array | undefined;
  let nextId = 0;
  const waiting = new Map<number, Waiting>();

  const send = (message: ToWorker) => {
    if (!worker) {
      const started = startWorker();
      // The UI's exit ends the process even if a question is still being answered.
      started.unref();
      started.on('message', (reply: FromWorker) => {
        const asker = waiting.get(reply.id);
        waiting.delete(reply.id);
        if ('error' in reply) asker?.reject(new Error(reply.error));
        else asker?.resolve(reply.answer);
      });
      started.on('error', (error) => {
        if (worker !== started) return;
        worker = undefined;
        for (const asker of waiting.values()) asker.reject(error);
        waiting.clear();
      });
      worker = started;
      if (snapshot && message.type !== 'load') worker.postMessage({ type: 'load', snapshot, warm });
    }
    worker.postMessage(message);
  };
  // Messages leave on the event loop's next turn, in order: the frame that asked is drawn
  // before its snapshot is serialised and a worker starts.
  let outbox: (() => ToWorker)[] = [];
  const post = (message: () => ToWorker) => {
    outbox.push(message);
    if (outbox.length > 1) return;
    setImmediate(() => {
      const due = outbox;
      outbox = [];
      for (const next of due) send(next());
    });
  };
  const stop = () => {
    void worker?.terminate();
    worker = undefined;
    waiting.clear();
    outbox = [];
  };

  return {
    load: (loaded) =>
      post(() => {
        snapshot = bytesOf(loaded);
        return { type: 'load', snapshot, warm };
      }),
    run: (question) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        post(() => ({ type: 'ask', id, question }));
      }),
    abandon: stop,
    close: stop,
  };
}

/**
 * An analyst in worker threads, so that the UI's keys are handled while it works: one for the
 * audit, one for the questions keys ask. Each snapshot is serialised once on the UI's thread.
 */
export function workerAnalyst(): Analyst {
  const bytesOf = serialisedOnce();
  return lanedAnalyst(
    queuedAnalyst(workerRunner(bytesOf, false)),
    queuedAnalyst(workerRunner(bytesOf, true)),
  );
}
