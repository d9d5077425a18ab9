import type { Argv } from 'yargs';
import { kubectlExamples } from './examples.js';
import { type NoHeadersArgs, noHeadersOption } from './listing-options.js';
import { COMMAND_FORMATS, type OutputFormat, outputOption } from './output-format.js';
import type { InputOptions } from './session.js';

/** Arguments of `kubectl netpol diff`: -f names the objects to apply. */
export interface DiffArgs extends InputOptions, NoHeadersArgs {
  readonly base?: readonly string[];
  readonly delete?: readonly string[];
  readonly output: OutputFormat;
  readonly allNamespaces?: boolean;
}

const paths = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** Declares diff's options. */
export function diffBuilder<T>(yargs: Argv<T>) {
  return noHeadersOption(outputOption(yargs, COMMAND_FORMATS.diff))
    .option('base', {
      type: 'string',
      requiresArg: true,
      coerce: paths,
      describe:
        'compare with these manifests instead of the cluster (files or directories; repeatable)',
    })
    .option('delete', {
      type: 'string',
      requiresArg: true,
      coerce: paths,
      describe:
        'manifests of objects the change deletes (matched by kind, namespace and name; repeatable)',
    })
    .epilogue(
      kubectlExamples([
        ['What applying a folder would open and close in the cluster', '$0 diff -f policies/'],
        [
          'In CI: the effect of a pull request, from the main branch folder to the new one',
          '$0 diff --base main/manifests -f pr/manifests -o json',
        ],
        ['What deleting a policy would change', '$0 diff --delete policies/deny-all.yaml'],
        ['Only what changes for the pods of one namespace', '$0 diff -f policies/ -n shop'],
      ]),
    );
}
