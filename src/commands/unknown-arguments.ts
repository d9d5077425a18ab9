/** What yargs' strict mode reports: `Unknown argument: foo` or `Unknown arguments: foo, asGroup`. */
const UNKNOWN = /^Unknown arguments?: (.*)$/;

/** What yargs says of a flag given without its value: `Not enough arguments following: kubeconfig`. */
const MISSING_VALUE = /^Not enough arguments following: (.*)$/;

/** cobra's words for a flag given without its value: `flag needs an argument: --kubeconfig`. */
export function missingValueText(message: string): string | undefined {
  const name = MISSING_VALUE.exec(message)?.[1];
  if (name === undefined) return undefined;
  return `flag needs an argument: ${name.length === 1 ? `'${name}' in -${name}` : `--${name}`}`;
}

/** `as-group` as yargs also names it: `asGroup`. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * kubectl's words for yargs' "Unknown arguments" message: the first unknown flag or argument
 * as typed in `argv` (`unknown flag: --foo`, `unknown shorthand flag: 'x' in -xv`, `unknown
 * command "foo" for "kubectl netpol matrix"`); undefined for any other message.
 */
export function unknownArgumentText(
  message: string,
  argv: readonly string[],
  command: string,
): string | undefined {
  const listed = UNKNOWN.exec(message)?.[1];
  if (listed === undefined) return undefined;
  const unknown = new Set(listed.split(', '));
  for (const token of argv) {
    if (token === '--') break;
    if (token.startsWith('--')) {
      const name = token.slice(2).split('=')[0] ?? '';
      if (unknown.has(name) || unknown.has(camelCase(name))) return `unknown flag: --${name}`;
    } else if (/^-[^-\d]/.test(token)) {
      const letters = token.slice(1).split('=')[0] ?? '';
      const letter = [...letters].find((char) => unknown.has(char));
      if (letter) return `unknown shorthand flag: '${letter}' in ${token}`;
    } else if (unknown.has(token)) return `unknown command "${token}" for "${command}"`;
  }
  const first = [...unknown][0] ?? '';
  return first.length === 1
    ? `unknown shorthand flag: '${first}' in -${first}`
    : `unknown flag: --${first}`;
}

/** The command a yargs usage line names, without its positionals: `kubectl netpol check`. */
export function usageCommand(usage: string, scriptName: string): string {
  const line = usage.split('\n')[0] ?? '';
  return line
    .replace(/\$0/g, scriptName)
    .replace(/\s*[[<].*$/, '')
    .trim();
}
