import type { Analysis, CompiledPeer, Direction } from '../compile/compile.js';
import type { Pod } from '../model/types.js';
import { AddressIndex } from '../primitives/address-index.js';
import type { CompiledIpBlock } from '../primitives/ip-block.js';
import { selectorMatches } from '../primitives/selector.js';
import { ciliumCandidatePods, ciliumPeerMatchesPod } from './cilium-peer-match.js';
import { hostPods } from './node-local.js';
import { candidatePods, peerMatchesPod } from './peer-match.js';
import { podsMaybeMatching } from './undecided-peers.js';
import { hasUnknownIp, peerDependsOnUnknownIp, unknownIpCoverage } from './unknown-ip.js';

/** A peer of some rule, numbered across all policies. */
export interface IndexedPeer {
  readonly peer: CompiledPeer;
  /** The namespace a bare podSelector peer looks in (its NetworkPolicy's). */
  readonly namespace: string;
  readonly direction: Direction;
}

/** Every peer of every rule, with the pods each one matches, computed once. */
export interface PeerIndex {
  readonly peers: readonly IndexedPeer[];
  readonly idOf: ReadonlyMap<CompiledPeer, number>;
  /** Pods matched by each peer, by peer id, ascending; alike peers share one array. */
  readonly podsOf: readonly (readonly number[])[];
  /**
   * Pods each peer may or may not match, by peer id, ascending: an ipBlock admitting part of
   * where their unknown IP may lie, a namespaceSelector needing labels of their namespace that
   * the input does not hold.
   */
  readonly partlyOf: readonly (readonly number[])[];
}

function isAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++)
    if ((values[i] as number) < (values[i - 1] as number)) return false;
  return true;
}

function labelGroupKey(pod: Pod): string {
  const labels = Object.keys(pod.labels)
    .sort()
    .map((key) => `${key}=${pod.labels[key]}`)
    .join(',');
  return `${pod.hostNetwork}\u0000${labels}`;
}

/** What decides the pods a selector peer matches; a bare podSelector's namespace included. */
function selectorPeerKey(
  peer: Extract<CompiledPeer, { kind: 'pods-in-policy-namespace' | 'pods-in-selected-namespaces' }>,
  policyNamespace: string,
): string {
  return peer.kind === 'pods-in-policy-namespace'
    ? `${policyNamespace}\u0000${JSON.stringify(peer.podSelector)}`
    : `\u0000${JSON.stringify(peer.namespaceSelector)}\u0000${JSON.stringify(peer.podSelector)}`;
}

/**
 * The pods an ipBlock matches, ascending: by a known address, or by an unknown IP (of the pods
 * `unknownIps`) wherever it lies; `partly`: those whose unknown IP it matches only in part.
 */
export function ipBlockPods(
  analysis: Analysis,
  addresses: AddressIndex,
  unknownIps: readonly number[],
  block: CompiledIpBlock,
): { pods: number[]; partly: number[] } {
  const inside = addresses.inside(block);
  if (unknownIps.length === 0) return { pods: inside, partly: [] };
  const all: number[] = [];
  const partly: number[] = [];
  for (const podIdx of unknownIps) {
    const coverage = unknownIpCoverage(analysis, block, podIdx);
    if (coverage === 'all') all.push(podIdx);
    else if (coverage === 'part') partly.push(podIdx);
  }
  return { pods: all.length === 0 ? inside : [...inside, ...all].sort((a, b) => a - b), partly };
}

/**
 * Matches every peer against the pods it can reach. Selector peers only look at labels and
 * namespaces, so they are matched once per group of alike pods of a namespace they can see;
 * ipBlock peers use an address index.
 */
export function buildPeerIndex(analysis: Analysis): PeerIndex {
  const peers: IndexedPeer[] = [];
  const idOf = new Map<CompiledPeer, number>();
  const add = (
    rule: { readonly direction: Direction; readonly peers: readonly CompiledPeer[] },
    namespace: string,
  ) => {
    for (const peer of rule.peers) {
      idOf.set(peer, peers.length);
      peers.push({ peer, namespace, direction: rule.direction });
    }
  };
  for (const policy of analysis.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) add(rule, policy.ref.namespace);
  }
  for (const policy of analysis.clusterPolicies) {
    for (const rule of [...policy.ingress, ...policy.egress]) add(rule, '');
  }
  for (const spec of analysis.cilium?.specs ?? []) {
    for (const rule of [...spec.rules.ingress, ...spec.rules.egress]) {
      add(rule, '');
      add({ direction: rule.direction, peers: rule.possible }, '');
      for (const { peers } of rule.releaseServices) add({ direction: rule.direction, peers }, '');
    }
  }
  for (const policy of analysis.calico.layer?.policies ?? []) {
    const namespace = policy.policy.namespace ?? '';
    for (const rule of [...policy.ingress, ...policy.egress]) add(rule, namespace);
  }
  // Node-local rules are the chains' own, one per direction, shared among chains.
  for (const direction of ['ingress', 'egress'] as const) {
    for (const chain of new Set(analysis.chains.all(direction))) {
      for (const rule of chain.rules) {
        if (rule.origin.kind === 'node-local' && !idOf.has(rule.peers[0] as CompiledPeer))
          add({ direction, peers: rule.peers }, '');
      }
    }
  }
  const groupsByNamespace = new Map<string, number[][]>();
  for (const [namespace, podIdxs] of analysis.podsByNamespace) {
    const groups = new Map<string, number[]>();
    for (const podIdx of podIdxs) {
      const key = labelGroupKey(analysis.pods[podIdx] as Pod);
      const group = groups.get(key);
      if (group) group.push(podIdx);
      else groups.set(key, [podIdx]);
    }
    groupsByNamespace.set(namespace, [...groups.values()]);
  }
  const namespacesBySelector = new Map<string, string[]>();
  const selectedNamespaces = (
    peer: Extract<CompiledPeer, { kind: 'pods-in-selected-namespaces' }>,
  ) => {
    const key = JSON.stringify(peer.namespaceSelector);
    let names = namespacesBySelector.get(key);
    if (!names) {
      names = [...analysis.namespaces.values()]
        .filter((ns) => selectorMatches(peer.namespaceSelector, ns.labels))
        .map((ns) => ns.name);
      namespacesBySelector.set(key, names);
    }
    return names;
  };
  // Pods a selector may or may not match (of namespaces not in the input, or hostNetwork pods
  // the plugin may apply it to); alike peers share one list.
  const maybeBySelector = new Map<string, number[]>();
  const podsMaybeSelected = (
    peer: Extract<
      CompiledPeer,
      { kind: 'pods-in-policy-namespace' | 'pods-in-selected-namespaces' }
    >,
    policyNamespace: string,
  ): number[] => {
    const key = `${peer.hostPodsUndecided === true}\u0000${selectorPeerKey(peer, policyNamespace)}`;
    let pods = maybeBySelector.get(key);
    if (!pods) {
      pods = podsMaybeMatching(analysis, peer, policyNamespace);
      maybeBySelector.set(key, pods);
    }
    return pods;
  };
  const hasUndecidedPeers =
    analysis.namespacesNotGiven.size > 0 ||
    (analysis.hostNetworkPeers === 'plugin-dependent' && hostPods(analysis).length > 0);
  const addresses = new AddressIndex(analysis.podAddresses.all());
  const unknownIps = analysis.pods.flatMap((_, idx) => (hasUnknownIp(analysis, idx) ? [idx] : []));
  const partlyOf: number[][] = peers.map(() => []);
  const podsOfSelector = new Map<string, number[]>();
  const podsOf = peers.map(({ peer, namespace: policyNamespace }, peerId) => {
    if (peer.kind === 'ip-block' && peer.outsideCluster) return [];
    if (peer.kind === 'cilium-endpoints' || peer.kind === 'cilium-entity') {
      return ciliumCandidatePods(analysis, peer).filter((podIdx) =>
        ciliumPeerMatchesPod(analysis, peer, podIdx),
      );
    }
    // Relative to the pod whose chain holds it: no pod matches it for every chain (the matrix
    // and reachable lists settle it pair by pair).
    if (peer.kind === 'node-host') return [];
    if (peer.kind === 'ip-block') {
      const { pods, partly } = ipBlockPods(analysis, addresses, unknownIps, peer.ipBlock);
      partlyOf[peerId] = partly;
      return pods;
    }
    if (peer.kind === 'calico-endpoints') {
      const matched = candidatePods(analysis, peer, policyNamespace).filter((podIdx) =>
        peerMatchesPod(analysis, peer, policyNamespace, podIdx, 'outside'),
      );
      // A pod whose unknown IP may or may not meet the side's nets matches it only possibly.
      for (const podIdx of unknownIps) {
        if (!peerDependsOnUnknownIp(analysis, peer, podIdx)) continue;
        if (matched.includes(podIdx)) continue;
        if (peerMatchesPod(analysis, peer, policyNamespace, podIdx, 'inside'))
          partlyOf[peerId]?.push(podIdx);
      }
      return matched;
    }
    // Peers alike (the same selectors, seen from the same namespace for a bare podSelector)
    // share one list: policies made from templates repeat their peers thousands of times.
    if (hasUndecidedPeers) partlyOf[peerId] = podsMaybeSelected(peer, policyNamespace);
    const key = selectorPeerKey(peer, policyNamespace);
    const known = podsOfSelector.get(key);
    if (known) return known;
    const namespaces =
      peer.kind === 'pods-in-policy-namespace' ? [policyNamespace] : selectedNamespaces(peer);
    const matched: number[] = [];
    for (const namespace of namespaces) {
      for (const group of groupsByNamespace.get(namespace) ?? []) {
        if (!peerMatchesPod(analysis, peer, policyNamespace, group[0] as number)) continue;
        // A group can hold a whole namespace's pods: too many to spread into push().
        for (const pod of group) matched.push(pod);
      }
    }
    const ascending = isAscending(matched) ? matched : matched.sort((a, b) => a - b);
    podsOfSelector.set(key, ascending);
    return ascending;
  });
  return { peers, idOf, podsOf, partlyOf };
}
