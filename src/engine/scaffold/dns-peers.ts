import type { Analysis, CompiledRule, SelectorOrBlockPeer } from '../compile/compile.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import { selectsNamespace } from '../evaluate/namespace-not-given.js';
import { podRangeCoverage } from '../evaluate/unknown-ip.js';
import type { CompiledIpBlock, RangeCoverage } from '../primitives/ip-block.js';
import { selectsLabelsAndMore } from '../primitives/selector.js';
import type { DnsPods, DnsServerRef } from './cluster-dns.js';

/**
 * Whether an egress rule reaches DNS pods the input does not hold, known only by their Service:
 * they run in its namespace and carry its selector's labels, maybe more (the Service sends only
 * to pods of its namespace its selector matches: kubernetes.io/docs/concepts/services-networking/
 * service/#services-in-kubernetes), at an unknown IP in the pod ranges. `yes`: every such pod is
 * a peer; `no`: none is; `maybe`: it hangs on what the input does not tell (their other labels,
 * their namespace's labels, their IPs, the address family lookups take).
 */
export type UnseenPodReach = 'yes' | 'no' | 'maybe';

/** How an ipBlock's coverage of the pod ranges reads for a pod whose IP is unknown. */
const BY_COVERAGE: Readonly<Record<RangeCoverage, UnseenPodReach>> = {
  all: 'yes',
  none: 'no',
  part: 'maybe',
};

/** DNS pods the input does not hold: where they run, their labels, their address families. */
export interface UnseenDnsPods extends DnsPods {
  /** The families lookups to them can take (unseenDnsFamilies); undefined when unknown. */
  readonly families?: ReadonlySet<AddressFamily> | undefined;
}

/** A candidate for the cluster DNS with a Service, its pods not in the input (UnseenDnsPods). */
export interface UnseenDnsServer extends DnsServerRef, UnseenDnsPods {}

/**
 * Whether an ipBlock holds the unseen pods' addresses lookups go to: none of a family lookups
 * cannot take; of one they can, as much as it holds of the pod ranges (podRangeCoverage), and
 * only maybe where lookups may take the other family instead.
 */
function blockReach(
  analysis: Analysis,
  block: CompiledIpBlock,
  families: ReadonlySet<AddressFamily> | undefined,
): UnseenPodReach {
  const reach = BY_COVERAGE[podRangeCoverage(analysis, block)];
  if (!families) return reach;
  if (!families.has(block.range.family)) return 'no';
  return families.size > 1 && reach === 'yes' ? 'maybe' : reach;
}

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
  pods: UnseenDnsPods,
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
      return blockReach(analysis, peer.ipBlock, pods.families);
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
  pods: UnseenDnsPods,
): UnseenPodReach {
  if (rule.peers.length === 0) return 'yes';
  const reaches = rule.peers.map((peer) => peerReach(analysis, peer, policyNamespace, pods));
  if (reaches.includes('yes')) return 'yes';
  return reaches.includes('maybe') ? 'maybe' : 'no';
}
