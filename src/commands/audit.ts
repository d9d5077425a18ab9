import type { Argv } from 'yargs';
import type { Severity } from '../engine/index.js';
import { auditCluster, auditScope } from '../engine/index.js';
import type { Terminal } from '../io/terminal.js';
import { answerScope } from '../render/answer-scope.js';
import { auditData, auditLines } from '../render/audit.js';
import type { OutputFormat } from './output.js';
import { printLines, printStructured } from './output.js';
import { type InputOptions, openSession } from './session.js';

/** The severities --fail-on takes. */
const FAIL_ON = ['warning', 'error'] as const;

/** Arguments of `kubectl netpol audit`. */
export interface AuditArgs extends InputOptions {
  readonly output: OutputFormat;
  readonly allNamespaces?: boolean;
  readonly failOn?: (typeof FAIL_ON)[number];
}

/** Exit codes of audit: 1 only with --fail-on, when a finding is at least that severe. */
export const AUDIT_EXIT = { clean: 0, failed: 1 } as const;

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

/** The flags that make a suggested command read the same snapshot: `--demo`, `-f PATH`. */
function snapshotFlags(args: AuditArgs): string[] {
  if (args.demo) return ['--demo'];
  return (args.filename ?? []).flatMap((path) => (path === '-' ? [] : ['-f', path]));
}

function failed(severities: readonly Severity[], failOn: AuditArgs['failOn']): boolean {
  if (failOn === undefined) return false;
  return severities.some((s) => s === 'error' || (failOn === 'warning' && s === 'warning'));
}

/**
 * Runs audit: prints the findings, with what check says about enforcement and unread lists,
 * and returns 0, or 1 when --fail-on is met.
 */
export async function runAudit(args: AuditArgs, terminal: Terminal): Promise<number> {
  // The audit reports named ports among its findings, not as input warnings.
  const { input, analysis, namespace } = await openSession(args, terminal, false);
  const scope = args.allNamespaces || !args.namespace ? undefined : namespace;
  const report = auditScope(auditCluster(analysis), scope);
  const flags = snapshotFlags(args);
  const answer = answerScope(input.cluster, report.cni, args.assumeEnforced === true);
  if (args.output === 'text') {
    await printLines(terminal, [...answer.before, ...auditLines(report, flags), ...answer.after]);
  } else {
    await printStructured(terminal, args.output, { ...auditData(report, flags), ...answer.data });
  }
  const severities = report.findings.map((f) => f.severity);
  return failed(severities, args.failOn) ? AUDIT_EXIT.failed : AUDIT_EXIT.clean;
}
