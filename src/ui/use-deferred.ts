import { useEffect, useMemo, useState } from 'react';

/** A value worth computing soon but not before the first frame: read it now, or once it is ready. */
export interface Deferred<T> {
  /** The value, computed now if it is not yet. */
  get(): T;
  /** The value if it has been computed, else undefined. */
  readonly ready: T | undefined;
}

/**
 * Computes a value `delayMs` after its input changes (once the UI has drawn), or on the first
 * get() if that comes sooner, and re-renders when it becomes ready.
 */
export function useDeferred<T, I>(compute: (input: I) => T, input: I, delayMs: number) {
  const [, setComputed] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the value depends on the input alone
  const cell = useMemo(() => {
    const state: { value?: T; done: boolean } = { done: false };
    return {
      state,
      get: () => {
        if (!state.done) {
          state.value = compute(input);
          state.done = true;
        }
        return state.value as T;
      },
    };
  }, [input]);
  useEffect(() => {
    const timer = setTimeout(() => {
      cell.get();
      setComputed((n) => n + 1);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [cell, delayMs]);
  return { get: cell.get, ready: cell.state.done ? cell.state.value : undefined } as Deferred<T>;
}
