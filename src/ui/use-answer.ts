import { useEffect, useState } from 'react';
import { errorMessage } from '../errors.js';
import type { Analyst } from './analyst/analyst.js';
import type { AnalystQuestion, AnalystSnapshot, AnswerTo } from './analyst/questions.js';

/**
 * Where the answer to a question stands: not asked, being worked on (since when, and the answer
 * to the same question about the previous snapshot, shown meanwhile), or come.
 */
export type Answered<T> =
  | { readonly state: 'unasked' }
  | { readonly state: 'working'; readonly since: number; readonly previous?: T }
  | { readonly state: 'done'; readonly value: T }
  | { readonly state: 'failed'; readonly message: string };

const UNASKED = { state: 'unasked' } as const;

interface Came {
  readonly snapshot: AnalystSnapshot;
  readonly question: AnalystQuestion;
  readonly answered: Answered<unknown>;
}

/**
 * Asks the analyst a question about a snapshot whenever either changes (undefined asks
 * nothing), cancelling the question asked before. Answers to other questions are never shown;
 * the answer to the same question about an older snapshot is kept as `previous` until the new
 * one comes, so that a screen does not blank on every watch update.
 */
export function useAnswer<Q extends AnalystQuestion>(
  analyst: Analyst,
  snapshot: AnalystSnapshot,
  question: Q | undefined,
): Answered<AnswerTo<Q>> {
  const [came, setCame] = useState<Came | undefined>(undefined);
  const [asked, setAsked] = useState<{ question: AnalystQuestion; since: number } | undefined>();
  useEffect(() => {
    if (!question) return;
    setAsked({ question, since: performance.now() });
    const job = analyst.ask(snapshot, question);
    const answered = (answer: Answered<unknown>) =>
      setCame({ snapshot, question, answered: answer });
    job.answer.then(
      (value) => answered({ state: 'done', value }),
      (error: unknown) => answered({ state: 'failed', message: errorMessage(error) }),
    );
    return job.cancel;
  }, [analyst, snapshot, question]);
  if (!question) return UNASKED;
  if (came?.question === question && came.snapshot === snapshot)
    return came.answered as Answered<AnswerTo<Q>>;
  const since = asked?.question === question ? asked.since : performance.now();
  return came?.question === question && came.answered.state === 'done'
    ? { state: 'working', since, previous: came.answered.value as AnswerTo<Q> }
    : { state: 'working', since };
}

/** The answer if it has come, else the previous snapshot's while it is worked on, else undefined. */
export function shownValue<T>(answered: Answered<T>): T | undefined {
  if (answered.state === 'done') return answered.value;
  return answered.state === 'working' ? answered.previous : undefined;
}

/** The answer if it has come, else undefined. */
export function answerValue<T>(answered: Answered<T>): T | undefined {
  return answered.state === 'done' ? answered.value : undefined;
}

/**
 * A screen's lines from an answer: "computing…" until it comes (the previous snapshot's answer,
 * if there is one, which the progress line says is being updated), its error if it failed.
 */
export function answerLines<T>(answered: Answered<T>, lines: (value: T) => string[]): string[] {
  switch (answered.state) {
    case 'done':
      return lines(answered.value);
    case 'failed':
      return [`could not compute this: ${answered.message}`];
    case 'working':
      return 'previous' in answered ? lines(answered.previous as T) : ['computing…'];
    default:
      return ['computing…'];
  }
}
