import type { Analysis, AuditReport, Pod, Severity } from '../engine/index.js';
import { auditCluster, auditScope } from '../engine/index.js';
import type { Terminal } from '../io/terminal.js';
import { answerScope } from '../render/answer-scope.js';
import { auditData, auditLines } from '../render/audit.js';
import { objectNameLines } from '../render/object-names.js';
import type { AuditArgs } from './audit-options.js';
import { demoFlag } from './demo-flag.js';
import { printLines, printStructured } from './output.js';
import { noResourcesFound, openSession, selectedPods, unknownNamespace } from './session.js';

/** Exit codes of audit: 1 only with --fail-on, when a finding is at least that severe. */
export const AUDIT_EXIT = { clean: 0, failed: 1 } as const;

/** The flags that make a suggested command read the same snapshot: `--demo`, `-f PATH`. */
function snapshotFlags(args: AuditArgs): string[] {
  if (args.demo) return [demoFlag(args.demo)];
  return (args.filename ?? []).flatMap((path) => (path === '-' ? [] : ['-f', path]));
}

function failed(severities: readonly Severity[], failOn: AuditArgs['failOn']): boolean {
  if (failOn === undefined) return false;
  return severities.some((s) => s === 'error' || (failOn === 'warning' && s === 'warning'));
}

/** The report with only the findings naming a pod (or workload) that -l selects. */
function aboutPods(
  analysis: Analysis,
  report: AuditReport,
  selected: readonly number[] | undefined,
): AuditReport {
  if (!selected) return report;
  const keys = new Set(
    selected.map((idx) => {
      const pod = analysis.pods[idx] as Pod;
      return `${pod.kind}/${pod.namespace}/${pod.name}`;
    }),
  );
  const names = (f: AuditReport['findings'][number]) =>
    f.objects.some((o) => keys.has(`${o.kind}/${o.namespace}/${o.name}`));
  return { ...report, findings: report.findings.filter(names) };
}

/**
 * Runs audit: prints the findings, with what check says about enforcement and unread lists,
 * and returns 0, or 1 when --fail-on is met.
 */
export async function runAudit(args: AuditArgs, terminal: Terminal): Promise<number> {
  // The audit reports named ports among its findings, not as input warnings.
  const { input, analysis, namespace } = await openSession(args, terminal, false);
  const scope = args.allNamespaces || !args.namespace ? undefined : namespace;
  const selected = selectedPods(analysis, undefined, args.selector);
  const inScope = (idx: number) => scope === undefined || analysis.pods[idx]?.namespace === scope;
  const nothing = (selected && !selected.some(inScope)) || unknownNamespace(analysis, scope);
  if (nothing && args.output === 'text') {
    terminal.err(noResourcesFound(scope));
    return AUDIT_EXIT.clean;
  }
  const report = aboutPods(analysis, auditScope(auditCluster(analysis), scope), selected);
  const flags = snapshotFlags(args);
  const answer = answerScope(input.cluster, report.cni, args.assumeEnforced === true);
  if (args.output === 'text') {
    await printLines(terminal, [...answer.before, ...auditLines(report, flags), ...answer.after]);
  } else if (args.output === 'name') {
    await printLines(terminal, objectNameLines(report.findings.flatMap((f) => f.objects)));
  } else {
    await printStructured(terminal, args.output, { ...auditData(report, flags), ...answer.data });
  }
  const severities = report.findings.map((f) => f.severity);
  return failed(severities, args.failOn) ? AUDIT_EXIT.failed : AUDIT_EXIT.clean;
}
