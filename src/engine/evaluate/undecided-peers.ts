import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { peerMaySelectHostPod } from './host-pod-peers.js';
import { peerDependsOnNamespaceLabels } from './namespace-not-given.js';
import { hostPods } from './node-local.js';

/**
 * Whether a selector peer may or may not match a pod where objects cannot tell: the pod's
 * namespace is not in the input and the peer needs its other labels, or the pod is a
 * hostNetwork pod the plugin may apply the peer's selectors to. The assumption that an
 * uncertain peer matches (`inside`) then decides it. `policyNamespace` is where a bare
 * podSelector looks.
 */
export function peerMatchUndecided(
  analysis: Analysis,
  peer: CompiledPeer,
  policyNamespace: string,
  podIdx: number,
): boolean {
  return (
    peerDependsOnNamespaceLabels(analysis, peer, podIdx) ||
    peerMaySelectHostPod(analysis, peer, policyNamespace, podIdx)
  );
}

/** The pods a peer may or may not match (see peerMatchUndecided), ascending. */
export function podsMaybeMatching(
  analysis: Analysis,
  peer: CompiledPeer,
  policyNamespace: string,
): number[] {
  const candidates = [
    ...[...analysis.namespacesNotGiven].flatMap(
      (namespace) => analysis.podsByNamespace.get(namespace) ?? [],
    ),
    ...hostPods(analysis),
  ];
  return [...new Set(candidates)]
    .filter((podIdx) => peerMatchUndecided(analysis, peer, policyNamespace, podIdx))
    .sort((a, b) => a - b);
}

/**
 * Whether peers of a chain's rules may or may not match a pod (see peerMatchUndecided): false
 * when none, `only-accepts` when only accepting rules have such peers (matching more then only
 * admits more), else `not-only-accepts`.
 */
export function dependsOnUndecidedPeers(
  analysis: Analysis,
  chain: RuleChain,
  podIdx: number,
): false | 'only-accepts' | 'not-only-accepts' {
  // Only a hostNetwork pod, or one of a namespace not in the input, is matched undecidedly
  // (see peerMatchUndecided): most pods are neither, and a walk asks of every pod.
  const pod = analysis.pods[podIdx];
  if (!pod || (!pod.hostNetwork && !analysis.namespacesNotGiven.has(pod.namespace))) return false;
  let found: false | 'only-accepts' = false;
  for (const rule of chain.rules) {
    const undecided = (peer: CompiledPeer) =>
      peerMatchUndecided(analysis, peer, rule.namespace, podIdx);
    if (!rule.peers.some(undecided)) continue;
    if (rule.action !== 'accept') return 'not-only-accepts';
    found = 'only-accepts';
  }
  return found;
}
