import cliTruncate from 'cli-truncate';
import {
  type AuditFinding,
  type AuditReport,
  type Labels,
  type ObjectRef,
  SEVERITY_ORDER,
  type Severity,
} from '../engine/index.js';
import { cniLine, findingMessage } from '../render/audit.js';
import { findingFixes } from '../render/audit-fixes.js';
import { terminalText } from '../render/terminal-text.js';

/** A finding line of the audit screen. */
export interface FindingRow {
  readonly key: string;
  /** Its position in the report, which the finding screen is opened with. */
  readonly index: number;
  readonly severity: string;
  readonly code: string;
  readonly namespace: string;
  readonly message: string;
  /** For filtering with label=value: the finding's code, severity and namespace. */
  readonly labels: Labels;
}

const SEVERITY_WORDS: Readonly<Record<Severity, string>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** The audit screen's rows, most severe first. */
export function findingRows(report: AuditReport): FindingRow[] {
  return report.findings.map((finding, index) => ({
    key: `${index}`,
    index,
    severity: SEVERITY_WORDS[finding.severity],
    code: finding.code,
    namespace: finding.namespace ?? '',
    message: findingMessage(finding),
    labels: {
      severity: SEVERITY_WORDS[finding.severity],
      code: finding.code,
      ...(finding.namespace ? { namespace: finding.namespace } : {}),
    },
  }));
}

/** What the lists and a pod's detail show of a finding, without the objects it names. */
export interface FindingBrief {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

/**
 * The audit as the lists and details show it: rows and briefs, small enough to cross from the
 * analyst's worker at once (a report of 10,000 pods is 30 MB: a finding can name every pod of a
 * range). A finding's screen asks for the whole finding.
 */
export interface AuditDigest {
  readonly cni: AuditReport['cni'];
  readonly rows: readonly FindingRow[];
  /** Each finding's brief, in the report's order (a row's index). */
  readonly briefs: readonly FindingBrief[];
  /**
   * The findings about each namespace and each pod, as indexes into `briefs`: at 10,000 pods a
   * pod is named by 23 findings on average, and a brief copied per pod made the digest 6.5 MB
   * to rebuild on the UI's thread instead of 2.1 MB.
   */
  readonly byNamespace: ReadonlyMap<string, readonly number[]>;
  readonly byPod: ReadonlyMap<string, readonly number[]>;
}

/** The digest of an audit report. */
export function auditDigest(report: AuditReport): AuditDigest {
  const indexOf = new Map(report.findings.map((finding, index) => [finding, index]));
  const indexes = (findings: Map<string, AuditFinding[]>) =>
    new Map([...findings].map(([key, list]) => [key, list.map((f) => indexOf.get(f) as number)]));
  return {
    cni: report.cni,
    rows: findingRows(report),
    briefs: report.findings.map((f) => ({
      severity: f.severity,
      code: f.code,
      message: findingMessage(f),
    })),
    byNamespace: indexes(findingsByNamespace(report)),
    byPod: indexes(findingsByPod(report)),
  };
}

/** The briefs of the findings at these indexes of a digest (none without a digest). */
export function briefsAt(
  digest: AuditDigest | undefined,
  indexes: readonly number[] | undefined,
): FindingBrief[] {
  if (!digest || !indexes) return [];
  return indexes.flatMap((index) => digest.briefs[index] ?? []);
}

/** "2 err 1 warn": the errors and warnings among findings (notes are left out), kept short. */
export function findingCountText(findings: readonly Pick<FindingBrief, 'severity'>[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return [errors ? `${errors} err` : '', warnings ? `${warnings} warn` : '']
    .filter(Boolean)
    .join(' ');
}

/** The findings that concern each namespace. */
export function findingsByNamespace(report: AuditReport): Map<string, AuditFinding[]> {
  const byNamespace = new Map<string, AuditFinding[]>();
  for (const finding of report.findings) {
    if (finding.namespace === undefined) continue;
    const list = byNamespace.get(finding.namespace) ?? [];
    list.push(finding);
    byNamespace.set(finding.namespace, list);
  }
  return byNamespace;
}

/** Whether an object a finding names stands for a pod (not a namespace or a policy). */
function namesPod(object: ObjectRef): boolean {
  return object.kind !== 'Namespace' && object.kind !== 'NetworkPolicy' && !!object.namespace;
}

/**
 * The findings that name each pod (by namespace/name) among their objects, the most severe
 * first and, of one severity, those naming fewest pods: a pod's own problem before a policy's
 * that names it among thousands.
 */
export function findingsByPod(report: AuditReport): Map<string, AuditFinding[]> {
  const byPod = new Map<string, AuditFinding[]>();
  const podsNamed = new Map<AuditFinding, number>();
  for (const finding of report.findings) {
    const pods = finding.objects.filter(namesPod);
    podsNamed.set(finding, pods.length);
    for (const object of pods) {
      const id = `${object.namespace}/${object.name}`;
      const list = byPod.get(id) ?? [];
      if (!list.includes(finding)) list.push(finding);
      byPod.set(id, list);
    }
  }
  const order = (a: AuditFinding, b: AuditFinding) =>
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (podsNamed.get(a) ?? 0) - (podsNamed.get(b) ?? 0);
  for (const list of byPod.values()) list.sort(order);
  return byPod;
}

/** How many findings the top of a pod's detail lists (the most severe). */
const SHOWN_POD_FINDINGS = 3;

/**
 * The findings naming a pod, for the top of its detail screen: a line each, cut to the width
 * (the audit screen has them whole), so that a policy's warning listing thousands of pods does
 * not push the pod's own isolation off the screen.
 */
export function podFindingLines(findings: readonly FindingBrief[], width: number): string[] {
  if (findings.length === 0) return [];
  const more = findings.length - SHOWN_POD_FINDINGS;
  return [
    `Audit findings (a: the audit screen):`,
    ...findings
      .slice(0, SHOWN_POD_FINDINGS)
      .map((f) => cliTruncate(`  ${SEVERITY_WORDS[f.severity]} ${f.code}: ${f.message}`, width)),
    ...(more > 0 ? [`  ... and ${more} more`] : []),
    '',
  ];
}

/** How an object is named on the finding screen, shown safely for a terminal. */
export function objectText(object: ObjectRef): string {
  return terminalText(
    `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`,
  );
}

/**
 * The finding screen: what is wrong, the objects (numbered, to open) and the fixes, each
 * command on a line of its own (the screen wraps long lines to its width).
 */
export function findingLines(finding: AuditFinding): string[] {
  return [
    `${SEVERITY_WORDS[finding.severity].toUpperCase()}  ${finding.code}${finding.namespace ? `  [${terminalText(finding.namespace)}]` : ''}`,
    '',
    findingMessage(finding),
    '',
    'objects (press the number to open one):',
    ...finding.objects.slice(0, 9).map((object, i) => `  ${i + 1}  ${objectText(object)}`),
    ...(finding.objects.length > 9 ? [`  ... and ${finding.objects.length - 9} more`] : []),
    '',
    ...findingFixes(finding).flatMap((fix) => [
      `fix: ${fix.text}`,
      ...(fix.command ? [`  ${fix.command}`] : []),
    ]),
  ];
}

/** The first lines of the audit screen: the network plugin. */
export function auditHeaderLine(report: Pick<AuditReport, 'cni'>): string {
  return cniLine(report.cni);
}
