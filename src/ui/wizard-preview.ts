import type { NetworkPolicy, Protocol } from '../engine/index.js';
import {
  type Analysis,
  allFlowsAllowed,
  checkTargets,
  compileCluster,
  type PolicyEffect,
  withPolicies,
} from '../engine/index.js';
import { effectLines } from '../render/effect.js';
import { policiesYaml } from '../render/policy-yaml.js';
import { checkProblemText } from '../render/target-problem.js';
import type { CheckedQuestion } from './wizard.js';

/** The verdict of the traffic check the wizard came from, once the policies are added. */
function questionLines(
  analysis: Analysis,
  policies: readonly NetworkPolicy[],
  question: CheckedQuestion,
  namespace: string,
): string[] {
  const after = compileCluster(withPolicies(analysis.cluster, policies));
  const asked = `${question.source} -> ${question.destination} ${question.protocol} ${question.port}`;
  const checked = checkTargets(after, {
    ...question,
    protocol: question.protocol as Protocol,
    namespace,
  });
  if (!checked.ok) return [`checked flow ${asked}: ${checkProblemText(checked.error, 'port')}`];
  const { flows } = checked.value;
  if (allFlowsAllowed(flows)) return [`ALLOWED with this policy: ${asked}`];
  const side = flows.some((f) => f.verdict?.egress.kind === 'denied')
    ? 'egress of the source'
    : 'ingress of the destination';
  return [
    `still DENIED with this policy (the ${side} denies it too): ${asked}`,
    'save or apply this one, then run the wizard again (s) from the check for the other side',
  ];
}

/** The preview screen: what the policies change on the current snapshot, then their YAML. */
export function wizardPreviewLines(
  analysis: Analysis,
  policies: readonly NetworkPolicy[],
  effect: PolicyEffect,
  question: CheckedQuestion | undefined,
  namespace: string,
): string[] {
  return [
    ...(question ? questionLines(analysis, policies, question, namespace) : []),
    'Effect on the current snapshot:',
    ...effectLines(effect).map((line) => `  ${line}`),
    '',
    ...policiesYaml(policies).trimEnd().split('\n'),
  ];
}
