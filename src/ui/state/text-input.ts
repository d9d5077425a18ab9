import { focusedField } from '../wizard.js';
import { editCheckField } from './check-form.js';
import {
  currentList,
  currentScreen,
  type InputMode,
  type TextInputAction,
  type UiState,
} from './types.js';
import { editWizardField } from './wizard.js';

/** Where typed text goes on the screen shown, in normal mode: a field of a form. */
function editField(state: UiState, update: (value: string) => string): UiState | undefined {
  if (state.mode !== 'normal') return undefined;
  const id = currentScreen(state).id;
  if (id === 'check') {
    const check = editCheckField(state.check, update);
    return check === state.check ? state : { ...state, check };
  }
  if (id !== 'scaffold-form') return undefined;
  const wizard = state.wizard && editWizardField(state.wizard, update);
  return wizard === state.wizard ? state : { ...state, wizard };
}

/** Typing in filter mode narrows the current list live and puts its cursor back on top. */
function applyFilter(state: UiState, mode: InputMode = state.mode): UiState {
  const list = currentList(state);
  if (state.mode !== 'filter' || !list) return { ...state, mode };
  return {
    ...state,
    mode,
    filters: { ...state.filters, [list]: state.input },
    cursors: { ...state.cursors, [list]: 0 },
  };
}

/** Edits the text being typed: into a form field, or after "/", ":" or a save's "w". */
function editText(state: UiState, update: (value: string) => string): UiState {
  const edited = editField(state, update);
  if (edited) return edited;
  return state.mode === 'normal' || state.mode === 'confirm'
    ? state
    : applyFilter({ ...state, input: update(state.input) });
}

/**
 * Whether typed text goes into a field (a filter, a jump, a file name, a form field) rather
 * than being taken as keys: a run of text that arrives at once goes in whole.
 */
export function typingIntoField(state: UiState): boolean {
  if (state.mode === 'confirm') return false;
  if (state.mode !== 'normal') return true;
  const id = currentScreen(state).id;
  if (id === 'check') return state.check.focus !== 'protocol' && state.check.focus !== 'result';
  const field = id === 'scaffold-form' && state.wizard ? focusedField(state.wizard) : undefined;
  return field !== undefined && !field.choices;
}

/** Starts, edits and ends what is being typed. */
export function reduceTextInput(state: UiState, action: TextInputAction): UiState {
  const list = currentList(state);
  switch (action.type) {
    case 'start-input': {
      const input = action.text ?? (action.mode === 'filter' && list ? state.filters[list] : '');
      return {
        ...state,
        mode: action.mode,
        input,
        inputSelected: action.selected === true && input !== '',
      };
    }
    case 'confirm':
      return { ...state, mode: 'confirm', input: '', confirmation: action.confirmation };
    case 'type': {
      const replace = state.inputSelected && state.mode !== 'normal';
      const typed = editText(state, (value) => (replace ? '' : value) + action.text);
      return typed.inputSelected ? { ...typed, inputSelected: false } : typed;
    }
    case 'erase': {
      const erased = editText(state, (value) => (action.all ? '' : value.slice(0, -1)));
      return erased.inputSelected ? { ...erased, inputSelected: false } : erased;
    }
    case 'replace':
      return editText(state, () => action.text);
    case 'end-input': {
      // enter keeps a filter; esc (while typing it, or later on the list) clears it.
      if (action.keep || (state.mode !== 'filter' && state.mode !== 'normal') || !list) {
        return {
          ...state,
          mode: 'normal',
          input: '',
          inputSelected: false,
          confirmation: undefined,
        };
      }
      return {
        ...state,
        mode: 'normal',
        input: '',
        inputSelected: false,
        filters: { ...state.filters, [list]: '' },
        cursors: { ...state.cursors, [list]: 0 },
      };
    }
  }
}
