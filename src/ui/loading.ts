import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ListProgress } from '../io/cluster/load-cluster.js';
import type { ReadProgress } from '../io/manifests/read-paths.js';
import type { LoadingListener } from './sources.js';

/**
 * The most work the UI's thread does in one turn of its event loop while it loads, in ms: well
 * under a frame (17 ms at MAX_FPS), so frames and keys are served in between.
 */
export const LOADING_TURN_MS = 8;

/**
 * Where the load of a snapshot is: reading the files, or the cluster's lists, or every file or
 * list read and normalising.
 */
export type LoadingStage =
  | { readonly kind: 'reading'; readonly progress: ReadProgress }
  | { readonly kind: 'listing'; readonly progress: ListProgress }
  | { readonly kind: 'normalising'; readonly objects: number };

/**
 * "reading manifests: 120 of 445 files, 3.1 of 7.3 MB", "reading the cluster: 7 of 12 lists…",
 * "normalising 12,200 objects", or, before any (or for the demo), "loading…".
 */
export function loadingText(stage: LoadingStage | undefined): string {
  if (!stage) return 'loading…';
  if (stage.kind === 'normalising')
    return `read; normalising ${stage.objects.toLocaleString('en-US')} objects…`;
  if (stage.kind === 'listing')
    return `reading the cluster: ${stage.progress.listsRead} of ${stage.progress.lists} lists…`;
  const { progress } = stage;
  const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);
  return (
    `reading manifests: ${progress.filesRead} of ${progress.files} files, ` +
    `${mb(progress.bytesRead)} of ${mb(progress.bytes)} MB`
  );
}

/**
 * The objects a page of the cluster's lists holds at most while the UI reads it: the UI's thread
 * parses each page in one turn, about 10 ms per 100 pods of 5 KB, against 25-50 ms at the
 * commands' 500.
 */
export const LIVE_PAGE_SIZE = 100;

/**
 * How often the loading screen is redrawn while files are read, in ms (as the progress line
 * counts). Each redraw costs a few ms of CPU: at 10,000 pods, drawing every 50 ms made the
 * launch cost about 200 ms more CPU than drawing once.
 */
export const LOADING_FRAME_MS = 250;

/** Draws the loading screen's stages, at most once every LOADING_FRAME_MS. */
export interface LoadingDrawer {
  /** Draws the stage now if the interval has passed since the last draw, else once it has (the latest stage then). */
  soon(stage: LoadingStage): void;
  /** Draws the stage now, dropping any draw pending. */
  now(stage: LoadingStage): void;
  /** Drops any draw pending (the load ended or failed). */
  cancel(): void;
}

/** A LoadingDrawer for `draw`, with its interval (LOADING_FRAME_MS unless told). */
export function loadingDrawer(
  draw: (stage: LoadingStage) => void,
  everyMs = LOADING_FRAME_MS,
): LoadingDrawer {
  let last = Number.NEGATIVE_INFINITY;
  let pending: LoadingStage | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  const drawNow = (stage: LoadingStage) => {
    cancel();
    last = performance.now();
    draw(stage);
  };
  return {
    soon(stage) {
      pending = stage;
      if (timer) return;
      const wait = last + everyMs - performance.now();
      if (wait <= 0) drawNow(stage);
      else timer = setTimeout(() => pending && drawNow(pending), wait);
    },
    now: drawNow,
    cancel,
  };
}

/**
 * Lets the event loop turn once (to draw, to read keys) before what follows: what follows runs
 * after the loop has polled for input. One setImmediate is not enough from an I/O callback (a
 * file read, a module loaded): its callback runs in the same turn, before keys typed meanwhile
 * are read; a second one, set from the first, runs only after the next poll.
 */
export async function nextEventLoopTurn(): Promise<void> {
  await nextTurn();
  await nextTurn();
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

/** A load's listener that draws its stages and paces it, and how to stop drawing once it ends. */
export interface PacedLoading {
  readonly listener: LoadingListener;
  /** Drops any draw pending (the load ended or failed). */
  stop(): void;
}

/**
 * Paces a load on the UI's thread: the event loop turns whenever LOADING_TURN_MS of work have
 * passed between files, between a file's documents or objects, and before the normalising
 * ends; `draw` is given each stage, at most once every LOADING_FRAME_MS (the normalising stage
 * at once). A cluster is read in pages of LIVE_PAGE_SIZE.
 */
export function pacedLoading(draw: (stage: LoadingStage) => void): PacedLoading {
  const pace = turnPacer();
  const drawer = loadingDrawer(draw);
  return {
    listener: {
      fileRead: (progress) => {
        drawer.soon({ kind: 'reading', progress });
        return pace();
      },
      listRead: (progress) => drawer.soon({ kind: 'listing', progress }),
      pace,
      normalising: (objects) => {
        drawer.now({ kind: 'normalising', objects });
        return nextEventLoopTurn();
      },
      pageSize: LIVE_PAGE_SIZE,
    },
    stop: drawer.cancel,
  };
}
