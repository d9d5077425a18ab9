import { useCallback, useMemo } from 'react';
import type { Analysis, AuditFinding } from '../engine/index.js';
import { type AuditReport, auditCluster } from '../engine/index.js';
import { type FindingRow, findingRows, findingsByNamespace, findingsByPod } from './audit-view.js';
import { type Deferred, useDeferred } from './use-deferred.js';

/** How long after a snapshot's first frame the audit runs (its findings mark the lists). */
const AUDIT_DELAY_MS = 100;

/** The audit of a snapshot, run soon after its first frame, with its findings indexed. */
export interface Audit {
  readonly report: Deferred<AuditReport>;
  /** The findings' rows: at once if the audit ran, else running it now. */
  rows(): readonly FindingRow[];
  /** The findings about a namespace; none until the audit has run. */
  ofNamespace(namespace: string): readonly AuditFinding[];
  /** The findings about a pod; none until the audit has run. */
  ofPod(podId: string): readonly AuditFinding[];
}

/** Runs the audit of an analysis in the background and indexes its findings once it has. */
export function useAudit(analysis: Analysis): Audit {
  const report = useDeferred(auditCluster, analysis, AUDIT_DELAY_MS);
  const index = useMemo(
    () =>
      report.ready && {
        rows: findingRows(report.ready),
        byNamespace: findingsByNamespace(report.ready),
        byPod: findingsByPod(report.ready),
      },
    [report.ready],
  );
  const ofPod = useCallback(
    (podId: string) => (index ? (index.byPod.get(podId) ?? []) : []),
    [index],
  );
  const ofNamespace = useCallback(
    (namespace: string) => (index ? (index.byNamespace.get(namespace) ?? []) : []),
    [index],
  );
  const rows = useCallback(() => (index ? index.rows : findingRows(report.get())), [index, report]);
  return { report, rows, ofNamespace, ofPod };
}
