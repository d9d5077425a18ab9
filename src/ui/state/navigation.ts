import { currentList, type NavigationAction, type Screen, type UiState } from './types.js';

function clamp(value: number, size: number): number {
  return Math.max(0, Math.min(value, size - 1));
}

/** Moves between screens, along a list, or through a text. */
export function reduceNavigation(state: UiState, action: NavigationAction): UiState {
  switch (action.type) {
    case 'move': {
      const list = currentList(state);
      if (!list) return state;
      const cursor = clamp(state.cursors[list] + action.delta, action.size);
      return { ...state, cursors: { ...state.cursors, [list]: cursor } };
    }
    case 'scroll':
      return { ...state, scroll: Math.max(0, Math.min(state.scroll + action.delta, action.max)) };
    case 'matrix-move': {
      const { row, column } = state.matrixCursor;
      const matrixCursor = {
        row: clamp(row + action.rows, action.size),
        column: clamp(column + action.columns, action.size),
      };
      return { ...state, matrixCursor };
    }
    case 'open': {
      const opened = {
        ...state,
        stack: [...state.stack, action.screen],
        scroll: 0,
        flash: undefined,
      };
      // A matrix of other pods starts at its first cell.
      const scoped = action.screen.id === 'matrix' && action.screen.scope !== undefined;
      return scoped ? { ...opened, matrixCursor: { row: 0, column: 0 } } : opened;
    }
    case 'back':
      if (state.stack.length > 1) {
        return { ...state, stack: state.stack.slice(0, -1), scroll: 0, pickingNamespace: false };
      }
      // A screen alone on the stack (a jump's, or -n's pods) goes back to the namespaces list.
      if (state.stack[0]?.id !== 'namespaces') {
        return { ...state, stack: [{ id: 'namespaces' }], scroll: 0, pickingNamespace: false };
      }
      return { ...state, pickingNamespace: false };
    case 'jump': {
      // A jump that works replaces whatever the flash line said about earlier ones.
      const jumped = { ...state, stack: [action.screen], scroll: 0, pickingNamespace: false };
      if (action.screen.id === 'matrix' && action.screen.scope !== undefined) {
        return { ...jumped, flash: undefined, matrixCursor: { row: 0, column: 0 } };
      }
      if (action.namespace === undefined) return { ...jumped, flash: undefined };
      return {
        ...jumped,
        flash: undefined,
        namespace: action.namespace,
        cursors: { ...state.cursors, pods: 0, policies: 0, services: 0 },
        matrixCursor: { row: 0, column: 0 },
      };
    }
    case 'toggle-mark': {
      const marked = state.marks.includes(action.podId);
      const marks = marked
        ? state.marks.filter((podId) => podId !== action.podId)
        : [...state.marks, action.podId];
      return { ...state, marks };
    }
    case 'pick-namespace':
      return { ...state, stack: [...state.stack, { id: 'namespaces' }], pickingNamespace: true };
    case 'choose-namespace': {
      const stack: Screen[] = state.pickingNamespace ? state.stack.slice(0, -1) : [...state.stack];
      if (!state.pickingNamespace) stack.push({ id: 'pods' });
      return {
        ...state,
        stack,
        namespace: action.namespace,
        cursors: { ...state.cursors, pods: 0, policies: 0, services: 0 },
        matrixCursor: { row: 0, column: 0 },
        pickingNamespace: false,
      };
    }
  }
}

/** Whether esc does anything here: clears the list's filter, or leaves the screen for another. */
export function escapeLeads(state: UiState): boolean {
  const list = currentList(state);
  if (list && state.filters[list]) return true;
  return state.stack.length > 1 || state.stack[0]?.id !== 'namespaces' || state.pickingNamespace;
}
