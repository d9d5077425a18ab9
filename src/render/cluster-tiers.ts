import type { ClusterRuleMatch, ClusterTierStep } from '../engine/index.js';
import { terminalText } from './terminal-text.js';

const ACTION_WORDS = { Accept: 'accepted', Deny: 'denied', Pass: 'passed on' } as const;

/** A cluster policy rule in words: `cnp/block priority 10 ingress rule 2 ("name")`. */
export function clusterRuleText(match: ClusterRuleMatch): string {
  const name = match.ruleName ? ` (${terminalText(match.ruleName)})` : '';
  return `${terminalText(match.policy)} priority ${match.priority} ${match.direction} rule ${match.ruleIndex + 1}${name}`;
}

/** One tier's decision in words: "Admin tier: denied by cnp/x priority 10 ingress rule 2". */
export function clusterTierText(step: ClusterTierStep): string {
  if (!step.match) return `${step.tier} tier: no rule matches`;
  return `${step.tier} tier: ${ACTION_WORDS[step.match.action]} by ${clusterRuleText(step.match)}`;
}
