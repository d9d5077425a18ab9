import { useMemo } from 'react';
import type { Analyst } from './analyst/analyst.js';
import type { AnalystSnapshot } from './analyst/questions.js';
import type { MatrixView } from './matrix-view.js';
import type { Screen } from './state.js';
import { type Answered, useAnswer } from './use-answer.js';

/** The matrix of a namespace while its screen is shown, from the analyst; unasked on other screens. */
export function useMatrix(
  analyst: Analyst,
  snapshot: AnalystSnapshot,
  screen: Screen,
  namespace: string,
): Answered<MatrixView> {
  const shown = screen.id === 'matrix';
  const question = useMemo(
    () => (shown ? ({ kind: 'matrix', namespace } as const) : undefined),
    [shown, namespace],
  );
  return useAnswer(analyst, snapshot, question);
}
