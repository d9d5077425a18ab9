import type { Analysis, Direction } from '../compile/compile.js';
import { compilePolicy } from '../compile/compile-policy.js';
import { type ScaledToZeroWorkload, scaledToZeroSelected } from '../compile/scaled-to-zero.js';
import { candidatePods, peerMatchesPod, peerScaledToZero } from '../evaluate/peer-match.js';
import type { NetworkPolicy } from '../model/types.js';
import { selectorMatches } from '../primitives/selector.js';

/** The pods one peer of a rule matches. */
export interface PeerFootprint {
  readonly direction: Direction;
  readonly ruleIndex: number;
  readonly peerIndex: number;
  /** Pod indices in the analysis. */
  readonly pods: readonly number[];
  /** The workloads scaled to zero whose pods it matches once they run. */
  readonly scaledToZero: readonly ScaledToZeroWorkload[];
}

/** Which pods a policy (perhaps not yet in the cluster) selects, and which pods each peer matches. */
export interface PolicyFootprint {
  /** Indices of the pods the policy selects. */
  readonly selected: readonly number[];
  /** The workloads scaled to zero whose pods it selects once they run. */
  readonly scaledToZero: readonly ScaledToZeroWorkload[];
  readonly peers: readonly PeerFootprint[];
}

/** Measures a validated policy against a compiled cluster, without recompiling the cluster. */
export function policyFootprint(analysis: Analysis, policy: NetworkPolicy): PolicyFootprint {
  const compiled = compilePolicy(policy, -1, {
    ipBlocks: analysis.ipBlockReach,
    hostNetworkPods: analysis.hostNetworkPeers,
  });
  const selected = (analysis.podsByNamespace.get(policy.namespace) ?? []).filter((idx) =>
    selectorMatches(policy.podSelector, analysis.pods[idx]?.labels ?? {}),
  );
  const peers = [...compiled.ingress, ...compiled.egress].flatMap((rule) =>
    rule.peers.map((peer) => ({
      direction: rule.direction,
      ruleIndex: rule.index,
      peerIndex: peer.index,
      pods: candidatePods(analysis, peer, policy.namespace).filter((idx) =>
        peerMatchesPod(analysis, peer, policy.namespace, idx),
      ),
      scaledToZero:
        peer.kind === 'pods-in-policy-namespace' || peer.kind === 'pods-in-selected-namespaces'
          ? peerScaledToZero(analysis, peer, policy.namespace)
          : [],
    })),
  );
  const idle = scaledToZeroSelected(analysis.cluster, [policy.namespace], policy.podSelector);
  return { selected, scaledToZero: idle, peers };
}
