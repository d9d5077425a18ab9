import type { PluginPeer, PluginRuleGrant, RuleAction } from '../engine/index.js';
import { calicoDeciderText } from './calico-tiers.js';
import { ciliumL7Text, ciliumRuleText } from './cilium-rules.js';
import { policyPortsText } from './ports.js';
import { selectorText } from './selectors.js';
import { terminalList, terminalText } from './terminal-text.js';
import { maskedClientLines } from './verdict.js';

/** A Calico selector field as `field "expr"`, when set. */
const calicoField = (name: string, value: string | undefined) =>
  value === undefined ? [] : [`${name} ${JSON.stringify(terminalText(value))}`];

/** What one peer of a Cilium or Calico rule matches, in words. */
export function pluginPeerText(peer: PluginPeer): string {
  switch (peer.kind) {
    case 'cilium-endpoints': {
      const labels = selectorText(peer.selector);
      const where =
        peer.namespace === undefined ? '' : ` in namespace ${terminalText(peer.namespace)}`;
      return `${labels ? `endpoints with ${labels}` : 'all endpoints'}${where}`;
    }
    case 'cilium-entity':
      return `entity ${terminalText(peer.entity)}`;
    case 'cidr': {
      const except = peer.except.length > 0 ? ` except ${terminalList(peer.except)}` : '';
      return `addresses in ${terminalText(peer.cidr)}${except}`;
    }
    case 'calico-endpoints': {
      const parts = [
        ...calicoField('selector', peer.selector),
        ...calicoField('notSelector', peer.notSelector),
        ...calicoField('namespaceSelector', peer.namespaceSelector),
        ...(peer.namespace === undefined ? [] : [`in namespace ${terminalText(peer.namespace)}`]),
        ...(peer.serviceAccounts ? [`service accounts ${terminalList(peer.serviceAccounts)}`] : []),
        ...(peer.nets.length > 0 ? [`nets ${terminalList(peer.nets)}`] : []),
        ...(peer.notNets.length > 0 ? [`notNets ${terminalList(peer.notNets)}`] : []),
      ];
      return parts.length > 0 ? parts.join(', ') : 'anyone';
    }
    case 'pods': {
      const pods = peer.podSelector ? selectorText(peer.podSelector) : undefined;
      const namespaces = peer.namespaceSelector && selectorText(peer.namespaceSelector);
      const where = peer.namespaceSelector
        ? namespaces
          ? ` in namespaces with ${namespaces}`
          : ' in all namespaces'
        : '';
      return `${pods ? `pods with ${pods}` : 'all pods'}${where}`;
    }
  }
}

/** The rule a grant stands for: `globalnetworkpolicy/x egress rule 1 (tier security)`. */
function ruleText(grant: PluginRuleGrant): string {
  if (grant.plugin === 'cilium') {
    return ciliumRuleText({
      policy: grant.policy,
      direction: grant.direction,
      action: grant.action === 'deny' ? 'deny' : 'allow',
      ruleIndex: grant.ruleIndex,
      specIndex: grant.specIndex ?? 0,
      peerIndex: null,
    });
  }
  const rule = calicoDeciderText({
    tier: grant.tier ?? '',
    action: 'none',
    policy: grant.policy,
    direction: grant.direction,
    ruleIndex: grant.ruleIndex,
    endOfTier: false,
  });
  return `${rule}, tier ${terminalText(grant.tier ?? '')}`;
}

/** One rule as a line, and its L7 restriction when it has one. */
function grantLines(grant: PluginRuleGrant): string[] {
  const peers = [
    ...grant.peers.map(pluginPeerText),
    ...(grant.fqdns ? [`names ${terminalList(grant.fqdns)}`] : []),
  ];
  const who = peers.length > 0 ? peers.join(' or ') : 'anyone (the rule names no peers)';
  const count = grant.matchedPods.length;
  const l7 = grant.l7
    ? ciliumL7Text({
        policy: grant.policy,
        direction: grant.direction,
        action: 'allow',
        ruleIndex: grant.ruleIndex,
        specIndex: grant.specIndex ?? 0,
        peerIndex: null,
        l7: grant.l7,
      })
    : undefined;
  return [
    `    ${who} on ${policyPortsText(grant.ports)}  [${count} pod${count === 1 ? '' : 's'}]  (${ruleText(grant)})`,
    ...(l7 ? [`      ${l7}`] : []),
    ...maskedClientLines(grant.routeDoubts),
  ];
}

/** The rules of one action, as lines under the rules of NetworkPolicies. */
export function pluginGrantLines(
  grants: readonly PluginRuleGrant[] | undefined,
  action: RuleAction,
): string[] {
  return (grants ?? []).filter((grant) => grant.action === action).flatMap(grantLines);
}
