import { useMemo } from 'react';
import type { Analyst } from './analyst/analyst.js';
import type { AnalystSnapshot } from './analyst/questions.js';
import type { Screen } from './state.js';
import { type Answered, useAnswer } from './use-answer.js';

/** The lines of the policy or cluster policy screen shown, from the analyst; unasked elsewhere. */
export function usePolicyView(
  analyst: Analyst,
  snapshot: AnalystSnapshot,
  screen: Screen,
): Answered<string[]> {
  const policyScreen =
    screen.id === 'policy-detail' || screen.id === 'cluster-policy-detail' ? screen : undefined;
  const question = useMemo(
    () => (policyScreen ? ({ kind: 'policy-view', screen: policyScreen } as const) : undefined),
    [policyScreen],
  );
  return useAnswer(analyst, snapshot, question);
}
