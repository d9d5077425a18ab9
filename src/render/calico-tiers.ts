import type { Analysis, CalicoTierStep, Finding } from '../engine/index.js';
import { terminalList, terminalText } from './terminal-text.js';

const ACTION_WORDS = { Allow: 'allowed', Deny: 'denied', Pass: 'passed to the next tier' } as const;

/** The rule or tier end behind a Calico step: `globalnetworkpolicy/x ingress rule 2`. */
export function calicoDeciderText(step: CalicoTierStep): string {
  if (step.endOfTier || step.ruleIndex === undefined || !step.policy) {
    const applying = step.policies?.length
      ? ` (${terminalList(step.policies)} apply, none matched)`
      : '';
    return `the end of tier ${terminalText(step.tier)}${applying}`;
  }
  return `${terminalText(step.policy)} ${step.direction} rule ${step.ruleIndex + 1}`;
}

/** One Calico tier's decision in words: "calico tier security: passed to the next tier by ...". */
export function calicoTierText(step: CalicoTierStep): string {
  const tier = `calico tier ${terminalText(step.tier)}`;
  if (step.action === 'none') return `${tier}: no policy of the tier matched`;
  return `${tier}: ${ACTION_WORDS[step.action]} by ${calicoDeciderText(step)}`;
}

/**
 * A note on how Calico's policies took part when that is not plain enforcement: ignored (another
 * plugin runs) or assumed (the plugin is not known).
 */
export function calicoLayerNote(analysis: Analysis, plugin: string): Finding | undefined {
  const note = (message: string): Finding => ({ severity: 'info', code: 'calico-layer', message });
  switch (analysis.calico.mode) {
    case 'ignored':
      return note(
        `Calico policies present, but the network plugin is ${terminalText(plugin)}: they are not evaluated`,
      );
    case 'assumed':
      return note(
        'Calico policies evaluated: the network plugin is not known, so Calico was assumed from the objects',
      );
    // 'undecided': Cilium's notes say it (both plugins' policies are present, the plugin unknown).
    default:
      return undefined;
  }
}
