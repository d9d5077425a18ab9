import type { AnalystQuestion } from './questions.js';

/** What the UI thread sends the analyst's worker. */
export type ToWorker =
  /**
   * The snapshot, serialised in parts (see snapshot-parts.ts); `warm` builds its peer index at
   * once, for the pod details and matrices to come.
   */
  | { readonly type: 'load'; readonly parts: readonly Uint8Array[]; readonly warm: boolean }
  | { readonly type: 'ask'; readonly id: number; readonly question: AnalystQuestion };

/**
 * What the worker sends back: one answer or one error per question. The answer comes in parts
 * (see value-parts.ts), which the UI's thread deserialises a few at a time between its keys.
 */
export type FromWorker =
  | { readonly id: number; readonly answer: readonly Uint8Array[] }
  | { readonly id: number; readonly error: string };
