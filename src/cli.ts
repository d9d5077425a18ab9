import yargs, { type Argv } from 'yargs';
import { versionText } from './build-info.js';
import { type AuditArgs, auditBuilder } from './commands/audit-options.js';
import { type CheckArgs, checkBuilder } from './commands/check-options.js';
import { runComplete } from './commands/complete.js';
import {
  type CompletionArgs,
  completionBuilder,
  runCompletion,
  yargsCandidates,
  yargsCompletionArgs,
} from './commands/completion.js';
import { isCompletionRequest } from './commands/completion-request.js';
import type { CompletionContext } from './commands/completion-table.js';
import { demoVariant, withDemoVariant } from './commands/demo-flag.js';
import { type DiffArgs, diffBuilder } from './commands/diff-options.js';
import { kubectlExamples } from './commands/examples.js';
import { type ExplainArgs, explainBuilder } from './commands/explain-options.js';
import { kubectlHelp, optionNames, optionsParagraph } from './commands/help-layout.js';
import { filterSelectorOption } from './commands/listing-options.js';
import { type MatrixArgs, matrixBuilder } from './commands/matrix-options.js';
import { scaffoldBuilder } from './commands/scaffold-options.js';
import { guardedTerminal } from './commands/terminal.js';
import {
  missingValueText,
  unknownArgumentText,
  usageCommand,
} from './commands/unknown-arguments.js';
import { UsageError, UserError } from './errors.js';
import { ERROR_EXIT, failureReport, STACK_VERBOSITY } from './failure-report.js';
import { requestTimeoutMs } from './io/cluster/duration.js';
import type { Terminal } from './io/terminal.js';
import { setFailureVerbosity } from './process-guard.js';
import { parseCidrList } from './syntax/cidr-syntax.js';
import type { TuiOptions } from './ui/run.js';

/**
 * kubectl's global options (the generic set): `kubectl netpol options` lists them, and a
 * command's help points there instead of repeating them.
 */
export function globalOptions<T>(parser: Argv<T>) {
  return parser
    .option('namespace', {
      alias: 'n',
      type: 'string',
      describe: 'namespace for names given without one, and to narrow listings',
    })
    .option('kubeconfig', {
      type: 'string',
      requiresArg: true,
      describe: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)',
    })
    .option('context', { type: 'string', requiresArg: true, describe: 'kubeconfig context to use' })
    .option('cluster', { type: 'string', requiresArg: true, describe: 'kubeconfig cluster to use' })
    .option('user', { type: 'string', requiresArg: true, describe: 'kubeconfig user to use' })
    .option('server', {
      alias: 's',
      type: 'string',
      requiresArg: true,
      describe: 'address and port of the Kubernetes API server',
    })
    .option('token', {
      type: 'string',
      requiresArg: true,
      describe: 'bearer token for authentication to the API server',
    })
    .option('as', { type: 'string', requiresArg: true, describe: 'user to impersonate' })
    .option('as-group', {
      type: 'string',
      requiresArg: true,
      // Not `array: true`, which would swallow the positional arguments that follow.
      coerce: (value: string | string[]) => (Array.isArray(value) ? value : [value]),
      describe: 'group to impersonate (needs --as)',
    })
    .option('as-uid', { type: 'string', requiresArg: true, describe: 'UID to impersonate' })
    .option('certificate-authority', {
      type: 'string',
      requiresArg: true,
      describe: 'path to a cert file for the certificate authority',
    })
    .option('client-certificate', {
      type: 'string',
      requiresArg: true,
      describe: 'path to a client certificate file for TLS',
    })
    .option('client-key', {
      type: 'string',
      requiresArg: true,
      describe: 'path to a client key file for TLS',
    })
    .option('insecure-skip-tls-verify', {
      type: 'boolean',
      describe: "don't check the server's certificate (makes HTTPS connections insecure)",
    })
    .option('tls-server-name', {
      type: 'string',
      requiresArg: true,
      describe: 'server name to use for certificate validation (default: the server host)',
    })
    .option('request-timeout', {
      type: 'string',
      requiresArg: true,
      describe: 'time to wait for each API request (e.g. 5s, 1m; 0: no limit)',
      defaultDescription: '30s',
      // Refused as it is read, as kubectl does, even where no request is made (-f, --demo).
      coerce: (value: string) => {
        requestTimeoutMs(value);
        return value;
      },
    })
    .option('cache-dir', {
      type: 'string',
      describe:
        'cache directory; parsed manifests are kept in <dir>/netpol/manifests; "" turns that off',
      defaultDescription: '$KUBECACHEDIR, else ~/.kube/cache',
    })
    .option('v', {
      type: 'number',
      requiresArg: true,
      default: 0,
      coerce: (level: number) => {
        if (Number.isInteger(level) && level >= 0) return level;
        throw new UserError('-v: the log level is a whole number, 0 or more (e.g. -v=6)');
      },
      describe: `log level (kubectl's -v); ${STACK_VERBOSITY} or more logs each API request (method, URL, status, time) to stderr and adds the stack trace to an unexpected error`,
    });
}

/** The options inputOptions declares. */
const INPUT_OPTIONS = [
  'filename',
  'demo',
  'all-namespaces',
  'ignore-unmodelled',
  'pod-cidr',
  'assume-enforced',
];

/** A command that reads no input (completion, options): its help leaves the input options out. */
function withoutInput<T>(parser: Argv<T>): Argv<T> {
  return INPUT_OPTIONS.reduce((hidden, key) => hidden.hide(key), parser);
}

/** The options that say what to analyse and how (INPUT_OPTIONS): shown in each command's help. */
function inputOptions<T>(parser: Argv<T>) {
  return parser
    .option('filename', {
      alias: 'f',
      type: 'string',
      requiresArg: true,
      // Not `array: true`: that would swallow the positional arguments that follow -f PATH.
      coerce: (value: string | string[]) => (Array.isArray(value) ? value : [value]),
      describe: 'manifest file or directory (recursive); - for stdin; repeatable',
    })
    .option('demo', {
      type: 'string',
      // Given twice (`npm run demo -- --demo=cilium`), the last one counts, as in kubectl.
      coerce: (value: string | string[]) => demoVariant([value].flat().at(-1) ?? ''),
      describe:
        'analyse a built-in demo cluster: --demo (Calico) or --demo=cilium (Cilium, with L7, FQDN, deny and entity rules)',
    })
    .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'list every namespace' })
    .option('ignore-unmodelled', {
      type: 'boolean',
      describe:
        'answer as if policies of kinds the engine does not evaluate (Cilium, Calico, ...) did not exist, instead of UNKNOWN',
    })
    .option('pod-cidr', {
      type: 'string',
      requiresArg: true,
      coerce: (value: string | string[]) => {
        const parsed = parseCidrList((Array.isArray(value) ? value : [value]).join(','));
        if (parsed.ok) return parsed.value;
        throw new UserError(`--pod-cidr: ${parsed.error}`);
      },
      describe:
        "the cluster's pod address ranges (CIDR[,CIDR]), for pods whose IP is unknown; added to the Nodes' podCIDRs",
    })
    .option('assume-enforced', {
      type: 'boolean',
      describe:
        "give the policies' verdict even when the network plugin does not enforce NetworkPolicies",
    });
}

/** The help of `kubectl netpol options`: kubectl's global options, as yargs lays them out. */
async function globalOptionsHelp(): Promise<string> {
  return globalOptions(yargs([]))
    .help(false)
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .getHelp();
}

/** A help text of yargs in kubectl's layout, without the global options. */
async function helpText(help: string, scriptName: string): Promise<string> {
  return kubectlHelp(help, scriptName, optionNames(await globalOptionsHelp()));
}

/** `kubectl netpol options`: the global options, as `kubectl options` lists them. */
async function runOptions(_args: unknown, terminal: Terminal): Promise<number> {
  const options = optionsParagraph(await globalOptionsHelp());
  await terminal.out(`The following options can be passed to any command:\n\n${options}\n`);
  return 0;
}

/** What yargs hands a fail handler: its usage, whose first line names the command. */
interface YargsUsage {
  getUsage(): [usage: string, description: string][];
}

/** The bare command: the interactive UI, or with --version the version. */
async function runBare(args: TuiOptions & { version?: boolean }, terminal: Terminal) {
  if (!args.version) return (await import('./ui/run.js')).runTui(args, terminal);
  await terminal.out(versionText());
  return 0;
}

/** The part of yargs's internals that lays out a command's help text as the command runs. */
interface YargsInternals {
  getInternalMethods?(): { getUsageInstance(): { cacheHelpMessage(): void } };
}

/**
 * Stops yargs from laying out the running command's whole help text (every option's width
 * measured, 50-100 ms) as each command starts, which it keeps for a `showHelp()` from an async
 * handler: ours never call it, and --help builds its text when asked.
 */
function withoutHelpCache(parser: unknown): void {
  const usage = (parser as YargsInternals).getInternalMethods?.().getUsageInstance();
  if (usage) usage.cacheHelpMessage = () => {};
}

/** How the parser runs a command: `load` imports the command's code when it runs. */
type Runner = <A>(
  load: () => Promise<(args: A, terminal: Terminal) => Promise<number>>,
) => (args: A) => Promise<void>;

/**
 * The command line's parser for `args` (a parser that completes is made with the completion
 * arguments: yargs re-reads them when it descends into a command). `given` is the command line
 * as typed, for error messages; `onVerbosity` receives -v before a command runs.
 */
function commandLine(
  args: readonly string[],
  given: readonly string[],
  scriptName: string,
  run: Runner,
  onVerbosity: (level: number) => void,
) {
  const parser = inputOptions(globalOptions(yargs([...args])))
    .scriptName(scriptName)
    // kubectl has no --no-FLAG negation (it says --FLAG=false), and --no-headers is a flag.
    .parserConfiguration({ 'boolean-negation': false })
    .usage('$0 [command]\n\nUnderstand, check and scaffold Kubernetes NetworkPolicies.')
    .command<TuiOptions>(
      '$0',
      'open the interactive UI',
      (y) =>
        filterSelectorOption(y)
          .option('read-only', {
            type: 'boolean',
            describe: 'hide every write (saving and applying scaffolded policies)',
          })
          .option('version', {
            type: 'boolean',
            describe: 'print the version, the commit (of a build from a checkout) and Node.js',
          }),
      run(async () => runBare),
    )
    .command<CheckArgs>(
      'check <source> <destination>',
      'can SOURCE reach DESTINATION on a port? Exit 0 allowed, 1 denied, 2 unknown or error',
      checkBuilder,
      run(async () => (await import('./commands/check.js')).runCheck),
    )
    .command<ExplainArgs>(
      'explain [pod]',
      'what a pod may receive and send, and the rules behind it; or what a policy does',
      explainBuilder,
      run(async () => (await import('./commands/explain.js')).runExplain),
    )
    .command(
      'scaffold',
      'write a correct NetworkPolicy from a template (preview, save, apply)',
      (y) =>
        scaffoldBuilder(
          y,
          run(async () => (await import('./commands/scaffold.js')).runScaffold),
          run(async () => (await import('./commands/scaffold-fix.js')).runScaffoldFix),
        ),
    )
    .command<MatrixArgs>(
      'matrix',
      'connectivity between every pair of pods',
      matrixBuilder,
      run(async () => (await import('./commands/matrix.js')).runMatrix),
    )
    .command<DiffArgs>(
      'diff',
      'flows that applying (-f) or deleting (--delete) objects opens and closes. Exit 0 no change, 1 changes, 2 error',
      diffBuilder,
      run(async () => (await import('./commands/diff.js')).runDiff),
    )
    .command<AuditArgs>(
      'audit',
      'find what weakens or breaks the policies, with fixes; --fail-on for CI',
      auditBuilder,
      run(async () => (await import('./commands/audit.js')).runAudit),
    )
    .command<CompletionArgs>(
      'completion <shell>',
      'print a shell completion script (bash, zsh, fish or powershell)',
      (y) => completionBuilder(withoutInput(y)),
      run(async () => runCompletion),
    )
    .command(
      'options',
      'print the global command-line options (applies to all commands)',
      withoutInput,
      run(async () => runOptions),
    )
    .epilogue(
      kubectlExamples([
        ['Open the interactive UI on the built-in demo cluster', '$0 --demo'],
        ['The same on its Cilium variant (L7, FQDN, deny and entity rules)', '$0 --demo=cilium'],
        [
          'Can the frontend reach the api service on port 8080?',
          '$0 check production/frontend-84c5d9b7f6-hx2lq svc/api -n production --port 8080 --demo',
        ],
        [
          'What may reach a pod, and what it may reach',
          '$0 explain production/api-7d9f8b6c5-x2k4p',
        ],
      ]),
    )
    .middleware((parsedArgs) => onVerbosity(parsedArgs.v))
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error, usage) => {
      // yargs's own errors (YError: a missing option value, a failed coerce) are the user's.
      if (error && error.name !== 'YError') throw error;
      // yargs hands its usage instance, not the parser its types say.
      const line = (usage as unknown as YargsUsage).getUsage()[0]?.[0] ?? '$0';
      const command = usageCommand(line, scriptName);
      const text = message ?? error?.message ?? '';
      const words = unknownArgumentText(text, given, command) ?? missingValueText(text);
      throw new UsageError(words ?? text, command);
    });
  withoutHelpCache(parser);
  return parser;
}

/** The parts of yargs's internals a command context is read from (yargs's own completion's). */
interface YargsContextInternals {
  getInternalMethods(): {
    getUsageInstance(): {
      getPositionalGroupName(): string;
      getCommands(): [string, ...unknown[]][];
    };
    getCommandInstance(): { getCommandHandlers(): Record<string, { builder: unknown }> };
    getContext(): { commands: string[] };
  };
  getOptions(): {
    key: Record<string, unknown>;
    boolean: string[];
    array: string[];
    hiddenOptions: string[];
    choices: Record<string, string[] | undefined>;
  };
  getAliases(): Record<string, string[]>;
  getGroups(): Record<string, string[] | undefined>;
}

/** A parser's current command context as data, without its subcommands' (see contextAt). */
function contextOf(parser: unknown): CompletionContext & { readonly built: string[] } {
  const yargsParser = parser as YargsContextInternals;
  const internals = yargsParser.getInternalMethods();
  const usage = internals.getUsageInstance();
  const options = yargsParser.getOptions();
  const aliases = yargsParser.getAliases();
  const positionalKeys = yargsParser.getGroups()[usage.getPositionalGroupName()] ?? [];
  const handlers = internals.getCommandInstance().getCommandHandlers();
  return {
    commands: usage.getCommands().map(([command]) => command.split(/\s+/)[0] ?? ''),
    depth: internals.getContext().commands.length,
    options: Object.keys(options.key).map((key) => {
      const names = [key, ...(aliases[key] ?? [])];
      const choices = names.map((name) => options.choices[name]).find(Array.isArray);
      return {
        key,
        aliases: aliases[key] ?? [],
        offered: !positionalKeys.includes(key) && !options.hiddenOptions.includes(key),
        takesValue: !names.some((name) => options.boolean.includes(name)),
        ...(names.some((name) => options.array.includes(name)) ? { takesAll: true } : {}),
        ...(choices ? { choices } : {}),
      };
    }),
    positionals: positionalKeys.map((key) => options.choices[key] ?? []),
    children: {},
    built: Object.keys(handlers).filter(
      (name) => name !== '$0' && typeof handlers[name]?.builder === 'function',
    ),
  };
}

/** What yargs completes for `words` (the current word last), and its context as data. */
export async function yargsCompletion(words: readonly string[]) {
  const ignore: Runner = () => async () => {};
  const parser = commandLine(yargsCompletionArgs(words), words, 'kubectl netpol', ignore, () => {});
  const found = await yargsCandidates(parser, words, () => contextOf(parser));
  if (!found.context) throw new Error(`yargs did not complete ${JSON.stringify(words)}`);
  return { ...found, context: found.context };
}

/** The completion context the command words `path` lead to, with its subcommands'. */
async function contextAt(path: readonly string[]): Promise<CompletionContext> {
  const { built, ...context } = (await yargsCompletion([...path, ''])).context;
  const children: Record<string, CompletionContext> = {};
  for (const name of built) children[name] = await contextAt([...path, name]);
  return { ...context, children };
}

/** What `__complete` answers from, read off the parser (the bundle carries it, made at build). */
export function completionTable(): Promise<CompletionContext> {
  return contextAt([]);
}

/**
 * Runs the command line and returns the exit code. `scriptName` is what usage text calls us:
 * "kubectl netpol" when kubectl runs us as a plugin.
 */
export async function main(
  argv: readonly string[],
  unguarded: Terminal,
  scriptName = 'kubectl netpol',
): Promise<number> {
  if (isCompletionRequest(argv)) return runComplete(argv, unguarded);
  const terminal = guardedTerminal(unguarded);
  let exitCode = 0;
  let verbosity = 0;
  // A command's code (the engine, the cluster client, Ink) is loaded only when it runs, so
  // --version and --help start fast.
  const run: Runner = (load) => async (args) => {
    exitCode = await (await load())(args, terminal);
  };
  const parsed = withDemoVariant(argv);
  const parser = commandLine(parsed, argv, scriptName, run, (level) => {
    verbosity = level;
    setFailureVerbosity(level);
  });
  try {
    let help: string | undefined;
    await parser.parseAsync(parsed, {}, (error, _parsed, output) => {
      if (output && !error) help = output;
    });
    if (help !== undefined) await terminal.out(await helpText(help, scriptName));
    return exitCode;
  } catch (error) {
    terminal.err(failureReport(error, verbosity));
    return ERROR_EXIT;
  }
}
