import { UserError } from '../errors.js';
import { DEMO_VARIANTS, type DemoVariant } from '../io/demo/demo-variants.js';

/** The variant a bare `--demo` (or kubectl's `--demo=true`) names. */
const DEFAULT_DEMO: DemoVariant = 'calico';

/**
 * The command line with a bare `--demo` spelled `--demo=calico` and `--demo=false` left out
 * (up to `--`), so `--demo` can take a value only after `=`: a bare `--demo` never swallows the
 * positional argument that follows it, as `--demo production/api` has always meant.
 */
export function withDemoVariant(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end);
  return [
    ...options
      .filter((arg) => arg !== '--demo=false')
      .map((arg) => (arg === '--demo' || arg === '--demo=true' ? `--demo=${DEFAULT_DEMO}` : arg)),
    ...rest,
  ];
}

/** The `--demo` option's values, for completion. */
export const DEMO_CHOICES: readonly string[] = DEMO_VARIANTS;

/** The demo `--demo=VALUE` names; a UserError naming the choices for any other value. */
export function demoVariant(value: string): DemoVariant {
  const variant = DEMO_VARIANTS.find((name) => name === value);
  if (variant) return variant;
  throw new UserError(
    `--demo: no demo cluster "${value}": give --demo (Calico) or --demo=${DEMO_VARIANTS.filter((name) => name !== DEFAULT_DEMO).join(' or --demo=')}`,
  );
}

/** The flag that reads the given demo again, for suggested commands: `--demo`, `--demo=cilium`. */
export function demoFlag(variant: DemoVariant): string {
  return variant === DEFAULT_DEMO ? '--demo' : `--demo=${variant}`;
}
