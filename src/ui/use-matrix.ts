import { useMemo } from 'react';
import type { Analysis, PeerIndex } from '../engine/index.js';
import { type MatrixView, matrixView } from './matrix-view.js';
import type { MatrixScope, Screen } from './state.js';
import { useDeferred } from './use-deferred.js';

/** How long after the matrix screen opens its matrix is computed (the screen shows "computing…"). */
const MATRIX_DELAY_MS = 10;

/** The matrix asked for (a namespace's, or a scope's), if its screen is shown. */
interface ShownMatrix {
  readonly analysis: Analysis;
  readonly of: string | MatrixScope | undefined;
  readonly peerIndex: () => PeerIndex;
}

function computeView({ analysis, of, peerIndex }: ShownMatrix): MatrixView | undefined {
  return of === undefined ? undefined : matrixView(analysis, of, peerIndex());
}

/**
 * The matrix of a namespace (or of the screen's scope: marked pods, namespaces) while its
 * screen is shown, computed after the screen has drawn so
 * that keys are never held up; undefined until it is ready (and on other screens).
 */
export function useMatrix(
  analysis: Analysis,
  screen: Screen,
  namespace: string,
  peerIndex: () => PeerIndex,
): MatrixView | undefined {
  const of = screen.id === 'matrix' ? (screen.scope ?? namespace) : undefined;
  const shown = useMemo(() => ({ analysis, of, peerIndex }), [analysis, of, peerIndex]);
  return useDeferred(computeView, shown, MATRIX_DELAY_MS).ready;
}
