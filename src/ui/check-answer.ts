import type { CheckView } from './check-view.js';
import { type Answered, shownValue } from './use-answer.js';

/**
 * The check screen from the analyst's answer: "checking…" until it comes (after a watch update,
 * the previous snapshot's verdict), its error if it failed.
 */
export function answeredCheckView(answered: Answered<{ readonly view: CheckView }>): CheckView {
  const shown = shownValue(answered);
  if (shown) return shown.view;
  if (answered.state === 'failed')
    return { outcome: undefined, lines: [`could not check this: ${answered.message}`] };
  return { outcome: undefined, lines: ['checking…'] };
}
