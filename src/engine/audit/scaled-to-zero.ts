import type { Analysis, PolicyRef } from '../compile/compile.js';
import { scaledToZeroSelected } from '../compile/scaled-to-zero.js';
import type { AuditDetails, AuditFinding } from './types.js';
import { policyObject } from './walk.js';

/** The details of a finding about a selector (a policy's, a peer's) that selects no running pod. */
type SelectsNoPodDetails = Extract<
  AuditDetails,
  { readonly code: 'policy-selects-no-pods' | 'pod-selector-matches-nothing' }
>;

/**
 * A selector that selects no running pod of `namespaces` but the pods of workloads scaled to
 * zero is no mistake: an info finding naming those workloads, with nothing to fix. Undefined
 * when it selects no such workload either, so the caller judges the selector.
 */
export function scaledToZeroFinding(
  analysis: Analysis,
  found: SelectsNoPodDetails & { readonly namespace: string },
  policy: PolicyRef,
  namespaces: readonly string[],
): AuditFinding | undefined {
  const idle = scaledToZeroSelected(analysis.cluster, namespaces, found.selector);
  if (idle.length === 0) return undefined;
  const objects = [policyObject(policy), ...idle];
  return { ...found, severity: 'info', scaledToZero: idle, objects, fixes: [] };
}
