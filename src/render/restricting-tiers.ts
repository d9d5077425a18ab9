import type { RestrictingTier } from '../engine/index.js';
import { terminalList, terminalText } from './terminal-text.js';

/** The tiers without policies of their own, in words. */
const TIER_WORDS: Readonly<Record<string, string>> = {
  admin: 'Admin tier',
  baseline: 'Baseline tier',
  'cilium-deny': 'Cilium deny rules',
  'cilium-datapath': "Cilium's SCTP drop",
};

const CALICO_PREFIX = 'calico:';

/** A tier that denies some of a side, in words: `calico tier security`, `Admin tier`. */
export function restrictingTierText({ tier }: RestrictingTier): string {
  if (tier.startsWith(CALICO_PREFIX))
    return `calico tier ${terminalText(tier.slice(CALICO_PREFIX.length))}`;
  return TIER_WORDS[tier] ?? terminalText(tier);
}

/** The tiers that deny some of a side: `calico tier security, Admin tier`. */
export function restrictingTiersText(tiers: readonly RestrictingTier[]): string {
  return tiers.map(restrictingTierText).join(', ');
}

/** The tiers with the policies denying there: `calico tier security (globalnetworkpolicy/x)`. */
export function restrictingTiersDetail(tiers: readonly RestrictingTier[]): string {
  return tiers
    .map((tier) => {
      const policies = tier.policies.length > 0 ? ` (${terminalList(tier.policies)})` : '';
      return `${restrictingTierText(tier)}${policies}`;
    })
    .join(', ');
}
