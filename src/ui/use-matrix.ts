import { useMemo } from 'react';
import type { Analysis, PeerIndex } from '../engine/index.js';
import { type MatrixView, matrixView } from './matrix-view.js';
import type { Screen } from './state.js';
import { useDeferred } from './use-deferred.js';

/** How long after the matrix screen opens its matrix is computed (the screen shows "computing…"). */
const MATRIX_DELAY_MS = 10;

/** The matrix asked for, if its screen is shown. */
interface ShownMatrix {
  readonly analysis: Analysis;
  readonly namespace: string | undefined;
  readonly peerIndex: () => PeerIndex;
}

function computeView({ analysis, namespace, peerIndex }: ShownMatrix): MatrixView | undefined {
  return namespace === undefined ? undefined : matrixView(analysis, namespace, peerIndex());
}

/**
 * The matrix of a namespace while its screen is shown, computed after the screen has drawn so
 * that keys are never held up; undefined until it is ready (and on other screens).
 */
export function useMatrix(
  analysis: Analysis,
  screen: Screen,
  namespace: string,
  peerIndex: () => PeerIndex,
): MatrixView | undefined {
  const shownNamespace = screen.id === 'matrix' ? namespace : undefined;
  const shown = useMemo(
    () => ({ analysis, namespace: shownNamespace, peerIndex }),
    [analysis, shownNamespace, peerIndex],
  );
  return useDeferred(computeView, shown, MATRIX_DELAY_MS).ready;
}
