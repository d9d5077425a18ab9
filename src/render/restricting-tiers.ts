import type { DenyDoubt, RestrictingTier } from '../engine/index.js';
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

/** Whether some of the tiers surely denies some connection (not only, maybe, peers unlisted). */
export function surelyRestricted(tiers: readonly RestrictingTier[]): boolean {
  return tiers.some((tier) => !tier.doubts);
}

/**
 * A side the tiers deny some of, compactly: `restricted (calico tier security)`. `?` marks what
 * may not hold, as the matrix marks its UNKNOWN ports: the state when every tier may deny only
 * peers the input cannot list or tell (`restricted? (Admin tier)`), else each such tier
 * (`restricted (calico tier security, Admin tier?)`); MAYBE_LEGEND says so.
 */
export function restrictedText(tiers: readonly RestrictingTier[]): string {
  const sure = surelyRestricted(tiers);
  const names = tiers.map(
    (tier) => `${restrictingTierText(tier)}${sure && tier.doubts ? '?' : ''}`,
  );
  return `restricted${sure ? '' : '?'} (${names.join(', ')})`;
}

/** What the `?` of restrictedText and of a policy name denying maybe means, in one line. */
export const MAYBE_LEGEND =
  '?: may deny only peers the input does not list or cannot tell apart (explain NAMESPACE/POD says which)';

/** Why a tier may deny though no connection of the input shows it, in words. */
const DOUBT_WORDS: Readonly<Record<DenyDoubt, string>> = {
  'pods-not-in-input': 'only pods the input does not list',
  addresses: 'addresses in too many ranges to try',
  'uncertain-match': 'pods whose match the input cannot tell',
};

/**
 * The tiers with the policies denying there: `calico tier security (globalnetworkpolicy/x)`;
 * a tier that may deny only peers the input cannot list or tell says so: `Admin tier (cnp/x;
 * maybe, for only pods the input does not list)`.
 */
export function restrictingTiersDetail(tiers: readonly RestrictingTier[]): string {
  return tiers
    .map((tier) => {
      const doubts = tier.doubts?.map((doubt) => DOUBT_WORDS[doubt]).join(' or ');
      const notes = [
        ...(tier.policies.length > 0 ? [terminalList(tier.policies)] : []),
        ...(doubts ? [`maybe, for ${doubts}`] : []),
      ];
      return notes.length > 0
        ? `${restrictingTierText(tier)} (${notes.join('; ')})`
        : restrictingTierText(tier);
    })
    .join(', ');
}
