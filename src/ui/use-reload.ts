import { type Dispatch, useState } from 'react';
import { errorMessage } from '../errors.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';
import { loadingText, pacedLoading } from './loading.js';
import type { SnapshotSource } from './sources.js';
import type { UiAction } from './state.js';

/** A reload of the source: whether one is under way, and how to start one. */
export interface Reload {
  /** A reload is under way: keys wait for its snapshot. */
  readonly reloading: boolean;
  /** Reads the source again and replaces the snapshot with what it read; says so, or why not. */
  reload(): Promise<void>;
}

/**
 * Reloads the source as the first load read it: manifests file by file, the event loop turning
 * between files so that frames and ctrl-c are served, the stage on the flash line
 * ("reloading: reading manifests: 71 of 200 files, …").
 */
export function useReload(
  source: SnapshotSource,
  replace: (input: LoadedInput) => void,
  dispatch: Dispatch<UiAction>,
): Reload {
  const [reloading, setReloading] = useState(false);
  const reload = () => {
    setReloading(true);
    const loading = pacedLoading((stage) =>
      dispatch({
        type: 'flash',
        flash: { level: 'info', text: `reloading: ${loadingText(stage)}` },
      }),
    );
    return source
      .reload(loading.listener)
      .then(
        (next) => {
          replace(next);
          dispatch({ type: 'flash', flash: { level: 'info', text: 'reloaded' } });
        },
        (error: unknown) =>
          dispatch({
            type: 'flash',
            flash: { level: 'error', text: `reload failed: ${errorMessage(error)}` },
          }),
      )
      .finally(() => {
        loading.stop();
        setReloading(false);
      });
  };
  return { reloading, reload };
}
