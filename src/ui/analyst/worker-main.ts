// The analyst's worker thread: it compiles each snapshot it is sent and answers questions about
// the latest, one message at a time.
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import type { FromWorker, ToWorker } from './messages.js';
import { answerQuestion, type CompiledSnapshot, compileForQuestions } from './questions.js';
import { snapshotFromParts } from './snapshot-parts.js';

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
  let reply: FromWorker;
  try {
    if (compiled instanceof Error) throw compiled;
    reply = { id: message.id, answer: answerQuestion(compiled, message.question) };
  } catch (error) {
    reply = { id: message.id, error: errorMessage(error) };
  }
  parentPort?.postMessage(reply);
});
