import { useCallback } from 'react';
import type { Analyst } from './analyst/analyst.js';
import type { AnalystQuestion, AnalystSnapshot } from './analyst/questions.js';
import { type AuditDigest, briefsAt, type FindingBrief, type FindingRow } from './audit-view.js';
import { type Answered, shownValue, useAnswer } from './use-answer.js';

const AUDIT = { kind: 'audit' } as const satisfies AnalystQuestion;

/** The audit of a snapshot, asked of the analyst as soon as the snapshot comes. */
export interface Audit {
  readonly answered: Answered<AuditDigest>;
  /** The digest once it has come; after a watch update, the previous snapshot's until the new one comes. */
  readonly digest: AuditDigest | undefined;
  /** The findings' rows; none until the audit has come. */
  rows(): readonly FindingRow[];
  /** The findings about a namespace; none until the audit has come. */
  ofNamespace(namespace: string): readonly FindingBrief[];
  /** The findings about a pod; none until the audit has come. */
  ofPod(podId: string): readonly FindingBrief[];
}

/**
 * Has the analyst audit each snapshot; its digest indexes the findings by namespace and pod. The
 * previous snapshot's findings stay until the new audit comes, so that the audit does not blank.
 */
export function useAudit(analyst: Analyst, snapshot: AnalystSnapshot): Audit {
  const answered = useAnswer(analyst, snapshot, AUDIT);
  const digest = shownValue(answered);
  const ofPod = useCallback(
    (podId: string) => briefsAt(digest, digest?.byPod.get(podId)),
    [digest],
  );
  const ofNamespace = useCallback(
    (namespace: string) => briefsAt(digest, digest?.byNamespace.get(namespace)),
    [digest],
  );
  const rows = useCallback(() => digest?.rows ?? [], [digest]);
  return { answered, digest, rows, ofNamespace, ofPod };
}
