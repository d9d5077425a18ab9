import { useMemo } from 'react';
import { type Analysis, findPolicy, type PolicyView, policyView } from '../engine/index.js';
import type { Screen } from './state.js';
import { useDeferred } from './use-deferred.js';

/** How long after the policy screen opens its view is computed (the screen shows "computing…"). */
const POLICY_VIEW_DELAY_MS = 10;

/** The policy a screen shows ("namespace/name"), in its snapshot. */
interface ShownPolicy {
  readonly analysis: Analysis;
  readonly policyKey: string | undefined;
}

/** The view of a policy; null when it is gone from the snapshot, undefined with none to show. */
function computeView({ analysis, policyKey }: ShownPolicy): PolicyView | null | undefined {
  if (policyKey === undefined) return undefined;
  const slash = policyKey.indexOf('/');
  const found = findPolicy(analysis.cluster, policyKey.slice(0, slash), policyKey.slice(slash + 1));
  return found.ok ? policyView(analysis, found.policy) : null;
}

/**
 * The view of the policy on a policy screen, computed after the screen has drawn so that keys
 * are never held up; undefined until it is ready (and on other screens), null when it is gone.
 */
export function usePolicyView(analysis: Analysis, screen: Screen): PolicyView | null | undefined {
  const policyKey = screen.id === 'policy-detail' ? screen.policyKey : undefined;
  const shown = useMemo(() => ({ analysis, policyKey }), [analysis, policyKey]);
  return useDeferred(computeView, shown, POLICY_VIEW_DELAY_MS).ready;
}
