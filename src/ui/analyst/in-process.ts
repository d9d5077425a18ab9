import { type Analyst, queuedAnalyst } from './analyst.js';
import { answerQuestion, type CompiledSnapshot, compileForQuestions } from './questions.js';

/**
 * An analyst on the UI's own thread, answering at once when asked: for tests of the UI from its
 * TypeScript sources, where no built worker exists. Its work holds keys up until it is done.
 */
export function inProcessAnalyst(): Analyst {
  let compiled: (() => CompiledSnapshot) | undefined;
  return queuedAnalyst({
    load: (snapshot) => {
      let once: CompiledSnapshot | undefined;
      compiled = () => {
        once ??= compileForQuestions(snapshot);
        return once;
      };
    },
    run: async (question) => {
      if (!compiled) throw new Error('the analyst has no snapshot');
      return answerQuestion(compiled(), question);
    },
    abandon: () => {},
    close: () => {
      compiled = undefined;
    },
  });
}
