import type { Argv, Options } from 'yargs';
import type { ScaffoldTemplate, TemplateArg, TemplateName } from '../engine/index.js';
import { COMMON_ARGS, SCAFFOLD_TEMPLATES, scaffoldTemplate, templateArg } from '../engine/index.js';
import { UserError } from '../errors.js';
import { type LiveInput, loadLive } from '../io/cluster/load-live.js';
import { loadDemo, loadManifests } from '../io/load-input.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';
import type { Terminal } from '../io/terminal.js';
import { findingLine } from '../render/findings.js';
import { argFlag, templateArgErrorText } from '../render/template-args.js';
import { scaffoldRequest, type TemplateArgs } from '../syntax/scaffold-args.js';
import { kubectlExamples } from './examples.js';
import { type ScaffoldFixArgs, scaffoldFixOptions } from './scaffold-fix.js';
import {
  checkWriteFlags,
  outputOptions,
  type ScaffoldOutputArgs,
  writePolicies,
} from './scaffold-output.js';

/** Options of a scaffold template: its arguments, then what to do with the policies. */
export interface ScaffoldArgs extends ScaffoldOutputArgs, TemplateArgs {
  readonly name?: string;
}

async function snapshotFor(
  args: ScaffoldArgs,
  terminal: Terminal,
): Promise<LoadedInput | LiveInput | undefined> {
  if (args.demo) return loadDemo();
  if (args.filename?.length) return loadManifests(args.filename, terminal.readStdin);
  try {
    return await loadLive(args, terminal.env);
  } catch (error) {
    if (args.apply || args.dryRun === 'server') throw error;
    terminal.err(`note: effect not computed (no cluster: ${(error as Error).message})\n`);
    return undefined;
  }
}

/** Runs a scaffold template: prints (and optionally saves or applies) validated policies. */
export async function runScaffold(args: ScaffoldArgs, terminal: Terminal): Promise<number> {
  checkWriteFlags(args);
  const snapshot = await snapshotFor(args, terminal);
  const live = snapshot && 'client' in snapshot ? snapshot : undefined;
  const namespace = args.namespace ?? live?.kubeconfig.namespace ?? 'default';
  const request = scaffoldRequest(args, namespace);
  if (!request.ok) throw new UserError(templateArgErrorText(request.error[0], argFlag));
  const policies = scaffoldTemplate(request.value);
  if (snapshot) for (const finding of snapshot.findings) terminal.err(`${findingLine(finding)}\n`);
  const allowDnsFlag = templateArg(args.template, 'allowDns') !== undefined;
  await writePolicies(args, policies, { cluster: snapshot?.cluster, live, allowDnsFlag }, terminal);
  return 0;
}

/** Worked examples shown under a template's help. */
const TEMPLATE_EXAMPLES: Partial<Record<TemplateName, readonly (readonly [string, string])[]>> = {
  allow: [
    [
      'Let the frontend pods call the api pods on TCP 8080',
      '$0 scaffold allow --to app=api --from app=frontend --port 8080/TCP -n shop',
    ],
    [
      'Let the api pods call an address block on TCP 443',
      '$0 scaffold allow --direction egress --from app=api --to-cidr 10.0.0.0/8 --port 443',
    ],
  ],
};

/** How yargs declares a template argument of the table. */
function optionFor(arg: TemplateArg): Options {
  const describe = arg.describe !== undefined ? { describe: arg.describe } : {};
  switch (arg.kind) {
    case 'choice':
      return { choices: [...(arg.choices ?? [])], default: arg.default };
    case 'switch':
      return { type: 'boolean', ...describe };
    case 'ports':
    case 'cidrs':
      return { type: 'string', array: true, requiresArg: true, ...describe };
    default:
      return {
        type: 'string',
        ...(arg.default !== undefined ? { default: arg.default } : {}),
        ...describe,
      };
  }
}

function withArgs<T>(y: Argv<T>, args: readonly TemplateArg[]): Argv<T> {
  return args.reduce((parser, arg) => parser.option(argFlag(arg.arg).slice(2), optionFor(arg)), y);
}

function commonOptions<T>(y: Argv<T>): Argv<T> {
  return outputOptions(withArgs(y, COMMON_ARGS));
}

/** A template's own options after the common ones, and its examples. */
function templateOptions<T>(y: Argv<T>, template: ScaffoldTemplate): Argv<T> {
  const parser = withArgs(commonOptions(y), template.args);
  const examples = TEMPLATE_EXAMPLES[template.name];
  return examples ? parser.epilogue(kubectlExamples(examples)) : parser;
}

/**
 * Declares `kubectl netpol scaffold`, its templates and `fix`; `handle` runs the chosen template,
 * `handleFix` the fix of a checked flow.
 */
export function scaffoldBuilder<T>(
  yargs: Argv<T>,
  handle: (args: ScaffoldArgs) => Promise<void>,
  handleFix: (args: ScaffoldFixArgs) => Promise<void>,
) {
  let parser = yargs;
  for (const template of SCAFFOLD_TEMPLATES) {
    parser = parser.command<Omit<ScaffoldArgs, 'template'>>(
      template.name,
      template.describe,
      (y) => templateOptions(y, template),
      (args) => handle({ ...args, template: template.name }),
    );
  }
  return parser
    .command<ScaffoldFixArgs>(
      'fix <source> <destination>',
      'the policies that allow a denied flow: egress and ingress in one go when both deny',
      scaffoldFixOptions,
      handleFix,
    )
    .demandCommand(
      1,
      `name a template: ${SCAFFOLD_TEMPLATES.map((t) => t.name).join(', ')} (or fix)`,
    )
    .epilogue(
      kubectlExamples([
        [
          'A default-deny for a namespace that keeps DNS working, saved to a file',
          '$0 scaffold default-deny -n shop --allow-dns --save deny.yaml',
        ],
      ]),
    );
}
