import type { AnalystQuestion } from './questions.js';
import type { SharedParts } from './shared-parts.js';

/** What the UI thread sends the analyst's worker. */
export type ToWorker =
  /**
   * The snapshot, serialised in parts in shared memory (see snapshot-parts.ts); `warm` builds
   * its peer index at once, for the pod details and matrices to come.
   */
  | { readonly type: 'load'; readonly parts: SharedParts; readonly warm: boolean }
  | { readonly type: 'ask'; readonly id: number; readonly question: AnalystQuestion };

/**
 * What the worker sends back: one answer or one error per question. The answer comes in parts
 * in shared memory (see value-parts.ts), which the UI's thread deserialises a few at a time
 * between its keys.
 */
export type FromWorker =
  | { readonly id: number; readonly answer: SharedParts }
  | { readonly id: number; readonly error: string };
