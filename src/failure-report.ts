import { REPOSITORY } from './build-info.js';
import { UsageError, UserError } from './errors.js';
import { terminalMessage } from './render/terminal-text.js';

/** The exit code for errors, shared by every command (check uses 0/1 for verdicts). */
export const ERROR_EXIT = 2;

/** From this verbosity (`-v=6`, as kubectl's request tracing) an unexpected error shows its stack. */
export const STACK_VERBOSITY = 6;

/** Text on one line: each line break, with the blanks around it, becomes "; ". */
export function oneLine(text: string): string {
  return text
    .trim()
    .split(/\s*[\r\n]+\s*/)
    .join('; ');
}

function describe(value: unknown): { name: string; message: string } {
  if (value instanceof Error) return { name: value.name, message: value.message };
  try {
    return { name: typeof value, message: String(value) };
  } catch {
    // An object without a prototype (or with a throwing toString) has no text of its own.
    return { name: typeof value, message: Object.prototype.toString.call(value) };
  }
}

/**
 * What the user reads about a failure, ending in a newline. The user's own mistake is one
 * line. Our bug is one line saying how to get details, or, at `verbosity` 6 and above, that
 * line and the stack trace.
 */
export function failureReport(failure: unknown, verbosity: number): string {
  const described = describe(failure);
  const name = terminalMessage(described.name);
  const message = terminalMessage(oneLine(described.message));
  if (failure instanceof UsageError)
    return `error: ${message}\nSee '${failure.command} --help' for usage.\n`;
  if (failure instanceof UserError) return `error: ${message}\n`;
  const summary = `error: unexpected ${name}: ${message}`;
  if (verbosity < STACK_VERBOSITY) {
    const help = `run with -v=${STACK_VERBOSITY} for the stack trace; please report it at ${REPOSITORY}/issues`;
    return `${summary} (${help})\n`;
  }
  const stack = failure instanceof Error ? failure.stack : undefined;
  return stack ? `${summary}\n${terminalMessage(stack)}\n` : `${summary}\n`;
}
