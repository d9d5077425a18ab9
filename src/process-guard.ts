import { ERROR_EXIT, failureReport, STACK_VERBOSITY } from './failure-report.js';

/** How a shell reports a program that wrote to a closed pipe (128 + SIGPIPE), as kubectl. */
export const CLOSED_OUTPUT_EXIT = 141;

let verbosity = 0;
const restorers = new Set<() => void>();

/** Whether this process runs the program (guardProcess): its source maps are ours to set. */
let guarded = false;

/**
 * Sets the verbosity (`-v`) that reports of failures follow. Below STACK_VERBOSITY no stack is
 * printed, so the source maps bin/kubectl-netpol turned on (Node reads a module's map only if
 * they are on as it loads) go off: with them on, the first stack read anywhere (Node reads one
 * for every socket it closes) parses the bundle's 3 MB map, about half a second.
 */
export function setFailureVerbosity(level: number): void {
  verbosity = level;
  if (guarded && level < STACK_VERBOSITY) process.setSourceMapsEnabled(false);
}

/**
 * Registers how to give the terminal back (the TUI's alternate screen, raw mode, hidden
 * cursor) before a failure is printed, so the report lands where the user can read it.
 * Returns the function that unregisters it.
 */
export function restoreBeforeReport(restore: () => void): () => void {
  restorers.add(restore);
  return () => restorers.delete(restore);
}

function endWith(failure: unknown): never {
  for (const restore of restorers) {
    try {
      restore();
    } catch {
      // The failure may have broken what restores the terminal; report it all the same.
    }
  }
  restorers.clear();
  process.stderr.write(failureReport(failure, verbosity));
  process.exit(ERROR_EXIT);
}

function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/**
 * Ends the process on what no command can catch (an uncaught exception or unhandled
 * rejection from a stream or a timer, an error writing output) with the same one-line
 * report as a command's failure. A reader that went away (`| head -1`) ends it quietly.
 */
export function guardProcess(): void {
  guarded = true;
  process.on('uncaughtException', endWith);
  process.on('unhandledRejection', endWith);
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) =>
      isClosedPipe(error) ? process.exit(CLOSED_OUTPUT_EXIT) : endWith(error),
    );
  }
}
