import type { CniDetection } from '../../engine/index.js';
import type { SharedParts } from './shared-parts.js';

/** What the UI thread sends the analyst's worker. */
export type ToWorker =
  /**
   * The snapshot, serialised in parts in shared memory (see snapshot-parts.ts); `warm` builds
   * its peer index as soon as it can. With `pluginSent`, its network plugin comes in a 'plugin'
   * message (the other worker detects it), and questions wait for it.
   */
  | {
      readonly type: 'load';
      readonly parts: SharedParts;
      readonly warm: boolean;
      readonly pluginSent: boolean;
    }
  /** The loaded snapshot's network plugin; none when its detection failed (the worker detects it). */
  | { readonly type: 'plugin'; readonly cni?: CniDetection }
  /** A question, serialised in parts in shared memory (nestedParts: it may carry a huge object). */
  | { readonly type: 'ask'; readonly id: number; readonly question: SharedParts };

/**
 * What the worker sends back: one answer or one error per question. The answer comes in parts
 * in shared memory (see value-parts.ts), which the UI's thread deserialises a few at a time
 * between its keys.
 */
export type FromWorker =
  | { readonly id: number; readonly answer: SharedParts }
  | { readonly id: number; readonly error: string };
