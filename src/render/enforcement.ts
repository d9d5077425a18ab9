import type { CniDetection, Enforcement, Outcome } from '../engine/index.js';
import { terminalText } from './terminal-text.js';

/** Whether the network plugin enforces NetworkPolicies, as structured answers carry it. */
export interface EnforcementData {
  readonly plugin: string;
  readonly enforcesPolicies: Enforcement;
  /** The user asked for the policies' verdict whatever the plugin does (--assume-enforced). */
  readonly assumed: boolean;
}

/** The enforcement field of a structured answer. */
export function enforcementData(cni: CniDetection, assumed: boolean): EnforcementData {
  return { plugin: cni.plugin, enforcesPolicies: cni.enforcesPolicies, assumed };
}

/**
 * What a text answer says once about enforcement, to print before and after it: when the
 * plugin ignores NetworkPolicies, first, that the traffic flows whatever they say (`policies`
 * is their verdict); when the plugin is not known, last, that the answer assumes it enforces
 * them. Nothing when enforcement is known or assumed.
 */
export function enforcementLines(
  cni: CniDetection,
  policies: Outcome | undefined,
  assumed: boolean,
): { readonly before: string[]; readonly after: string[] } {
  if (assumed || cni.enforcesPolicies === true) return { before: [], after: [] };
  if (cni.enforcesPolicies === false) {
    const verdict = policies ? `${policies} by policy, but ` : '';
    const line = `not enforced: ${verdict}${terminalText(cni.plugin)} does not enforce NetworkPolicies, so the traffic flows whatever they say (--assume-enforced: the policies' verdict)`;
    return { before: [line], after: [] };
  }
  const note =
    'note: the network plugin could not be identified from the input; this answer assumes it enforces NetworkPolicies (--assume-enforced hides this note)';
  return { before: [], after: ['', note] };
}

/**
 * The network plugin a check's verdict lines name as ignoring NetworkPolicies (they lead with
 * ALLOWED then); undefined when it enforces them, is not known, or they are assumed enforced.
 */
export function unenforcingPlugin(cni: CniDetection, assumed: boolean): string | undefined {
  return !assumed && cni.enforcesPolicies === false ? cni.plugin : undefined;
}

/** A header badge about enforcement: an alarm when policies are ignored, quiet when unknown. */
export interface EnforcementBadge {
  readonly text: string;
  readonly tone: 'alarm' | 'quiet';
}

/**
 * The header badge of a snapshot's network plugin: `NOT ENFORCED: Flannel` when it ignores
 * NetworkPolicies, `plugin unknown` when it cannot be identified; none when enforcement is
 * known or assumed (--assume-enforced).
 */
export function enforcementBadge(
  cni: CniDetection,
  assumed: boolean,
): EnforcementBadge | undefined {
  if (assumed || cni.enforcesPolicies === true) return undefined;
  if (cni.enforcesPolicies === false)
    return { text: `NOT ENFORCED: ${terminalText(cni.plugin)}`, tone: 'alarm' };
  return { text: 'plugin unknown', tone: 'quiet' };
}
