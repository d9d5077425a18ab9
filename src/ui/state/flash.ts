import type { Flash, FlashAction, UiState } from './types.js';

/** What the flash line remembers: the one-shot message and the conditions that hold. */
type FlashState = Pick<UiState, 'flash' | 'conditions'>;

/** Sets or clears the one-shot message, or a source's condition. */
export function reduceFlash<S extends FlashState>(state: S, action: FlashAction): S {
  if (action.type === 'flash') return { ...state, flash: action.flash };
  const { [action.source]: _gone, ...others } = state.conditions;
  return {
    ...state,
    conditions: action.flash ? { ...others, [action.source]: action.flash } : others,
  };
}

const SEVERITY = { info: 0, warning: 1, error: 2 } as const;

/** What the flash line shows: the one-shot message, else the most severe condition that holds. */
export function shownFlash(state: FlashState): Flash | undefined {
  if (state.flash) return state.flash;
  let worst: Flash | undefined;
  for (const flash of Object.values(state.conditions)) {
    if (!worst || SEVERITY[flash.level] > SEVERITY[worst.level]) worst = flash;
  }
  return worst;
}
