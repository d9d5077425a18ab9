import type { ChainRule } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { selectsNamespace } from '../evaluate/namespace-not-given.js';
import { selectsLabelsAndMore } from '../primitives/selector.js';
import { pluginPeerReach } from './dns-plugin-peers.js';
import {
  allOf,
  anyOf,
  blockReach,
  type UnseenDnsPods,
  type UnseenPodReach,
} from './unseen-reach.js';

/** Whether one peer of a rule (a bare podSelector looking in `namespace`) holds the unseen pods. */
function peerReach(
  analysis: Analysis,
  peer: CompiledPeer,
  namespace: string,
  pods: UnseenDnsPods,
): UnseenPodReach {
  switch (peer.kind) {
    case 'pods-in-policy-namespace':
      return namespace === pods.namespace
        ? selectsLabelsAndMore(peer.podSelector, pods.podLabels)
        : 'no';
    case 'pods-in-selected-namespaces':
      return allOf([
        selectsNamespace(analysis, peer.namespaceSelector, pods.namespace),
        peer.podSelector ? selectsLabelsAndMore(peer.podSelector, pods.podLabels) : 'yes',
      ]);
    case 'ip-block':
      // A node's address, or a plugin matching ipBlocks against outside addresses only, is
      // never a pod off the host network (where DNS pods run).
      if (peer.node || peer.outsideCluster) return 'no';
      return blockReach(analysis, peer.ipBlock, pods.families);
    case 'node-host':
      return 'no';
    default:
      return pluginPeerReach(analysis, peer, pods);
  }
}

/**
 * Whether a rule of any tier admits traffic to DNS pods the input does not hold
 * (UnseenPodReach): a rule without peers admits every destination, one with peers any of them
 * holds; a rule with conditions objects cannot tell (`uncertain`) at most maybe.
 */
export function ruleReachesUnseenPods(
  analysis: Analysis,
  rule: Pick<ChainRule, 'peers' | 'namespace' | 'uncertain'>,
  pods: UnseenDnsPods,
): UnseenPodReach {
  const reach =
    rule.peers.length === 0
      ? 'yes'
      : anyOf(rule.peers.map((peer) => peerReach(analysis, peer, rule.namespace, pods)));
  return rule.uncertain && reach === 'yes' ? 'maybe' : reach;
}
