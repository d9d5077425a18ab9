import type { DnsAssumption, Protocol, ScaffoldedPolicy } from '../engine/index.js';
import { type Analysis, isClusterPolicy, type PolicyEffect, recheckWith } from '../engine/index.js';
import { dnsAssumptionText } from '../render/dns.js';
import { effectLines } from '../render/effect.js';
import { policiesYaml } from '../render/policy-yaml.js';
import { recheckLines } from '../render/recheck.js';
import type { CheckedQuestion } from './wizard.js';

/** The verdict of the traffic check the wizard came from, once the policies are added. */
function questionLines(
  analysis: Analysis,
  policies: readonly ScaffoldedPolicy[],
  question: CheckedQuestion,
  namespace: string,
): string[] {
  const protocol = question.protocol as Protocol;
  const answer = recheckWith(analysis, { ...question, protocol, namespace }, policies);
  return recheckLines(answer, question, policies.length, {
    portName: 'port',
    whenDenied: `save or apply ${policies.length === 1 ? 'this one' : 'these'}, then run the wizard again (s) from the check for the other side`,
  });
}

/** The preview screen's two parts: the explanation, which wraps to the screen, and the YAML, which never does. */
export interface WizardPreview {
  /** The check's verdict with the policies, if the wizard came from a check, and their effect. */
  readonly notes: readonly string[];
  /** The policies' YAML, line by line. */
  readonly yaml: readonly string[];
}

/** The policies the wizard built, and what their DNS rules assume of the cluster DNS. */
export interface WizardBuilt {
  readonly policies: readonly ScaffoldedPolicy[];
  readonly dnsAssumptions: readonly DnsAssumption[];
}

/**
 * The preview screen: what their DNS rules assume (to check first), what the policies change
 * on the current snapshot, then their YAML.
 */
export function wizardPreview(
  analysis: Analysis,
  { policies, dnsAssumptions }: WizardBuilt,
  effect: PolicyEffect,
  question: CheckedQuestion | undefined,
  namespace: string,
  allowDnsFlag: boolean,
): WizardPreview {
  return {
    notes: [
      ...dnsAssumptions.map((assumption) => `DNS: ${dnsAssumptionText(assumption)}`),
      ...(question ? questionLines(analysis, policies, question, namespace) : []),
      'Effect on the current snapshot:',
      ...effectLines(effect, { clusterPolicy: policies.some(isClusterPolicy), allowDnsFlag }).map(
        (line) => `  ${line}`,
      ),
    ],
    yaml: policiesYaml(policies).trimEnd().split('\n'),
  };
}
