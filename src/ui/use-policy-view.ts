import { useMemo } from 'react';
import {
  type Analysis,
  clusterPolicyName,
  clusterPolicyView,
  findClusterPolicy,
  findPolicy,
  policyView,
} from '../engine/index.js';
import { clusterPolicyViewLines, policyViewLines } from '../render/policy-view.js';
import { terminalText } from '../render/terminal-text.js';
import type { Screen } from './state.js';
import { useDeferred } from './use-deferred.js';

/** How long after a policy screen opens its view is computed (the screen shows "computing…"). */
const POLICY_VIEW_DELAY_MS = 10;

/** The policy screen shown, if any, in its snapshot. */
interface ShownPolicy {
  readonly analysis: Analysis;
  readonly screen: Screen | undefined;
}

/** The lines of a policy screen without its first (the title names the policy); none elsewhere. */
function computeLines({ analysis, screen }: ShownPolicy): string[] | undefined {
  if (screen?.id === 'policy-detail') {
    const slash = screen.policyKey.indexOf('/');
    const namespace = screen.policyKey.slice(0, slash);
    const found = findPolicy(analysis.cluster, namespace, screen.policyKey.slice(slash + 1));
    return found.ok
      ? policyViewLines(policyView(analysis, found.policy)).slice(1)
      : [`${terminalText(screen.policyKey)} is no longer in the snapshot`];
  }
  if (screen?.id === 'cluster-policy-detail') {
    const name = clusterPolicyName(screen);
    const found = findClusterPolicy(analysis.cluster, name);
    return found.ok
      ? clusterPolicyViewLines(clusterPolicyView(analysis, found.policy)).slice(1)
      : [`${terminalText(name)} is no longer in the snapshot`];
  }
  return undefined;
}

/**
 * The lines of the policy or cluster policy screen, computed after the screen has drawn so
 * that keys are never held up; undefined until they are ready (and on other screens).
 */
export function usePolicyView(analysis: Analysis, screen: Screen): readonly string[] | undefined {
  const policyScreen =
    screen.id === 'policy-detail' || screen.id === 'cluster-policy-detail' ? screen : undefined;
  const shown = useMemo(() => ({ analysis, screen: policyScreen }), [analysis, policyScreen]);
  return useDeferred(computeLines, shown, POLICY_VIEW_DELAY_MS).ready;
}
