/** A mistake in what the user asked or gave us: reported in one line, exit code 2. */
export class UserError extends Error {
  override readonly name = 'UserError';
}
