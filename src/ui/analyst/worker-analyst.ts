import { Worker } from 'node:worker_threads';
import type { CniDetection } from '../../engine/index.js';
import { type Analyst, type AnalystRunner, lanedAnalyst, queuedAnalyst } from './analyst.js';
import type { FromWorker, ToWorker } from './messages.js';
import type { AnalystSnapshot } from './questions.js';
import { partViews, type SharedParts } from './shared-parts.js';
import { serialiseInParts } from './snapshot-parts.js';
import { nestedParts, shareInTurns, valueFromPartsInTurns } from './value-parts.js';

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

/** A snapshot's parts in shared memory, serialised once for every worker (posting them copies nothing). */
type SnapshotBytes = (snapshot: AnalystSnapshot) => Promise<SharedParts | undefined>;

/** The event loop's next turn, after the keys and frames due. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Serialises each snapshot once, however many workers it is sent to, a few milliseconds per
 * turn; a newer snapshot stops the serialising of the one before (its parts are undefined).
 */
function serialisedOnce(): SnapshotBytes {
  let latest: { snapshot: AnalystSnapshot; parts: Promise<SharedParts | undefined> } | undefined;
  return (snapshot) => {
    if (latest?.snapshot !== snapshot) {
      const current = { snapshot, parts: Promise.resolve<SharedParts | undefined>(undefined) };
      current.parts = serialiseInParts(snapshot, nextTurn, () => latest !== current);
      latest = current;
    }
    return latest.parts;
  };
}

/** The network plugin of a snapshot, detected by another worker. */
type PluginOf = (snapshot: AnalystSnapshot) => Promise<CniDetection>;

/**
 * Runs questions in a worker thread of its own; a newer snapshot restarts it if it is busy.
 * A `warm` worker builds each snapshot's peer index as soon as it has compiled it. With
 * `pluginOf`, the worker is sent each snapshot's network plugin rather than detecting it, and
 * answers once it has come (or detects it itself if that detection fails).
 */
function workerRunner(bytesOf: SnapshotBytes, warm: boolean, pluginOf?: PluginOf): AnalystRunner {
  let worker: Worker | undefined;
  /** The loaded snapshot's messages, sent again to a worker started after an error. */
  let loadMessages: ToWorker[] = [];
  let loadedSnapshot: AnalystSnapshot | undefined;
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
        if (!asker) return;
        if ('error' in reply) asker.reject(new Error(reply.error));
        else
          valueFromPartsInTurns(partViews(reply.answer), nextTurn).then(
            asker.resolve,
            asker.reject,
          );
      });
      started.on('error', (error) => {
        if (worker !== started) return;
        worker = undefined;
        for (const asker of waiting.values()) asker.reject(error);
        waiting.clear();
      });
      worker = started;
      if (message.type !== 'load')
        for (const sent of loadMessages) if (sent !== message) started.postMessage(sent);
    }
    worker.postMessage(message);
  };
  // Messages leave in order, each on a later turn of the event loop than it was posted: the
  // frame that asked is drawn before its snapshot is serialised and a worker starts. Stopping
  // drops the messages not yet sent (a message that comes to nothing is not sent).
  let generation = 0;
  let outbox = Promise.resolve();
  const post = (message: (stopped: () => boolean) => Promise<ToWorker | undefined> | ToWorker) => {
    const posted = generation;
    const stopped = () => posted !== generation;
    outbox = outbox.then(nextTurn).then(async () => {
      const ready = stopped() ? undefined : await message(stopped);
      if (ready && !stopped()) send(ready);
    });
  };
  const stop = () => {
    void worker?.terminate();
    worker = undefined;
    waiting.clear();
    generation++;
  };

  const sendOnLoad = (message: ToWorker): ToWorker => {
    loadMessages.push(message);
    return message;
  };

  return {
    load: (loaded) => {
      loadedSnapshot = loaded;
      post(async () => {
        const parts = await bytesOf(loaded);
        if (!parts) return undefined;
        loadMessages = [];
        return sendOnLoad({ type: 'load', parts, warm, pluginSent: pluginOf !== undefined });
      });
      const sendPlugin = (cni?: CniDetection) => {
        if (loadedSnapshot === loaded)
          post(() => sendOnLoad({ type: 'plugin', ...(cni && { cni }) }));
      };
      pluginOf?.(loaded).then(sendPlugin, () => sendPlugin());
    },
    run: (question, cancelled) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        // Serialised a few milliseconds a turn: the YAML view's question carries its object.
        post(async (stopped) => {
          const parts = await shareInTurns(
            nestedParts(question),
            nextTurn,
            () => stopped() || cancelled(),
          );
          if (parts) return { type: 'ask', id, question: parts };
          // Cancelled before it was sent: nothing is to come, the next question may go.
          waiting.delete(id);
          resolve(undefined);
          return undefined;
        });
      }),
    abandon: stop,
    close: stop,
  };
}

/**
 * An analyst in worker threads, so that the UI's keys are handled while it works: one for the
 * network plugin's detection and the audit, one for the questions keys ask. Each snapshot is serialised once on the UI's thread, in
 * parts that leave its keys waiting a few milliseconds at most, into memory the workers share.
 */
export function workerAnalyst(): Analyst {
  const bytesOf = serialisedOnce();
  const background = queuedAnalyst(workerRunner(bytesOf, false));
  // The audit's worker detects each snapshot's network plugin, its first question; the other
  // deserialises the snapshot meanwhile, then compiles it with that detection.
  const pluginOf: PluginOf = (snapshot) =>
    background.ask(snapshot, { kind: 'network-plugin' }).answer;
  return lanedAnalyst(background, queuedAnalyst(workerRunner(bytesOf, true, pluginOf)));
}
