import {
  type Analysis,
  type CheckedFlow,
  type Cluster,
  calicoPolicyName,
  checkOutcome,
  checkTargets,
  type ExposureChanges,
  explainPod,
  exposureChanges,
  type Outcome,
  type PodExposure,
} from '../engine/index.js';
import type { CheckArgs } from './check-options.js';
import { compileInput, type InputOptions } from './session.js';

/** What a check would answer if one staged Calico policy were enforced. */
export interface StagedPreview {
  /** The staged policy's kubectl name, e.g. `stagednetworkpolicy/prod/lockdown`. */
  readonly policy: string;
  readonly verdict: Outcome;
}

/**
 * The snapshot compiled once per staged Calico policy, with that policy enforced; none when
 * Calico's policies are not evaluated.
 */
function stagedAnalyses(cluster: Cluster, analysis: Analysis, options: InputOptions) {
  if (!analysis.calico.layer) return [];
  return (cluster.calicoPolicies ?? [])
    .filter((policy) => policy.staged)
    .map((policy) => {
      const name = calicoPolicyName(policy);
      return { name, previewed: compileInput(cluster, options, { enforceStaged: [name] }) };
    });
}

/** What explain would show of a pod if one staged Calico policy were enforced. */
export interface StagedExposurePreview {
  /** The staged policy's kubectl name, e.g. `stagednetworkpolicy/prod/lockdown`. */
  readonly policy: string;
  /** The pods whose connections with the explained pod would change. */
  readonly changes: ExposureChanges;
}

/**
 * For each staged Calico policy, the pods whose connections with the explained pod would change
 * were it enforced (compiled through the same kernel); none where it changes nothing.
 */
export function stagedExposurePreviews(
  cluster: Cluster,
  analysis: Analysis,
  options: InputOptions,
  exposure: PodExposure,
): StagedExposurePreview[] {
  return stagedAnalyses(cluster, analysis, options).flatMap(({ name, previewed }) => {
    const podIdx = previewed.podIndex.get(exposure.pod.id);
    if (podIdx === undefined) return [];
    const changes = exposureChanges(exposure, explainPod(previewed, podIdx));
    return changes.ingress.length + changes.egress.length > 0 ? [{ policy: name, changes }] : [];
  });
}

/** Whether a previewed policy governs a flow: a Calico tier's step names it. */
function governs(flow: CheckedFlow, policy: string): boolean {
  const sides = flow.verdict ? [flow.verdict.egress, flow.verdict.ingress] : [];
  return sides.some((side) =>
    (side.calicoTiers ?? []).some(
      (step) => step.policy === policy || step.policies?.includes(policy),
    ),
  );
}

/**
 * The verdict of the checked flows with each staged Calico policy that would govern them turned
 * real in turn: staged policies are never enforced, so their effect is shown as a preview,
 * compiled through the same kernel. None when Calico's policies are not evaluated.
 */
export function stagedPreviews(
  cluster: Cluster,
  analysis: Analysis,
  args: CheckArgs & { readonly namespace: string },
): StagedPreview[] {
  const before = checkTargets(analysis, args);
  const current = before.ok ? checkOutcome(before.value.flows) : undefined;
  return stagedAnalyses(cluster, analysis, args).flatMap(({ name, previewed }) => {
    const checked = checkTargets(previewed, args);
    if (!checked.ok) return [];
    const { flows } = checked.value;
    // A staged Delete governs nothing once applied: a change in the verdict shows it.
    const changed = current !== undefined && current !== checkOutcome(flows);
    if (!changed && !flows.some((flow) => governs(flow, name))) return [];
    return [{ policy: name, verdict: checkOutcome(flows) }];
  });
}

/** The preview lines of check's text: "if staged policy X were enforced: DENIED". */
export function stagedPreviewLines(previews: readonly StagedPreview[]): string[] {
  return previews.map(
    (preview) => `if staged policy ${preview.policy} were enforced: ${preview.verdict}`,
  );
}
