// The analyst's worker thread: it compiles each snapshot it is sent and answers questions about
// the latest, one message at a time.
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import type { FromWorker, ToWorker } from './messages.js';
import { answerQuestion, type CompiledSnapshot, compileForQuestions } from './questions.js';
import { shareParts } from './shared-parts.js';
import { snapshotFromParts } from './snapshot-parts.js';
import { valueParts } from './value-parts.js';

/** The latest snapshot compiled, or why it could not be. */
let compiled: CompiledSnapshot | Error = new Error('the analyst has no snapshot');

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'load') {
    try {
      compiled = compileForQuestions(snapshotFromParts(message.parts));
      if (message.warm) compiled.peerIndex();
    } catch (error) {
      compiled = error instanceof Error ? error : new Error(errorMessage(error));
    }
    return;
  }
  const { id, question } = message;
  const asked = compiled;
  new Promise((resolve) => {
    if (asked instanceof Error) throw asked;
    resolve(answerQuestion(asked, question));
  }).then(
    (answer) =>
      parentPort?.postMessage({ id, answer: shareParts(valueParts(answer)) } satisfies FromWorker),
    (error: unknown) =>
      parentPort?.postMessage({ id, error: errorMessage(error) } satisfies FromWorker),
  );
});
