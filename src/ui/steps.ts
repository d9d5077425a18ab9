import { runSteps, runStepsInTurns, type Steps } from '../steps.js';

/** How many objects a step of the lists' work goes through (about a millisecond's worth). */
export const OBJECTS_PER_STEP = 1000;

/** A value worked out once per key, from its steps, at once or with pauses between them. */
export interface StepwiseValue<K extends object, T> {
  /** The key's value: the one already worked out, else every step now. */
  now(key: K): T;
  /** The key's value, `pause` awaited between its steps (the event loop turns there). */
  inTurns(key: K, pause: () => Promise<void>): Promise<T>;
}

/**
 * Keeps the value `steps` work out for each key (weakly: it goes with the key), so that work done
 * ahead in turns of the event loop is not done again when the value is asked for at once.
 */
export function stepwiseValue<K extends object, T>(
  steps: (key: K) => Steps<T>,
): StepwiseValue<K, T> {
  const values = new WeakMap<K, T>();
  const kept = (key: K, value: T) => {
    values.set(key, value);
    return value;
  };
  return {
    now(key) {
      if (values.has(key)) return values.get(key) as T;
      return kept(key, runSteps(steps(key)));
    },
    async inTurns(key, pause) {
      if (values.has(key)) return values.get(key) as T;
      return kept(key, await runStepsInTurns(steps(key), pause));
    },
  };
}
