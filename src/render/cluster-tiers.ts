import type {
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterRuleGrant,
  ClusterRuleMatch,
  ClusterTierStep,
} from '../engine/index.js';
import { peerText } from './peers.js';
import { selectorText } from './selectors.js';
import { terminalList, terminalText } from './terminal-text.js';

const ACTION_WORDS = { Accept: 'accepted', Deny: 'denied', Pass: 'passed on' } as const;

/** A cluster policy rule in words: `cnp/block priority 10 ingress rule 2 (name)`. */
export function clusterRuleText(
  match: Pick<ClusterRuleMatch, 'policy' | 'priority' | 'direction' | 'ruleIndex' | 'ruleName'>,
): string {
  const name = match.ruleName ? ` (${terminalText(match.ruleName)})` : '';
  return `${terminalText(match.policy)} priority ${match.priority} ${match.direction} rule ${match.ruleIndex + 1}${name}`;
}

/** One tier's decision in words: "Admin tier: denied by cnp/x priority 10 ingress rule 2". */
export function clusterTierText(step: ClusterTierStep): string {
  if (!step.match) return `${step.tier} tier: no rule matches`;
  return `${step.tier} tier: ${ACTION_WORDS[step.match.action]} by ${clusterRuleText(step.match)}`;
}

/** What a cluster policy peer matches, in words. */
export function clusterPeerText(peer: ClusterPolicyPeer): string {
  switch (peer.kind) {
    case 'pods':
      return peerText(peer, '');
    case 'networks':
      return `addresses in ${terminalList(peer.cidrs)}`;
    case 'nodes': {
      const labels = selectorText(peer.nodeSelector);
      return labels ? `nodes with ${labels}` : 'all nodes';
    }
    case 'domain-names':
      return `the addresses of ${terminalList(peer.domainNames)} (decided by DNS)`;
  }
}

/** A cluster policy port in words: `TCP 443`, `port http`, `TCP 8000-8100`. */
export function clusterPortText(port: ClusterPolicyPort): string {
  if (port.kind === 'named') return `port ${terminalText(port.name)}`;
  if (port.kind === 'number') return `${port.protocol} ${port.port}`;
  return `${port.protocol} ${port.start}-${port.end}`;
}

/** The rules of the cluster policies governing one side, by tier, as `explain` lists them. */
export function clusterRuleLines(grants: readonly ClusterRuleGrant[]): string[] {
  const lines: string[] = [];
  let tier: string | undefined;
  for (const grant of grants) {
    if (grant.tier !== tier) {
      tier = grant.tier;
      lines.push(
        `  ${tier} tier${tier === 'Admin' ? ' (before NetworkPolicies)' : ' (after NetworkPolicies)'}:`,
      );
    }
    const { rule } = grant;
    const ports = rule.ports.length > 0 ? rule.ports.map(clusterPortText).join(', ') : 'all ports';
    const peers = rule.peers.map(clusterPeerText).join('; ');
    const name = rule.name ? ` (${terminalText(rule.name)})` : '';
    lines.push(
      `    ${rule.action} ${peers} on ${ports}  (${terminalText(grant.policy)} priority ${grant.priority} ${grant.direction} rule ${grant.ruleIndex + 1}${name})`,
    );
  }
  return lines;
}
