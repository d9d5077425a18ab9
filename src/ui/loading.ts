import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ReadProgress } from '../io/manifests/read-paths.js';

/**
 * The most work the UI's thread does in one turn of its event loop while it loads, in ms: well
 * under a frame (17 ms at MAX_FPS), so frames and keys are served in between.
 */
export const LOADING_TURN_MS = 8;

/** Where the load of the first snapshot is: reading the files, or every file read and normalising. */
export type LoadingStage =
  | { readonly kind: 'reading'; readonly progress: ReadProgress }
  | { readonly kind: 'normalising'; readonly objects: number };

/**
 * "reading manifests: 120 of 445 files, 3.1 of 7.3 MB", "normalising 12,200 objects", or, before
 * either (or for another source), "loading…".
 */
export function loadingText(stage: LoadingStage | undefined): string {
  if (!stage) return 'loading…';
  if (stage.kind === 'normalising')
    return `read; normalising ${stage.objects.toLocaleString('en-US')} objects…`;
  const { progress } = stage;
  const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);
  return (
    `reading manifests: ${progress.filesRead} of ${progress.files} files, ` +
    `${mb(progress.bytesRead)} of ${mb(progress.bytes)} MB`
  );
}

/** Lets the event loop turn once (to draw, to read keys) before what follows. */
export function nextEventLoopTurn(): Promise<void> {
  return nextTurn();
}

/**
 * A pause for long work on the UI's thread, to call between its steps: it resolves at once
 * until `budgetMs` have passed since the last turn, then in the event loop's next turn.
 */
export function turnPacer(budgetMs = LOADING_TURN_MS, now = () => performance.now()) {
  let turnStart = now();
  return async (): Promise<void> => {
    if (now() - turnStart < budgetMs) return;
    await nextEventLoopTurn();
    turnStart = now();
  };
}
