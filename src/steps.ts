/** Work split into steps: a generator that yields between its steps and returns its result. */
export type Steps<T> = Generator<void, T, undefined>;

/** Runs every step at once and returns the result (no await: no turn of the event loop). */
export function runSteps<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** Runs the steps with `pause` awaited between them (the event loop may turn there). */
export async function runStepsInTurns<T>(steps: Steps<T>, pause: () => Promise<void>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    await pause();
    step = steps.next();
  }
  return step.value;
}
