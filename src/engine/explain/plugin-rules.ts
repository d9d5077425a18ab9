import type { ChainRule, RuleAction, RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer, Direction } from '../compile/compile.js';
import { candidatePods, peerMatchesPod } from '../evaluate/peer-match.js';
import type { CiliumEntity, CiliumL7Rules } from '../model/cilium-policy.js';
import type { LabelSelector, PolicyPort } from '../model/types.js';
import { formatCalicoSelector } from '../primitives/calico-selector.js';
import type { GrantRef, MaskedClientDoubt } from './masked-grants.js';

/** One peer of a Cilium or Calico rule, as explanations show it (selectors as written). */
export type PluginPeer =
  | {
      readonly kind: 'cilium-endpoints';
      readonly selector: LabelSelector;
      readonly namespace?: string;
    }
  | { readonly kind: 'cilium-entity'; readonly entity: CiliumEntity }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] }
  | {
      readonly kind: 'calico-endpoints';
      /** The only namespace the side matches, when the policy confines it. */
      readonly namespace?: string;
      readonly selector?: string;
      readonly notSelector?: string;
      readonly namespaceSelector?: string;
      readonly serviceAccounts?: readonly string[];
      readonly nets: readonly string[];
      readonly notNets: readonly string[];
    }
  | {
      readonly kind: 'pods';
      readonly namespaceSelector?: LabelSelector;
      readonly podSelector?: LabelSelector;
    };

/** A rule of a Cilium or Calico policy in a pod's chain, with what it matches on the other side. */
export interface PluginRuleGrant {
  readonly plugin: 'cilium' | 'calico';
  /** The policy's kubectl name: `ciliumnetworkpolicy/NS/NAME`, `globalnetworkpolicy/NAME`... */
  readonly policy: string;
  /** The Calico tier the rule is in; absent for Cilium. */
  readonly tier?: string;
  /** Which spec of a Cilium policy (0: `spec`, then `specs`); absent for Calico. */
  readonly specIndex?: number;
  readonly direction: Direction;
  /** The rule's index in its list (for Cilium deny rules: ingressDeny or egressDeny). */
  readonly ruleIndex: number;
  /** accept: Cilium allow, Calico Allow; deny: Cilium ingressDeny/egressDeny, Calico Deny. */
  readonly action: RuleAction;
  /** Its peers, ORed; empty: every peer. */
  readonly peers: readonly PluginPeer[];
  /** Cilium toFQDNs names: destinations known by them match; absent when none. */
  readonly fqdns?: readonly string[];
  /** Port entries; empty: every port. */
  readonly ports: readonly PolicyPort[];
  /** A Cilium rule's L7 rules: traffic passes only as they list; absent when none. */
  readonly l7?: CiliumL7Rules;
  /** Ids of the pods its peers cover. */
  readonly matchedPods: readonly string[];
  /**
   * For an ingress allow rule naming CIDRs (Calico nets, Cilium fromCIDR): the doubt that a
   * Service fronting the pod puts on those clients, as on an ipBlock (PeerGrant.routeDoubts);
   * absent when none.
   */
  readonly routeDoubts?: readonly MaskedClientDoubt[];
}

/** The masked-client doubts on a rule that admits clients by address, given its CIDR peers. */
export type RuleDoubts = (grant: GrantRef, peers: readonly CompiledPeer[]) => MaskedClientDoubt[];

/** The doubts of an allow rule as `routeDoubts`, when it has any. */
function doubtsField(
  action: RuleAction,
  doubts: RuleDoubts | undefined,
  grant: GrantRef,
  peers: readonly CompiledPeer[],
): Pick<PluginRuleGrant, 'routeDoubts'> {
  const found = doubts && action === 'accept' ? doubts(grant, peers) : [];
  return found.length > 0 ? { routeDoubts: found } : {};
}

function pluginPeer(peer: CompiledPeer): PluginPeer {
  switch (peer.kind) {
    case 'cilium-endpoints':
      return {
        kind: 'cilium-endpoints',
        selector: peer.selector,
        ...(peer.namespace === undefined ? {} : { namespace: peer.namespace }),
      };
    case 'cilium-entity':
      return { kind: 'cilium-entity', entity: peer.entity };
    case 'ip-block':
      return { kind: 'cidr', cidr: peer.ipBlock.block.cidr, except: peer.ipBlock.block.except };
    case 'calico-endpoints': {
      const { namespace, selector, notSelector, namespaceSelector } = peer.endpoints;
      const text = (key: string, value: typeof selector) =>
        value ? { [key]: formatCalicoSelector(value) } : {};
      return {
        kind: 'calico-endpoints',
        ...(namespace === undefined ? {} : { namespace }),
        ...text('selector', selector),
        ...text('notSelector', notSelector),
        ...text('namespaceSelector', namespaceSelector),
        ...(peer.endpoints.serviceAccountNames
          ? { serviceAccounts: peer.endpoints.serviceAccountNames }
          : {}),
        nets: peer.endpoints.nets.map((net) => net.block.cidr),
        notNets: peer.endpoints.notNets.map((net) => net.block.cidr),
      };
    }
    case 'pods-in-policy-namespace':
      return { kind: 'pods', podSelector: peer.podSelector };
    case 'node-host':
      throw new Error('internal: a node-local rule is no plugin rule');
    case 'pods-in-selected-namespaces':
      return {
        kind: 'pods',
        namespaceSelector: peer.namespaceSelector,
        ...(peer.podSelector ? { podSelector: peer.podSelector } : {}),
      };
  }
}

/** The ids of the pods a rule's peers match (every pod when it names none). */
function matchedPods(analysis: Analysis, peers: readonly CompiledPeer[], namespace: string) {
  if (peers.length === 0) return analysis.pods.map((pod) => pod.id);
  const matched = new Set<number>();
  for (const peer of peers) {
    for (const idx of candidatePods(analysis, peer, namespace)) {
      if (peerMatchesPod(analysis, peer, namespace, idx)) matched.add(idx);
    }
  }
  return [...matched].sort((a, b) => a - b).map((idx) => analysis.pods[idx]?.id ?? '');
}

/** The grant of one chain rule of a Cilium or Calico rule; undefined for other origins. */
function grantOf(
  analysis: Analysis,
  rule: ChainRule,
  doubts: RuleDoubts | undefined,
): PluginRuleGrant | undefined {
  const { origin } = rule;
  if (origin.kind === 'calico-rule') {
    const ref = {
      kind: 'calico' as const,
      policy: origin.policy.name,
      ruleIndex: origin.rule.index,
    };
    return {
      plugin: 'calico',
      policy: origin.policy.name,
      tier: origin.policy.policy.tier,
      direction: origin.rule.direction,
      ruleIndex: origin.rule.index,
      action: rule.action,
      peers: rule.peers.map(pluginPeer),
      ports: rule.ports,
      matchedPods: matchedPods(analysis, rule.peers, rule.namespace),
      ...doubtsField(rule.action, doubts, ref, rule.peers),
    };
  }
  if (origin.kind !== 'cilium-rule') return undefined;
  const source = origin.rule;
  // A rule with only toFQDNs or undecidable entities matches no pod for sure.
  const sure = source.anyone || source.peers.length > 0;
  const ref = {
    kind: 'cilium' as const,
    policy: source.name,
    specIndex: source.specIndex,
    ruleIndex: source.index,
  };
  return {
    plugin: 'cilium',
    policy: source.name,
    specIndex: source.specIndex,
    direction: source.direction,
    ruleIndex: source.index,
    action: rule.action,
    peers: [
      ...source.peers,
      ...source.possible,
      ...source.releaseServices.flatMap((service) => service.peers),
    ].map(pluginPeer),
    ...(source.fqdns.length > 0 ? { fqdns: source.fqdns } : {}),
    ports: source.ports,
    ...(source.l7 ? { l7: source.l7 } : {}),
    matchedPods: sure ? matchedPods(analysis, source.peers, rule.namespace) : [],
    ...doubtsField(rule.action, doubts, ref, source.peers),
  };
}

/**
 * The Cilium and Calico rules of a chain, once each, in evaluation order: what admits, denies
 * or passes traffic of the side beside its NetworkPolicy rules; `doubts` (a pod's ingress)
 * gives its allow rules their masked-client doubts.
 */
export function pluginRuleGrants(
  analysis: Analysis,
  chain: RuleChain,
  doubts?: RuleDoubts,
): PluginRuleGrant[] {
  const seen = new Set<object>();
  return chain.rules.flatMap((rule): PluginRuleGrant[] => {
    const { origin } = rule;
    if (origin.kind !== 'calico-rule' && origin.kind !== 'cilium-rule') return [];
    if (seen.has(origin.rule)) return [];
    seen.add(origin.rule);
    const grant = grantOf(analysis, rule, doubts);
    return grant ? [grant] : [];
  });
}
