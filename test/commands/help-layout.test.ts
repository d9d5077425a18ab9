import { describe, expect, it } from 'vitest';
import { kubectlHelp, optionNames } from '../../src/commands/help-layout.js';
import { missingValueText, unknownArgumentText } from '../../src/commands/unknown-arguments.js';

/** Help as yargs writes it for a command with subcommands, positionals, notes and examples. */
const YARGS_HELP = `kubectl netpol tool <target>

do a thing

Commands:
  kubectl netpol tool first   the first subcommand, whose summary is long enough to
                              wrap onto a second line
  kubectl netpol tool second  the second                                      [default]

Positionals:
  target  what to do it to                                                   [string]

Options:
  -n, --namespace   a namespace                                              [string]
      --kubeconfig  a file                                                   [string]
  -v                log level                                   [number] [default: 0]
  -p, --port        a port, described at a length that makes yargs wrap it onto
                    its next line                                            [string]
  -h, --help        Show help                                               [boolean]

A note about the command.

Examples:
  # one
  kubectl netpol tool x

  # two
  kubectl netpol tool y
`;

describe('kubectlHelp', () => {
  const help = kubectlHelp(
    YARGS_HELP,
    'kubectl netpol',
    new Set(['n', 'namespace', 'kubeconfig', 'v']),
  );

  it('orders the parts as kubectl: description, commands, examples, arguments, options, usage', () => {
    const headers = help.split('\n').filter((line) => /^[A-Z][\w ]*:$/.test(line));
    expect(headers).toEqual([
      'Available Commands:',
      'Examples:',
      'Arguments:',
      'Options:',
      'Usage:',
    ]);
    expect(
      help.startsWith('do a thing\n\nA note about the command.\n\nAvailable Commands:\n'),
    ).toBe(true);
    expect(help).toContain(
      '  # one\n  kubectl netpol tool x\n\n  # two\n  kubectl netpol tool y\n',
    );
  });

  it('names subcommands alone, their summaries unwrapped and without [default]', () => {
    expect(help).toContain(
      '  first    the first subcommand, whose summary is long enough to wrap onto a second line\n  second   the second\n',
    );
  });

  it('keeps the command’s own options, with their continuation lines, and drops global ones and --help', () => {
    expect(help).toContain(
      'Options:\n  -p, --port        a port, described at a length that makes yargs wrap it onto\n                    its next line',
    );
    for (const gone of ['--namespace', '--kubeconfig', 'log level', '-h, --help'])
      expect(help).not.toContain(gone);
  });

  it('ends with the usage line and the pointers to subcommand help and global options', () => {
    expect(
      help.endsWith(
        'Usage:\n  kubectl netpol tool [command] [options]\n\n' +
          'Use "kubectl netpol tool <command> --help" for more information about a given command.\n' +
          'Use "kubectl netpol options" for a list of global command-line options (applies to all commands).\n',
      ),
    ).toBe(true);
  });

  it('reads the names of an options listing, short and long', () => {
    expect([...optionNames(YARGS_HELP)]).toEqual([
      'n',
      'namespace',
      'kubeconfig',
      'v',
      'p',
      'port',
      'h',
      'help',
    ]);
  });
});

describe('kubectl words for a rejected command line', () => {
  it('names the first unknown flag as typed, not yargs’ camelCase copy', () => {
    expect(
      unknownArgumentText('Unknown arguments: as-group, asGroup, x', ['--as-group=a', '-x'], 'k'),
    ).toBe('unknown flag: --as-group');
    expect(unknownArgumentText('Unknown arguments: x, bar', ['-xy', 'bar'], 'kubectl netpol')).toBe(
      "unknown shorthand flag: 'x' in -xy",
    );
    expect(
      unknownArgumentText('Unknown argument: bar', ['-n', 'ns', 'bar'], 'kubectl netpol'),
    ).toBe('unknown command "bar" for "kubectl netpol"');
    expect(unknownArgumentText('Invalid values: ...', ['--x'], 'k')).toBeUndefined();
  });

  it('says a flag lacks its value as cobra does', () => {
    expect(missingValueText('Not enough arguments following: save')).toBe(
      'flag needs an argument: --save',
    );
    expect(missingValueText('Not enough arguments following: v')).toBe(
      "flag needs an argument: 'v' in -v",
    );
  });
});
