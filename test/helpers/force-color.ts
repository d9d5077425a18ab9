/**
 * Import first in a test file that checks colour output: ink's colour library decides once, at
 * load time, whether to emit colour, and a test worker's stdout is not a terminal. Call
 * restoreColorEnv() once the imports are done, so later test files in the same worker see the
 * environment they expect.
 */
const previous = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = '1';

/** Puts FORCE_COLOR back as it was; the colour level ink already picked stays. */
export function restoreColorEnv(): void {
  if (previous === undefined) delete process.env.FORCE_COLOR;
  else process.env.FORCE_COLOR = previous;
}
