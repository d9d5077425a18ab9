import { type Analyst, queuedAnalyst } from './analyst.js';
import { answerQuestion, type LoadedSnapshot, loadForQuestions } from './questions.js';

/**
 * An analyst on the UI's own thread, answering at once when asked: for tests of the UI from its
 * TypeScript sources, where no built worker exists. Its work holds keys up until it is done.
 */
export function inProcessAnalyst(): Analyst {
  let loaded: LoadedSnapshot | undefined;
  return queuedAnalyst({
    load: (snapshot) => {
      loaded = loadForQuestions(snapshot);
    },
    run: async (question) => {
      if (!loaded) throw new Error('the analyst has no snapshot');
      return answerQuestion(loaded, question);
    },
    abandon: () => {},
    close: () => {
      loaded = undefined;
    },
  });
}
