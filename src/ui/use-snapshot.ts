import { type Dispatch, useEffect, useState } from 'react';
import type { LoadedInput } from '../io/normalize/loaded-input.js';
import { findingText } from '../render/findings.js';
import type { SnapshotSource } from './sources.js';
import type { Flash, UiAction } from './state.js';

/** The snapshot on screen, when it arrived, and how to replace it (after a reload). */
export interface Snapshot {
  readonly input: LoadedInput;
  readonly updated: Date;
  replace(input: LoadedInput): void;
}

/** The flash line's condition for a snapshot's problems: the first error, else the first warning. */
function problemsFlash(input: LoadedInput): Flash | undefined {
  const problems = input.findings.filter((f) => f.severity !== 'info');
  const first = problems.find((f) => f.severity === 'error') ?? problems[0];
  if (!first) return undefined;
  const count =
    problems.length === 1 ? '' : `${problems.length} problems (explain lists them); first: `;
  return {
    level: first.severity === 'error' ? 'error' : 'warning',
    text: `${count}${findingText(first)}`,
  };
}

/**
 * The latest snapshot of a source, kept up to date by its watches. Its problems, and each lost
 * watch, are conditions on the flash line that hold until a snapshot or the watch clears them.
 */
export function useSnapshot(
  source: SnapshotSource,
  clock: () => Date,
  dispatch: Dispatch<UiAction>,
): Snapshot {
  const [snapshot, setSnapshot] = useState(() => ({ input: source.initial, updated: clock() }));
  const replace = (input: LoadedInput) => setSnapshot({ input, updated: clock() });

  useEffect(() => {
    dispatch({ type: 'condition', source: 'snapshot', flash: problemsFlash(snapshot.input) });
  }, [snapshot.input, dispatch]);

  useEffect(
    () =>
      source.watch?.({
        onSnapshot: (next) => setSnapshot({ input: next, updated: clock() }),
        onWatchError: (text, watch) =>
          dispatch({
            type: 'condition',
            source: `watch ${watch}`,
            flash: { level: 'warning', text },
          }),
        onWatchRecovered: (watch) =>
          dispatch({ type: 'condition', source: `watch ${watch}`, flash: undefined }),
      }),
    [source, clock, dispatch],
  );

  return { ...snapshot, replace };
}
