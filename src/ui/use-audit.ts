import { useCallback, useMemo } from 'react';
import type { AuditFinding, AuditReport } from '../engine/index.js';
import type { Analyst } from './analyst/analyst.js';
import type { AnalystQuestion, AnalystSnapshot } from './analyst/questions.js';
import { type FindingRow, findingRows, findingsByNamespace, findingsByPod } from './audit-view.js';
import { type Answered, answerValue, useAnswer } from './use-answer.js';

const AUDIT: AnalystQuestion = { kind: 'audit' };

/** The audit of a snapshot, asked of the analyst as soon as the snapshot comes, with its findings indexed. */
export interface Audit {
  readonly answered: Answered<AuditReport>;
  /** The report once it has come. */
  readonly report: AuditReport | undefined;
  /** The findings' rows; none until the audit has come. */
  rows(): readonly FindingRow[];
  /** The findings about a namespace; none until the audit has come. */
  ofNamespace(namespace: string): readonly AuditFinding[];
  /** The findings about a pod; none until the audit has come. */
  ofPod(podId: string): readonly AuditFinding[];
}

/** Has the analyst audit each snapshot and indexes its findings once they come. */
export function useAudit(analyst: Analyst, snapshot: AnalystSnapshot): Audit {
  const answered = useAnswer(analyst, snapshot, AUDIT as { kind: 'audit' });
  const report = answerValue(answered);
  const index = useMemo(
    () =>
      report && {
        rows: findingRows(report),
        byNamespace: findingsByNamespace(report),
        byPod: findingsByPod(report),
      },
    [report],
  );
  const ofPod = useCallback(
    (podId: string) => (index ? (index.byPod.get(podId) ?? []) : []),
    [index],
  );
  const ofNamespace = useCallback(
    (namespace: string) => (index ? (index.byNamespace.get(namespace) ?? []) : []),
    [index],
  );
  const rows = useCallback(() => (index ? index.rows : []), [index]);
  return { answered, report, rows, ofNamespace, ofPod };
}
