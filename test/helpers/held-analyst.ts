import type { Analyst } from '../../src/ui/analyst/analyst.js';
import { inProcessAnalyst } from '../../src/ui/analyst/in-process.js';
import type { AnalystQuestion } from '../../src/ui/analyst/questions.js';

/**
 * The in-process analyst, whose answers to questions of one kind wait, while `holding`, until
 * `release`: to see what the UI shows while the analyst works.
 */
export function heldAnalyst(kind: AnalystQuestion['kind']) {
  const analyst = inProcessAnalyst();
  const waiting: (() => void)[] = [];
  const gate = {
    holding: false,
    release: () => {
      gate.holding = false;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
  const held: Analyst = {
    ...analyst,
    ask: (snapshot, question) => {
      const job = analyst.ask(snapshot, question);
      if (question.kind !== kind || !gate.holding) return job;
      const released = new Promise<void>((resolve) => waiting.push(resolve));
      return { ...job, answer: released.then(() => job.answer) };
    },
  };
  return { analyst: held, gate };
}
