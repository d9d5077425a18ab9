import type { Cluster, CniDetection, Outcome } from '../engine/index.js';
import { type CompletenessData, completenessData, completenessLines } from './completeness.js';
import { type EnforcementData, enforcementData, enforcementLines } from './enforcement.js';

/** What every answer says about how far it holds: what was not seen, and enforcement. */
export interface AnswerScope {
  /** The fields structured answers carry. */
  readonly data: CompletenessData & { readonly enforcement: EnforcementData };
  /** Lines a text answer starts with. */
  readonly before: readonly string[];
  /** Lines a text answer ends with. */
  readonly after: readonly string[];
}

/**
 * How far an answer holds on the cluster: the lists not read and the policies not evaluated
 * (after the answer), and whether the network plugin enforces NetworkPolicies; `policies` is
 * the policies' verdict, for answers that have one.
 */
export function answerScope(
  cluster: Cluster,
  cni: CniDetection,
  assumed: boolean,
  policies?: Outcome,
): AnswerScope {
  const enforcement = enforcementLines(cni, policies, assumed);
  return {
    data: { ...completenessData(cluster), enforcement: enforcementData(cni, assumed) },
    before: enforcement.before,
    after: [...completenessLines(cluster), ...enforcement.after],
  };
}
