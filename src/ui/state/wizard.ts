import {
  fieldValue,
  focusedField,
  WIZARD_TEMPLATES,
  type WizardState,
  withTemplate,
  withValue,
  wizardTemplate,
} from '../wizard.js';
import type { Screen, UiState, WizardAction } from './types.js';

/**
 * Edits the focused field of the wizard. Typing never changes a choice field (typing false:
 * the value was picked, as wizard-set does).
 */
export function editWizardField(
  wizard: WizardState,
  update: (value: string) => string,
  typing = true,
): WizardState {
  const field = focusedField(wizard);
  if (!field || (typing && field.choices)) return wizard;
  return withValue(wizard, field.id, update(fieldValue(wizard, field)));
}

/** The template under the template picker's cursor: the wizard's own until it moves. */
export function selectedTemplate(state: UiState): number {
  const top = state.stack.at(-1);
  if (top?.id === 'scaffold-template' && top.selected !== undefined) return top.selected;
  return Math.max(
    0,
    WIZARD_TEMPLATES.findIndex((t) => t.id === state.wizard?.templateId),
  );
}

/** Opens, fills in and closes the scaffold wizard. */
export function reduceWizard(state: UiState, action: WizardAction): UiState {
  if (action.type === 'wizard-open') {
    const screens: Screen[] = [{ id: 'scaffold-template' }];
    if (action.chosen) screens.push({ id: 'scaffold-form' });
    return { ...state, stack: [...state.stack, ...screens], wizard: action.wizard, scroll: 0 };
  }
  if (action.type === 'wizard-close') {
    const first = state.stack.findIndex((screen) => screen.id.startsWith('scaffold-'));
    const stack = first < 0 ? state.stack : state.stack.slice(0, Math.max(1, first));
    return { ...state, stack, wizard: undefined, scroll: 0 };
  }
  const wizard = state.wizard;
  if (!wizard) return state;
  switch (action.type) {
    case 'wizard-template': {
      // The other side's fix belongs to the template it was opened with.
      const { companions, ...rest } = wizard;
      const kept = action.templateId === wizard.templateId && companions ? { companions } : {};
      const chosen = { ...withTemplate(rest, action.templateId), ...kept };
      return { ...state, stack: [...state.stack, { id: 'scaffold-form' }], wizard: chosen };
    }
    case 'wizard-highlight': {
      if (state.stack.at(-1)?.id !== 'scaffold-template') return state;
      const count = WIZARD_TEMPLATES.length;
      const selected = (selectedTemplate(state) + action.delta + count) % count;
      const picker: Screen = { id: 'scaffold-template', selected };
      return { ...state, stack: [...state.stack.slice(0, -1), picker] };
    }
    case 'wizard-focus': {
      const count = wizardTemplate(wizard).fields.length;
      return {
        ...state,
        wizard: { ...wizard, focus: (wizard.focus + action.delta + count) % count },
      };
    }
    case 'wizard-set':
      return { ...state, wizard: editWizardField(wizard, () => action.value, false) };
  }
}
