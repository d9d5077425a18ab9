import type { Argv } from 'yargs';
import type { OutputFormat } from './output-format.js';
import type { InputOptions } from './session.js';

/** The severities --fail-on takes. */
const FAIL_ON = ['warning', 'error'] as const;

/** Arguments of `kubectl netpol audit`. */
export interface AuditArgs extends InputOptions {
  readonly output: OutputFormat;
  readonly allNamespaces?: boolean;
  readonly failOn?: (typeof FAIL_ON)[number];
}

/** Declares audit's options. */
export function auditBuilder<T>(yargs: Argv<T>) {
  return yargs
    .option('fail-on', {
      choices: FAIL_ON,
      describe: 'exit 1 when a finding is this severe or more (for CI)',
    })
    .example('$0 audit', 'every namespace of the current context')
    .example('$0 audit -n shop --fail-on error', 'one namespace; exit 1 on any error finding')
    .example('$0 audit -f manifests/ -o json', 'manifests, as JSON')
    .epilog(
      'Scope: every namespace unless -n names one (-A overrides -n); the network plugin check is cluster-wide. ' +
        'Severities: error (the cluster will not do what the policies say), warning (less protection or certainty than it looks), note (harmless today). ' +
        'JSON: {cni, summary: {error, warning, info}, findings: [{severity, code, namespace?, message, objects, fixes: [{text, command?, action?}], ...details}], partial, unread, unmodelled, enforcement: {plugin, enforcesPolicies, assumed}}.',
    );
}
