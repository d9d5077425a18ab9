import type { Analysis, CompiledRule, SelectorOrBlockPeer } from '../compile/compile.js';
import { selectsNamespace } from '../evaluate/namespace-not-given.js';
import { podRangeCoverage } from '../evaluate/unknown-ip.js';
import type { RangeCoverage } from '../primitives/ip-block.js';
import { selectsLabelsAndMore } from '../primitives/selector.js';
import type { DnsPods } from './cluster-dns.js';

/**
 * Whether an egress rule reaches DNS pods the input does not hold, known only by their Service:
 * they run in its namespace and carry its selector's labels, maybe more (the Service sends only
 * to pods of its namespace its selector matches: kubernetes.io/docs/concepts/services-networking/
 * service/#services-in-kubernetes), at an unknown IP in the pod ranges. `yes`: every such pod is
 * a peer; `no`: none is; `maybe`: it hangs on what the input does not tell (their other labels,
 * their namespace's labels, their IPs).
 */
export type UnseenPodReach = 'yes' | 'no' | 'maybe';

/** How an ipBlock's coverage of the pod ranges reads for a pod whose IP is unknown. */
const BY_COVERAGE: Readonly<Record<RangeCoverage, UnseenPodReach>> = {
  all: 'yes',
  none: 'no',
  part: 'maybe',
};

/** Both conditions, as a peer ANDs its namespaceSelector and podSelector. */
function both(a: UnseenPodReach, b: UnseenPodReach): UnseenPodReach {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'maybe';
}

/** Whether one peer of a NetworkPolicy in `policyNamespace` holds the unseen pods. */
function peerReach(
  analysis: Analysis,
  peer: SelectorOrBlockPeer,
  policyNamespace: string,
  pods: DnsPods,
): UnseenPodReach {
  switch (peer.kind) {
    case 'pods-in-policy-namespace':
      return policyNamespace === pods.namespace
        ? selectsLabelsAndMore(peer.podSelector, pods.podLabels)
        : 'no';
    case 'pods-in-selected-namespaces':
      return both(
        selectsNamespace(analysis, peer.namespaceSelector, pods.namespace),
        peer.podSelector ? selectsLabelsAndMore(peer.podSelector, pods.podLabels) : 'yes',
      );
    case 'ip-block':
      // A node's address, or a plugin matching ipBlocks against outside addresses only, is
      // never a pod off the host network (where DNS pods run).
      if (peer.node || peer.outsideCluster) return 'no';
      return BY_COVERAGE[podRangeCoverage(analysis, peer.ipBlock)];
  }
}

/**
 * Whether an egress rule of a NetworkPolicy in `policyNamespace` admits traffic to DNS pods the
 * input does not hold (UnseenPodReach): a rule without peers admits every destination, one
 * with peers any of them holds.
 */
export function ruleReachesUnseenPods(
  analysis: Analysis,
  rule: CompiledRule,
  policyNamespace: string,
  pods: DnsPods,
): UnseenPodReach {
  if (rule.peers.length === 0) return 'yes';
  const reaches = rule.peers.map((peer) => peerReach(analysis, peer, policyNamespace, pods));
  if (reaches.includes('yes')) return 'yes';
  return reaches.includes('maybe') ? 'maybe' : 'no';
}
