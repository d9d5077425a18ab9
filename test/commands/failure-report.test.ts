import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/errors.js';
import { failureReport } from '../../src/failure-report.js';
import { runCli } from '../helpers/cli.js';

// A bug of ours, planted: the table renderer throws, with a line break in its message.
function brokenTable(): never {
  throw new TypeError('cannot lay out the table:\n  row 3 has no cells');
}
vi.mock('../../src/render/table.js', () => ({ table: brokenTable, tableLines: brokenTable }));

const REPORT_HINT =
  '(run with -v=6 for the stack trace; please report it at https://github.com/kubectl-netpol/kubectl-netpol/issues)';
const UNEXPECTED = 'error: unexpected TypeError: cannot lay out the table:; row 3 has no cells';

describe('an unexpected error in a command', () => {
  it.each([[[]], [['-v=5']]])('is one line saying how to get details (%j)', async (flags) => {
    const run = await runCli(['matrix', '--demo', ...flags]);
    expect(run.stderr).toBe(`${UNEXPECTED} ${REPORT_HINT}\n`);
    expect(run.stderr).not.toMatch(/^ {4}at /m);
    expect(run.exitCode).toBe(2);
  });

  it.each([[['-v=6']], [['-v', '6']], [['--v=6']], [['--v', '9']], [['-v6']]])(
    'comes with its stack trace when asked with %j',
    async (flags) => {
      const run = await runCli(['matrix', '--demo', ...flags]);
      const [first, ...stack] = run.stderr.trimEnd().split('\n');
      expect(first).toBe(UNEXPECTED);
      expect(stack[0]).toBe('TypeError: cannot lay out the table:');
      expect(stack).toContainEqual(expect.stringMatching(/^ {4}at brokenTable /));
      expect(run.exitCode).toBe(2);
    },
  );
});

describe('a mistake of the user', () => {
  it('is one line, even when it lists several problems', async () => {
    const run = await runCli(
      ['scaffold', 'allow', '--demo', '-n', 'shop', '--to', 'app=a', '--port', '0'].concat([
        '--port',
        '99999',
        '--from',
        'app=b',
      ]),
    );
    expect(run.stderr).toBe(
      'error: networkpolicy shop/allow-a-ingress-from-b-0-99999: spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive; ' +
        'networkpolicy shop/allow-a-ingress-from-b-0-99999: spec.ingress[0].ports[1].port: Invalid value: 99999: must be between 1 and 65535, inclusive\n',
    );
    expect(run.exitCode).toBe(2);
  });

  it.each([
    [['matrix', '--demo', '--kubeconfig'], 'flag needs an argument: --kubeconfig'],
    [['matrix', '--demo', '-v'], "flag needs an argument: 'v' in -v"],
    [['matrix', '--demo', '-v=x'], '-v: the log level is a whole number, 0 or more (e.g. -v=6)'],
  ])('in the options (%j) is said as such, not as our bug', async (args, message) => {
    expect(await runCli(args)).toMatchObject({
      exitCode: 2,
      stderr: `error: ${message}\nSee 'kubectl netpol matrix --help' for usage.\n`,
    });
  });
});

describe('failureReport', () => {
  it('words what is thrown that is not an Error', () => {
    expect(failureReport('a string\nthrown', 0)).toBe(
      `error: unexpected string: a string; thrown ${REPORT_HINT}\n`,
    );
    expect(failureReport(Object.create(null), 6)).toBe(
      'error: unexpected object: [object Object]\n',
    );
  });

  it('collapses the lines of a user mistake, with their indentation', () => {
    expect(failureReport(new UserError('first\r\n   second\n\nthird\n'), 9)).toBe(
      'error: first; second; third\n',
    );
  });
});
