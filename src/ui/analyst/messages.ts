import type { AnalystQuestion, AnalystSnapshot } from './questions.js';

/** What the UI thread sends the analyst's worker. */
export type ToWorker =
  | { readonly type: 'load'; readonly snapshot: AnalystSnapshot }
  | { readonly type: 'ask'; readonly id: number; readonly question: AnalystQuestion };

/** What the worker sends back: one answer or one error per question. */
export type FromWorker =
  | { readonly id: number; readonly answer: unknown }
  | { readonly id: number; readonly error: string };
