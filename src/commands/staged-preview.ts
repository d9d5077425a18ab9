import {
  type Analysis,
  type Cluster,
  calicoPolicyName,
  checkOutcome,
  checkTargets,
  type Outcome,
} from '../engine/index.js';
import type { CheckArgs } from './check-options.js';
import { compileInput } from './session.js';

/** What a check would answer if one staged Calico policy were enforced. */
export interface StagedPreview {
  /** The staged policy's kubectl name, e.g. `stagednetworkpolicy/prod/lockdown`. */
  readonly policy: string;
  readonly verdict: Outcome;
}

/**
 * The verdict of the checked flows with each staged Calico policy turned real in turn: staged
 * policies are never enforced, so their effect is shown as a preview, compiled through the same
 * kernel. None when Calico's policies are not evaluated.
 */
export function stagedPreviews(
  cluster: Cluster,
  analysis: Analysis,
  args: CheckArgs & { readonly namespace: string },
): StagedPreview[] {
  if (!analysis.calico.layer) return [];
  return (cluster.calicoPolicies ?? [])
    .filter((policy) => policy.staged)
    .flatMap((policy) => {
      const name = calicoPolicyName(policy);
      const previewed = compileInput(cluster, args, { enforceStaged: [name] });
      const checked = checkTargets(previewed, args);
      return checked.ok ? [{ policy: name, verdict: checkOutcome(checked.value.flows) }] : [];
    });
}

/** The preview lines of check's text: "if staged policy X were enforced: DENIED". */
export function stagedPreviewLines(previews: readonly StagedPreview[]): string[] {
  return previews.map(
    (preview) => `if staged policy ${preview.policy} were enforced: ${preview.verdict}`,
  );
}
