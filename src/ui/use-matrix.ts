import { useMemo } from 'react';
import type { Analyst } from './analyst/analyst.js';
import type { AnalystSnapshot } from './analyst/questions.js';
import type { MatrixView } from './matrix-view.js';
import type { Screen } from './state.js';
import { type Answered, useAnswer } from './use-answer.js';

/**
 * The matrix of a namespace (or of the screen's scope: marked pods, several namespaces) while
 * its screen is shown, from the analyst; unasked on other screens.
 */
export function useMatrix(
  analyst: Analyst,
  snapshot: AnalystSnapshot,
  screen: Screen,
  namespace: string,
): Answered<MatrixView> {
  const of = screen.id === 'matrix' ? (screen.scope ?? namespace) : undefined;
  const question = useMemo(
    () => (of === undefined ? undefined : ({ kind: 'matrix', of } as const)),
    [of],
  );
  return useAnswer(analyst, snapshot, question);
}
