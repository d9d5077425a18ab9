import { createInterface } from 'node:readline/promises';
import type { Argv, Options } from 'yargs';
import type {
  NetworkPolicy,
  ScaffoldTemplate,
  TemplateArg,
  TemplateName,
} from '../engine/index.js';
import {
  COMMON_ARGS,
  policyEffect,
  policyManifest,
  SCAFFOLD_TEMPLATES,
  scaffoldPolicies,
  scaffoldRequest,
  type TemplateArgs,
  validateNetworkPolicy,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import { createNetworkPolicy } from '../io/cluster/create-policy.js';
import { type LiveInput, loadLive } from '../io/cluster/load-live.js';
import { saveFile } from '../io/files/save-file.js';
import { loadDemo, loadManifests } from '../io/load-input.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';
import type { Terminal } from '../io/terminal.js';
import { effectLines } from '../render/effect.js';
import { findingLine } from '../render/findings.js';
import { policiesYaml } from '../render/policy-yaml.js';
import { jsonText } from '../render/structured.js';
import { argFlag, templateArgErrorText } from '../render/template-args.js';
import { kubectlExamples } from './examples.js';
import type { InputOptions } from './session.js';

/** Options shared by every scaffold template. */
export interface ScaffoldArgs extends InputOptions, TemplateArgs {
  readonly output: 'text' | 'json' | 'yaml';
  readonly name?: string;
  readonly save?: string;
  readonly force?: boolean;
  readonly apply?: boolean;
  readonly yes?: boolean;
  readonly dryRun?: string;
  readonly readOnly?: boolean;
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

async function confirm(terminal: Terminal, question: string): Promise<boolean> {
  if (!terminal.interactive) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

async function sendToCluster(
  live: LiveInput,
  policies: readonly NetworkPolicy[],
  dryRun: boolean,
  terminal: Terminal,
) {
  for (const policy of policies) {
    await createNetworkPolicy(live.client, policy, dryRun);
    terminal.err(
      `${dryRun ? 'server dry run accepted' : 'created'}: networkpolicy ${policy.namespace}/${policy.name}\n`,
    );
  }
}

/** Runs a scaffold template: prints (and optionally saves or applies) validated policies. */
export async function runScaffold(args: ScaffoldArgs, terminal: Terminal): Promise<number> {
  const writes = args.save !== undefined || args.apply || args.dryRun === 'server';
  if (args.readOnly && writes)
    throw new UserError('--read-only forbids --save, --apply and --dry-run=server');
  if (args.save === '') throw new UserError('--save: the file name is empty');
  if (args.dryRun !== undefined && args.dryRun !== 'server' && args.dryRun !== 'none') {
    throw new UserError(`--dry-run=${args.dryRun}: only server (or none) is supported`);
  }
  const snapshot = await snapshotFor(args, terminal);
  const live = snapshot && 'client' in snapshot ? snapshot : undefined;
  const namespace = args.namespace ?? live?.kubeconfig.namespace ?? 'default';
  const request = scaffoldRequest(args, namespace);
  if (!request.ok) throw new UserError(templateArgErrorText(request.errors[0], argFlag));
  const policies = scaffoldPolicies(request.value);
  for (const policy of policies) {
    const errors = validateNetworkPolicy(policy, { strictCidrs: true });
    if (errors.length > 0) {
      throw new UserError(
        errors.map((e) => `networkpolicy ${policy.name}: ${e.field}: ${e.message}`).join('\n'),
      );
    }
  }
  const manifests = policies.map(policyManifest);
  const text =
    args.output === 'json'
      ? `${jsonText(manifests.length === 1 ? manifests[0] : { apiVersion: 'v1', kind: 'List', items: manifests }, 2)}\n`
      : policiesYaml(policies);
  terminal.out(text);
  if (snapshot) {
    for (const finding of snapshot.findings) terminal.err(`${findingLine(finding)}\n`);
    for (const line of effectLines(policyEffect(snapshot.cluster, policies)))
      terminal.err(`# ${line}\n`);
  }
  if (args.save !== undefined) {
    await saveFile(args.save, text, args.force === true);
    terminal.err(`saved ${args.save}\n`);
  }
  if (args.dryRun === 'server' || args.apply) {
    if (!live) throw new UserError('--apply and --dry-run=server need a live cluster');
    await sendToCluster(live, policies, true, terminal);
  }
  if (args.apply) {
    const target = `context ${live?.kubeconfig.contextName}`;
    const confirmed =
      args.yes ||
      (await confirm(terminal, `create ${policies.length} NetworkPolicy object(s) in ${target}?`));
    if (!confirmed)
      throw new UserError(`not applied: confirm with --yes (or answer y) to create in ${target}`);
    await sendToCluster(live as LiveInput, policies, false, terminal);
  }
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
  return withArgs(y, COMMON_ARGS)
    .option('save', {
      type: 'string',
      requiresArg: true,
      describe:
        'write the output (YAML, or JSON with -o json) to a regular FILE; never overwrites without --force',
    })
    .option('force', {
      type: 'boolean',
      describe: 'overwrite the --save file (never a directory, device, FIFO or socket)',
    })
    .option('dry-run', {
      type: 'string',
      describe: 'server: have the API server validate without creating',
    })
    .option('apply', {
      type: 'boolean',
      describe: 'create the policies in the cluster (after a server dry run)',
    })
    .option('yes', { type: 'boolean', describe: 'confirm --apply without asking' })
    .option('read-only', { type: 'boolean', describe: 'refuse every write' });
}

/** A template's own options after the common ones, and its examples. */
function templateOptions<T>(y: Argv<T>, template: ScaffoldTemplate): Argv<T> {
  const parser = withArgs(commonOptions(y), template.args);
  const examples = TEMPLATE_EXAMPLES[template.name];
  return examples ? parser.epilogue(kubectlExamples(examples)) : parser;
}

/** Declares `kubectl netpol scaffold` and its templates; `handle` runs the chosen one. */
export function scaffoldBuilder<T>(yargs: Argv<T>, handle: (args: ScaffoldArgs) => Promise<void>) {
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
    .demandCommand(1, `name a template: ${SCAFFOLD_TEMPLATES.map((t) => t.name).join(', ')}`)
    .epilogue(
      kubectlExamples([
        [
          'A default-deny for a namespace that keeps DNS working, saved to a file',
          '$0 scaffold default-deny -n shop --allow-dns --save deny.yaml',
        ],
      ]),
    );
}
