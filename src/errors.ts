/** A mistake in what the user asked or gave us: reported in one line, exit code 2. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

/** A command line yargs or kubectl's conventions reject: reported with where to read usage. */
export class UsageError extends UserError {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The command whose `--help` tells its usage: `kubectl netpol matrix`. */
    readonly command: string,
  ) {
    super(message);
  }
}

/** Saving would replace a file that exists; the user must confirm (or pass --force). */
export class FileExistsError extends UserError {
  override readonly name = 'FileExistsError';
}

/** Error classes whose messages are the user's own mistake, said in one line (exit code 2). */
export const USER_MISTAKE_NAMES: ReadonlySet<string> = new Set([
  'UserError',
  'UsageError',
  'FileExistsError',
  'ApplyConflictError',
]);

/** The message of anything thrown, for one line of a report. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The words for a failed file-system call, as the OS says them: "no such file or directory". */
export function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return errorMessage(error);
}
