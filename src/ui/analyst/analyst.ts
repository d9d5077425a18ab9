import type { AnalystQuestion, AnalystSnapshot, AnswerTo } from './questions.js';

/** A question being worked on: its answer, unless it is cancelled first. */
export interface AnalystJob<T> {
  /** Settles with the answer; never settles once cancelled or superseded by a newer snapshot. */
  readonly answer: Promise<T>;
  /** Drops the question (its answer, if it comes, is discarded). */
  cancel(): void;
}

/**
 * Answers the UI's heavy questions (audit, pod exposure, policy view, matrix, scaffold preview)
 * away from its keys, one at a time, in the order asked.
 */
export interface Analyst {
  /**
   * Asks a question about a snapshot. A snapshot other than the last one asked about replaces
   * it: every question about the old one is dropped, and the work under way is stopped.
   */
  ask<Q extends AnalystQuestion>(snapshot: AnalystSnapshot, question: Q): AnalystJob<AnswerTo<Q>>;
  /** Makes a snapshot the one questions are about, before any is asked (it compiles meanwhile). */
  prepare(snapshot: AnalystSnapshot): void;
  /** Stops all work for good. */
  close(): void;
}

/** What does the work for an analyst: in this thread or in a worker. */
export interface AnalystRunner {
  /** Makes a snapshot the one later questions are about. */
  load(snapshot: AnalystSnapshot): void;
  /**
   * Answers one question about the loaded snapshot; once `cancelled` says so, it may give up
   * (settling with anything: the answer is dropped).
   */
  run(question: AnalystQuestion, cancelled: () => boolean): Promise<unknown>;
  /** Abandons the question being answered, if it can (a worker is restarted). */
  abandon(): void;
  close(): void;
}

interface QueuedJob {
  readonly question: AnalystQuestion;
  readonly resolve: (answer: unknown) => void;
  readonly reject: (error: unknown) => void;
  live: boolean;
}

/** An analyst that hands its runner one question at a time, dropping cancelled ones unasked. */
export function queuedAnalyst(runner: AnalystRunner): Analyst {
  let snapshot: AnalystSnapshot | undefined;
  let queue: QueuedJob[] = [];
  let running: QueuedJob | undefined;

  const next = () => {
    if (running) return;
    const job = queue.shift();
    if (!job) return;
    running = job;
    const settle = (outcome: () => void) => {
      if (running !== job) return; // abandoned for a newer snapshot
      running = undefined;
      if (job.live) outcome();
      next();
    };
    runner
      .run(job.question, () => !job.live)
      .then(
        (answer) => settle(() => job.resolve(answer)),
        (error: unknown) => settle(() => job.reject(error)),
      );
  };

  const prepare = (asked: AnalystSnapshot) => {
    if (asked === snapshot) return;
    for (const job of queue) job.live = false;
    queue = [];
    if (running) {
      running.live = false;
      running = undefined;
      runner.abandon();
    }
    snapshot = asked;
    runner.load(asked);
  };

  return {
    prepare,
    ask<Q extends AnalystQuestion>(asked: AnalystSnapshot, question: Q) {
      prepare(asked);
      let job: QueuedJob | undefined;
      const answer = new Promise<AnswerTo<Q>>((resolve, reject) => {
        job = { question, resolve: resolve as (answer: unknown) => void, reject, live: true };
      });
      const queued = job as QueuedJob;
      queue.push(queued);
      next();
      return {
        answer,
        cancel: () => {
          queued.live = false;
          queue = queue.filter((other) => other !== queued);
        },
      };
    },
    close: () => {
      queue = [];
      running = undefined;
      runner.close();
    },
  };
}

/**
 * Two analysts side by side: the network plugin, the lists' rows, then the audit, which runs long after every
 * snapshot, and its findings on one (whose worker does not build the peer index first); every
 * question a key asks (a pod's detail, a policy, the matrix, a preview) on the other, so that
 * none waits for the audit.
 */
export function lanedAnalyst(background: Analyst, foreground: Analyst): Analyst {
  const both = [background, foreground];
  return {
    ask: (snapshot, question) => {
      for (const lane of both) lane.prepare(snapshot);
      const behind = ['network-plugin', 'cluster-view', 'audit', 'audit-finding'].includes(
        question.kind,
      );
      return (behind ? background : foreground).ask(snapshot, question);
    },
    prepare: (snapshot) => {
      for (const lane of both) lane.prepare(snapshot);
    },
    close: () => {
      for (const lane of both) lane.close();
    },
  };
}
