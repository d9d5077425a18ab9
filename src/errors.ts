/** A mistake in what the user asked or gave us: reported in one line, exit code 2. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Error classes whose messages are the user's own mistake, said in one line (exit code 2). */
export const USER_MISTAKE_NAMES: ReadonlySet<string> = new Set([
  'UserError',
  'TargetError',
  'TemplateArgsError',
  'SelectorSyntaxError',
  'PortSyntaxError',
]);
