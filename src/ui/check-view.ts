import type { Analysis } from '../engine/index.js';
import { allFlowsAllowed, checkTargets } from '../engine/index.js';
import { checkProblemText } from '../render/target-problem.js';
import { checkedFlowLines, remedyLines } from '../render/verdict.js';
import type { CheckForm } from './state.js';

/** What the traffic-check screen shows under the form. */
export interface CheckView {
  readonly allowed: boolean | undefined;
  readonly lines: readonly string[];
}

/** Runs the check the form describes; a target or port that names nothing becomes a message. */
export function checkView(analysis: Analysis, form: CheckForm, namespace: string): CheckView {
  const asked = form.asked;
  if (!asked) return { allowed: undefined, lines: ['fill in the fields and press enter'] };
  if (!asked.source || !asked.destination || !asked.port) {
    return { allowed: undefined, lines: ['source, destination and port are all needed'] };
  }
  const checked = checkTargets(analysis, { ...asked, namespace });
  if (!checked.ok) {
    return { allowed: undefined, lines: [`error: ${checkProblemText(checked.error, 'port')}`] };
  }
  const { flows } = checked.value;
  return {
    allowed: allFlowsAllowed(flows),
    lines: flows.flatMap((flow) => [...checkedFlowLines(analysis, flow), ...remedyLines(flow), '']),
  };
}
