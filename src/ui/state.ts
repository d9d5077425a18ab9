import { reduceCheck } from './state/check-form.js';
import { reduceFlash } from './state/flash.js';
import { reduceNavigation } from './state/navigation.js';
import { reduceTextInput } from './state/text-input.js';
import type { UiAction, UiState } from './state/types.js';
import { reduceWizard } from './state/wizard.js';

export { shownFlash } from './state/flash.js';
export { escapeLeads } from './state/navigation.js';
export { typingIntoField } from './state/text-input.js';
export * from './state/types.js';
export { selectedTemplate } from './state/wizard.js';

/** The state the UI starts in: on the pods list, filtered by `podFilter` (-l), if either is given. */
export function initialState(namespace?: string, podFilter = ''): UiState {
  return {
    stack: [namespace || podFilter ? { id: 'pods' } : { id: 'namespaces' }],
    cursors: { namespaces: 0, pods: 0, policies: 0, services: 0, 'cluster-policies': 0, audit: 0 },
    filters: {
      namespaces: '',
      pods: podFilter,
      policies: '',
      services: '',
      'cluster-policies': '',
      audit: '',
    },
    matrixCursor: { row: 0, column: 0 },
    marks: [],
    scroll: 0,
    namespace,
    mode: 'normal',
    input: '',
    inputSelected: false,
    check: {
      source: '',
      destination: '',
      port: '',
      protocol: 'TCP',
      focus: 'source',
      submitted: 0,
    },
    flash: undefined,
    conditions: {},
    pickingNamespace: false,
    wizard: undefined,
    confirmation: undefined,
  };
}

/** The UI's reducer: pure, so every key path can be tested without rendering. Each part of the state has its own. */
export function reduce(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'move':
    case 'scroll':
    case 'matrix-move':
    case 'open':
    case 'back':
    case 'jump':
    case 'pick-namespace':
    case 'choose-namespace':
    case 'toggle-mark':
      return reduceNavigation(state, action);
    case 'start-input':
    case 'confirm':
    case 'type':
    case 'erase':
    case 'replace':
    case 'end-input':
      return reduceTextInput(state, action);
    case 'check-from':
    case 'check-focus':
    case 'check-protocol':
    case 'check-submit':
    case 'check-ran':
      return reduceCheck(state, action);
    case 'flash':
    case 'condition':
      return reduceFlash(state, action);
    case 'wizard-open':
    case 'wizard-template':
    case 'wizard-highlight':
    case 'wizard-focus':
    case 'wizard-set':
    case 'wizard-close':
      return reduceWizard(state, action);
  }
}
