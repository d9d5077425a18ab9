import type { Argv, Options } from 'yargs';
import type {
  Protocol,
  ScaffoldTemplate,
  TemplateArg,
  TemplateName,
} from '../engine/vocabulary.js';
import { COMMON_ARGS, SCAFFOLD_TEMPLATES } from '../engine/vocabulary.js';
import { argFlag } from '../render/template-args.js';
import type { TemplateArgs } from '../syntax/scaffold-args.js';
import { flowQuestionOptions } from './check-options.js';
import { kubectlExamples } from './examples.js';
import { COMMAND_FORMATS, outputOption } from './output-format.js';

import type { InputOptions } from './session.js';

/** What every scaffold command does with its policies: print, save, dry-run, apply. */
export interface ScaffoldOutputArgs extends InputOptions {
  readonly output: 'text' | 'json' | 'yaml';
  readonly save?: string;
  readonly force?: boolean;
  readonly apply?: boolean;
  readonly yes?: boolean;
  readonly forceConflicts?: boolean;
  readonly dryRun?: string;
  readonly readOnly?: boolean;
}

/** Declares the options of writePolicies: --save, --force, --dry-run, --apply, --yes, --read-only. */
export function outputOptions<T>(y: Argv<T>): Argv<T> {
  return outputOption(y, COMMAND_FORMATS.scaffold, 'text is the YAML with notes')
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
      describe:
        'create or update the policies in the cluster by server-side apply (after a server dry run and a diff)',
    })
    .option('force-conflicts', {
      type: 'boolean',
      describe:
        'with --apply: take over fields another field manager owns (server-side apply force)',
    })
    .option('yes', { type: 'boolean', describe: 'confirm --apply without asking' })
    .option('read-only', { type: 'boolean', describe: 'refuse every write' });
}

/** Options of a scaffold template: its arguments, then what to do with the policies. */
export interface ScaffoldArgs extends ScaffoldOutputArgs, TemplateArgs {
  readonly name?: string;
}

/** Arguments of `kubectl netpol scaffold fix`: a check's question, then what to do with the fix. */
export interface ScaffoldFixArgs extends ScaffoldOutputArgs {
  readonly source: string;
  readonly destination: string;
  readonly port?: string | number;
  readonly protocol?: Protocol;
}

/** Declares `scaffold fix SOURCE DESTINATION --port P`: check's question, scaffold's writes. */
export function scaffoldFixOptions<T>(yargs: Argv<T>) {
  return outputOptions(flowQuestionOptions(yargs)).epilogue(
    kubectlExamples([
      [
        'The egress and the ingress policy that let a pod of shop reach the database, in one file',
        '$0 scaffold fix shop/web-1 payments/db-0 --port 5432 --save web-to-db.yaml',
      ],
    ]),
  );
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
