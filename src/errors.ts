/** A mistake in what the user asked or gave us: reported in one line, exit code 2. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

/** Saving would replace a file that exists; the user must confirm (or pass --force). */
export class FileExistsError extends UserError {
  override readonly name = 'FileExistsError';
}

/** Error classes whose messages are the user's own mistake, said in one line (exit code 2). */
export const USER_MISTAKE_NAMES: ReadonlySet<string> = new Set(['UserError', 'FileExistsError']);

/** The message of anything thrown, for one line of a report. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
