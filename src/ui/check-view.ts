import type { Analysis, CheckedFlow, CompileStaged } from '../engine/index.js';
import {
  checkOutcome,
  checkTargets,
  effectiveOutcome,
  type Outcome,
  stagedPreviews,
} from '../engine/index.js';
import { answerScope } from '../render/answer-scope.js';
import { checkAnswerLines } from '../render/check-notes.js';
import { unenforcingPlugin } from '../render/enforcement.js';
import { stagedPreviewLines } from '../render/staged-preview.js';
import { checkProblemText } from '../render/target-problem.js';
import { checkFlowsLines } from '../render/verdict.js';
import type { PluginEnforcement } from './snapshot-analysis.js';
import { type CheckForm, isCompleteQuestion } from './state.js';

/** What the traffic-check screen shows under the form. */
export interface CheckView {
  /** The check's answer on the cluster; undefined until one has run. */
  readonly outcome: Outcome | undefined;
  /** The policies' verdict, when the plugin ignoring them makes the answer differ from it. */
  readonly policyOutcome?: Outcome;
  /** What the screen says above the answer: that the plugin does not enforce the policies. */
  readonly banner?: readonly string[];
  readonly lines: readonly string[];
}

/**
 * The policies' verdict on a check's flows, and the answer on the cluster: the effective one
 * with `plugin` (traffic flows where the plugin ignores NetworkPolicies), else the same.
 */
export function checkOutcomes(
  flows: readonly CheckedFlow[],
  plugin?: PluginEnforcement,
): { readonly policies: Outcome; readonly outcome: Outcome } {
  const policies = checkOutcome(flows);
  const outcome = plugin
    ? effectiveOutcome(policies, plugin.cni.enforcesPolicies, plugin.assumed)
    : policies;
  return { policies, outcome };
}

/** What the check screen shows before the form has been submitted. */
const UNASKED_CHECK: CheckView = {
  outcome: undefined,
  lines: ['fill in the fields and press enter'],
};

/**
 * What the check screen shows when the form asks nothing to run (it was not submitted, or
 * lacks a field); undefined when it asks a check, which needs the analysis.
 */
export function unaskedCheckView(form: CheckForm): CheckView | undefined {
  const asked = form.asked;
  if (!asked) return UNASKED_CHECK;
  if (!isCompleteQuestion(asked)) {
    return { outcome: undefined, lines: ['source, destination and port are all needed'] };
  }
  return undefined;
}

/**
 * Runs the check the form describes; a target or port that names nothing becomes a message.
 * With `plugin`, the answer is the effective one, and says how far it holds, as `check` does:
 * the lines `check` starts with are the banner. With `compileStaged`, it ends as `check` does
 * with what each staged Calico policy that would govern it would answer, were it enforced.
 */
export function checkView(
  analysis: Analysis,
  form: CheckForm,
  namespace: string,
  plugin?: PluginEnforcement,
  compileStaged?: CompileStaged,
): CheckView {
  const asked = form.asked;
  const unasked = unaskedCheckView(form);
  if (unasked || !asked) return unasked ?? UNASKED_CHECK;
  const checked = checkTargets(analysis, { ...asked, namespace });
  if (!checked.ok) {
    return { outcome: undefined, lines: [`error: ${checkProblemText(checked.error, 'port')}`] };
  }
  const { flows, notes } = checked.value;
  const { policies, outcome } = checkOutcomes(flows, plugin);
  const scope = plugin
    ? answerScope(analysis.cluster, plugin.cni, plugin.assumed, policies)
    : { before: [], after: [] };
  const unenforcedBy = plugin ? unenforcingPlugin(plugin.cni, plugin.assumed) : undefined;
  const previews = compileStaged
    ? stagedPreviews(analysis, compileStaged, { ...asked, namespace })
    : [];
  const verdicts = [
    ...checkFlowsLines(analysis, flows, unenforcedBy),
    ...stagedPreviewLines(previews),
  ];
  return {
    outcome,
    ...(outcome !== policies ? { policyOutcome: policies } : {}),
    ...(scope.before.length > 0 ? { banner: scope.before } : {}),
    // What check prints, by the same renderer, but for the lines it starts with: the banner.
    lines: checkAnswerLines({ before: [], after: scope.after }, notes, verdicts),
  };
}
