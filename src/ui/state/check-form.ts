import {
  askedQuestion,
  CHECK_FIELDS,
  type CheckAction,
  type CheckForm,
  isCompleteQuestion,
  type UiState,
} from './types.js';

/** The form's inputs, in tab order: the verdict is focused only by running a check. */
const INPUTS = CHECK_FIELDS.filter((field) => field !== 'result');

/** Moves the focus, sets the protocol or records a submission, on the form alone. */
function reduceForm(form: CheckForm, action: Exclude<CheckAction, { type: 'check-from' }>) {
  switch (action.type) {
    case 'check-focus': {
      const at =
        form.focus === 'result'
          ? action.delta > 0
            ? -1
            : INPUTS.length
          : INPUTS.indexOf(form.focus);
      const focus = INPUTS[(at + action.delta + INPUTS.length) % INPUTS.length] ?? form.focus;
      return { ...form, focus, awaitingVerdict: false };
    }
    case 'check-protocol':
      return { ...form, protocol: action.protocol };
    case 'check-submit': {
      const asked = askedQuestion(form);
      return {
        ...form,
        submitted: form.submitted + 1,
        asked,
        awaitingVerdict: isCompleteQuestion(asked),
      };
    }
    case 'check-ran':
      if (form.asked !== action.asked || !form.awaitingVerdict) return form;
      return { ...form, focus: action.ran ? 'result' : form.focus, awaitingVerdict: false };
  }
}

/** Opens the traffic check, or edits its form. */
export function reduceCheck(state: UiState, action: CheckAction): UiState {
  if (action.type === 'check-from') {
    return {
      ...state,
      stack: [...state.stack, { id: 'check' }],
      scroll: 0,
      check: {
        ...state.check,
        source: action.source,
        destination: action.destination ?? state.check.destination,
        port: action.port?.port ?? state.check.port,
        protocol: action.port?.protocol ?? state.check.protocol,
        // The first field left to fill in (a Service's check starts from its destination).
        focus: !action.source ? 'source' : action.destination ? 'port' : 'destination',
        // The verdict shown was for other fields: it goes until this question is asked.
        asked: undefined,
        awaitingVerdict: false,
      },
    };
  }
  const check = reduceForm(state.check, action);
  // A new verdict is read from its top.
  return { ...state, check, scroll: action.type === 'check-submit' ? 0 : state.scroll };
}

/** Edits the focused text field of the form; the protocol and the verdict take no text. */
export function editCheckField(form: CheckForm, update: (value: string) => string): CheckForm {
  const field = form.focus;
  if (field === 'protocol' || field === 'result') return form;
  return { ...form, [field]: update(form[field]) };
}
