import type { CiliumL7Rules } from '../model/cilium-policy.js';
import type { CiliumRuleMatch, DirectionVerdict } from './evaluate.js';

/**
 * How Cilium merges an L7 rule with the other rules allowing the same port to the same peer.
 * Every allow rule selecting an endpoint, Kubernetes NetworkPolicies included (translated into
 * Cilium rules), lands in one L4 filter per port and direction. For one peer selector, an
 * L4-only rule beside an L7 rule appends a wildcard L7 rule (`mergePortProto` in
 * pkg/policy/rule.go at v1.20.2); for different selectors, the proxy gets one rule per
 * selector and an L4-only one "allows everything in L7" (`GetPortNetworkPolicyRule` in
 * pkg/envoy/model.go). Either way the requests are no longer restricted, though they still go
 * through the proxy.
 */

/**
 * Whether L7 rules restrict what the matching Cilium rules allow: only when every allowing rule
 * has them and no other rule (a NetworkPolicy's, `otherAllows`) allows the port.
 */
export function ciliumL7Restricts(
  matches: readonly CiliumRuleMatch[],
  otherAllows = false,
): boolean {
  return !otherAllows && matches.length > 0 && matches.every((match) => match.l7);
}

/**
 * The L7 rules a side's allowed connection must pass, one per matching rule; empty when the
 * connection is not restricted at L7 (or not allowed by Cilium's rules at all).
 */
export function sideL7Restriction(verdict: DirectionVerdict): readonly CiliumL7Rules[] {
  if (verdict.kind !== 'cilium-policy') return [];
  const { matches } = verdict;
  if (matches.some((match) => match.action === 'deny') || !ciliumL7Restricts(matches)) return [];
  return matches.flatMap((match) => (match.l7 ? [match.l7] : []));
}
