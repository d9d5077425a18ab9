import type { CheckAnswer, CheckProblem, Result } from '../engine/index.js';
import { checkOutcome } from '../engine/index.js';
import { checkProblemText } from './target-problem.js';
import { terminalText } from './terminal-text.js';

/** The flow a preview re-checks, as asked. */
export interface AskedFlow {
  readonly source: string;
  readonly destination: string;
  readonly port: string;
  readonly protocol: string;
}

/**
 * What the checked flow's verdict becomes with the previewed policies (`count` of them), from
 * the check asked again with them added; `portName` names the port argument in errors, and
 * `whenDenied` says what to do next when the flow is still denied.
 */
export function recheckLines(
  answer: Result<CheckAnswer, CheckProblem>,
  asked: AskedFlow,
  count: number,
  { portName, whenDenied }: { readonly portName: string; readonly whenDenied?: string },
): string[] {
  const flow = terminalText(
    `${asked.source} -> ${asked.destination} ${asked.protocol} ${asked.port}`,
  );
  const these = count === 1 ? 'this policy' : 'these policies';
  if (!answer.ok) return [`checked flow ${flow}: ${checkProblemText(answer.error, portName)}`];
  const { flows } = answer.value;
  const outcome = checkOutcome(flows);
  if (outcome === 'ALLOWED') return [`ALLOWED with ${these}: ${flow}`];
  if (outcome === 'UNKNOWN') {
    return [
      `UNKNOWN with ${these}: ${flow}`,
      'what the snapshot could not read or evaluate still decides it (see the check)',
    ];
  }
  const side = flows.some((f) => f.verdict?.egress.kind === 'denied')
    ? 'egress of the source'
    : 'ingress of the destination';
  return [
    `still DENIED with ${these} (the ${side} denies it too): ${flow}`,
    ...(whenDenied ? [whenDenied] : []),
  ];
}
