import type { Analysis } from '../compile/compile.js';
import type { PolicyRef } from '../compile/compile-policy.js';
import type { Outcome } from '../evaluate/evaluate.js';
import {
  calicoKubernetesPolicyName,
  calicoPolicyName,
  stagedKubernetesPolicyName,
} from '../model/calico-policy.js';
import type { Cluster } from '../model/types.js';
import {
  type CheckedFlow,
  type CheckQuestion,
  checkOutcome,
  checkTargets,
} from './check-targets.js';
import { explainPod, type PodExposure } from './explain-pod.js';
import { type ExposureChanges, exposureChanges } from './exposure-changes.js';

/**
 * The snapshot compiled again, as its caller compiled it, with the named staged policies
 * enforced (CompileOptions.enforceStaged).
 */
export type CompileStaged = (enforceStaged: readonly string[]) => Analysis;

/**
 * `compile`, each set of staged policies compiled once: asked again, it gives the same analysis
 * (the TUI previews them on every pod it opens and every check it answers).
 */
export function compilingStagedOnce(compile: CompileStaged): CompileStaged {
  const compiled = new Map<string, Analysis>();
  return (enforceStaged) => {
    const key = JSON.stringify(enforceStaged);
    let analysis = compiled.get(key);
    if (!analysis) {
      analysis = compile(enforceStaged);
      compiled.set(key, analysis);
    }
    return analysis;
  };
}

/** What a check would answer if one staged Calico policy were enforced. */
export interface StagedPreview {
  /** The staged policy's kubectl name, e.g. `stagednetworkpolicy/prod/lockdown`. */
  readonly policy: string;
  readonly verdict: Outcome;
}

/** A staged policy to preview: its name, and the names its rules show under in traces. */
interface StagedPolicy {
  readonly name: string;
  /** A Kubernetes NetworkPolicy it would create, as Calico's tier steps name it. */
  readonly traced: string;
  /** The NetworkPolicy it would create or remove (a StagedKubernetesNetworkPolicy's). */
  readonly networkPolicy?: PolicyRef;
}

/** Every staged policy of a cluster: Calico's own kinds, then StagedKubernetesNetworkPolicies. */
function stagedPolicies(cluster: Cluster): StagedPolicy[] {
  return [
    ...(cluster.calicoPolicies ?? [])
      .filter((policy) => policy.staged)
      .map((policy) => ({ name: calicoPolicyName(policy), traced: calicoPolicyName(policy) })),
    ...(cluster.stagedKubernetesPolicies ?? []).map((staged) => {
      const { namespace, name } = staged.policy;
      return {
        name: stagedKubernetesPolicyName(staged),
        traced: calicoKubernetesPolicyName(staged.policy),
        networkPolicy: { namespace, name },
      };
    }),
  ];
}

/**
 * The snapshot compiled once per staged policy, with that policy enforced; none when Calico's
 * policies are not evaluated (no Calico object, or another network plugin).
 */
function stagedAnalyses(analysis: Analysis, compileStaged: CompileStaged) {
  const { mode } = analysis.calico;
  if (mode === 'absent' || mode === 'ignored') return [];
  return stagedPolicies(analysis.cluster).map((staged) => ({
    staged,
    previewed: compileStaged([staged.name]),
  }));
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
  analysis: Analysis,
  compileStaged: CompileStaged,
  exposure: PodExposure,
): StagedExposurePreview[] {
  return stagedAnalyses(analysis, compileStaged).flatMap(({ staged, previewed }) => {
    const podIdx = previewed.podIndex.get(exposure.pod.id);
    if (podIdx === undefined) return [];
    const changes = exposureChanges(exposure, explainPod(previewed, podIdx));
    const changed = changes.ingress.length + changes.egress.length > 0;
    return changed ? [{ policy: staged.name, changes }] : [];
  });
}

/**
 * Whether a previewed policy governs a flow: a Calico tier's step names it, or (a NetworkPolicy
 * it would create) it isolates a side.
 */
function governs(flow: CheckedFlow, { traced, networkPolicy }: StagedPolicy): boolean {
  const sides = flow.verdict ? [flow.verdict.egress, flow.verdict.ingress] : [];
  return sides.some(
    (side) =>
      (side.calicoTiers ?? []).some(
        (step) => step.policy === traced || step.policies?.includes(traced),
      ) ||
      ('isolatedBy' in side &&
        side.isolatedBy.some(
          (ref) => ref.namespace === networkPolicy?.namespace && ref.name === networkPolicy.name,
        )),
  );
}

/**
 * The verdict of the checked flows with each staged Calico policy that would govern them turned
 * real in turn: staged policies are never enforced, so their effect is shown as a preview,
 * compiled through the same kernel. None when Calico's policies are not evaluated.
 */
export function stagedPreviews(
  analysis: Analysis,
  compileStaged: CompileStaged,
  question: CheckQuestion,
): StagedPreview[] {
  const analyses = stagedAnalyses(analysis, compileStaged);
  // Without staged policies there is nothing to compare: the check is not asked twice.
  if (analyses.length === 0) return [];
  const before = checkTargets(analysis, question);
  const current = before.ok ? checkOutcome(before.value.flows) : undefined;
  return analyses.flatMap(({ staged, previewed }) => {
    const checked = checkTargets(previewed, question);
    if (!checked.ok) return [];
    const { flows } = checked.value;
    // A staged Delete governs nothing once applied: a change in the verdict shows it.
    const changed = current !== undefined && current !== checkOutcome(flows);
    if (!changed && !flows.some((flow) => governs(flow, staged))) return [];
    return [{ policy: staged.name, verdict: checkOutcome(flows) }];
  });
}
