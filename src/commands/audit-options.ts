import type { Argv } from 'yargs';
import { kubectlExamples } from './examples.js';
import { type SelectorArgs, selectorOption } from './listing-options.js';
import { COMMAND_FORMATS, type OutputFormat, outputOption } from './output-format.js';
import type { InputOptions } from './session.js';

/** The severities --fail-on takes. */
const FAIL_ON = ['warning', 'error'] as const;

/** Arguments of `kubectl netpol audit`. */
export interface AuditArgs extends InputOptions, SelectorArgs {
  readonly output: OutputFormat;
  readonly allNamespaces?: boolean;
  readonly failOn?: (typeof FAIL_ON)[number];
}

/** Declares audit's options. */
export function auditBuilder<T>(yargs: Argv<T>) {
  const output = outputOption(
    yargs,
    COMMAND_FORMATS.audit,
    'name lists the objects the findings are about',
  );
  return selectorOption(output, 'only the findings about a pod (or workload) it selects')
    .option('fail-on', {
      choices: FAIL_ON,
      describe: 'exit 1 when a finding is this severe or more (for CI)',
    })
    .epilogue(
      'Scope: every namespace unless -n names one (-A overrides -n); the network plugin check is cluster-wide. ' +
        'Severities: error (the cluster will not do what the policies say), warning (less protection or certainty than it looks), note (harmless today). ' +
        'JSON: {cni, summary: {error, warning, info}, findings: [{severity, code, namespace?, message, objects, fixes: [{text, command?, action?}], ...details}], partial, unread, unmodelled, enforcement: {plugin, enforcesPolicies, assumed}}.' +
        `\n\n${kubectlExamples([
          ['Every namespace of the current context', '$0 audit'],
          ['One namespace; exit 1 on any error finding', '$0 audit -n shop --fail-on error'],
          ['Manifests, as JSON', '$0 audit -f manifests/ -o json'],
          [
            'The objects with an error finding',
            `$0 audit -o jsonpath='{.findings[?(@.severity=="error")].objects[*].name}'`,
          ],
          ['The findings about the pods labelled app=api', '$0 audit -l app=api'],
        ])}`,
    );
}
