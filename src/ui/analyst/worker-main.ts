// The analyst's worker thread: it holds each snapshot it is sent and answers questions about
// the latest, one message at a time, detecting the network plugin and compiling when first needed.
import { parentPort } from 'node:worker_threads';
import type { CniDetection } from '../../engine/index.js';
import { errorMessage } from '../../errors.js';
import { yieldToUiThread } from '../../io/thread-priority.js';
import type { FromWorker, ToWorker } from './messages.js';
import {
  type AnalystQuestion,
  type AnalystSnapshot,
  answerQuestion,
  type LoadedSnapshot,
  loadForQuestions,
} from './questions.js';
import { partViews, shareParts } from './shared-parts.js';
import { snapshotFromParts } from './snapshot-parts.js';
import { valueFromNestedParts, valueParts } from './value-parts.js';

/** A question asked, rebuilt from its parts. */
interface Ask {
  readonly id: number;
  readonly question: AnalystQuestion;
}

// The UI's thread is served first when both want a core: keys never wait behind an audit.
yieldToUiThread();

/** The latest snapshot held for questions, or why it could not be read. */
let current: LoadedSnapshot | Error = new Error('the analyst has no snapshot');
/** The latest snapshot while its network plugin is awaited, with the questions asked meanwhile. */
let awaiting: { snapshot: AnalystSnapshot; held: Ask[] } | undefined;
/** Whether each snapshot's peer index is built as soon as it can be. */
let warm = false;

function answer({ id, question }: Ask): void {
  const asked = current;
  new Promise((resolve) => {
    if (asked instanceof Error) throw asked;
    resolve(answerQuestion(asked, question));
  }).then(
    (value) =>
      parentPort?.postMessage({ id, answer: shareParts(valueParts(value)) } satisfies FromWorker),
    (error: unknown) =>
      parentPort?.postMessage({ id, error: errorMessage(error) } satisfies FromWorker),
  );
}

/** Holds a snapshot with its network plugin; a warm worker compiles it and builds its peer index. */
function hold(snapshot: AnalystSnapshot, cni?: CniDetection): void {
  const loaded = loadForQuestions(snapshot, cni);
  current = loaded;
  if (!warm) return;
  try {
    loaded.compiled().peerIndex();
  } catch {
    // The questions asked about it say why it could not be compiled.
  }
}

parentPort?.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'load': {
      awaiting = undefined;
      warm = message.warm;
      let snapshot: AnalystSnapshot;
      try {
        snapshot = snapshotFromParts(message.parts);
      } catch (error) {
        current = error instanceof Error ? error : new Error(errorMessage(error));
        return;
      }
      if (message.pluginSent) awaiting = { snapshot, held: [] };
      else hold(snapshot);
      return;
    }
    case 'plugin': {
      if (!awaiting) return;
      const { snapshot, held } = awaiting;
      awaiting = undefined;
      hold(snapshot, message.cni);
      for (const ask of held) answer(ask);
      return;
    }
    case 'ask': {
      const ask = {
        id: message.id,
        question: valueFromNestedParts(partViews(message.question)) as AnalystQuestion,
      };
      if (awaiting) awaiting.held.push(ask);
      else answer(ask);
      return;
    }
  }
});
