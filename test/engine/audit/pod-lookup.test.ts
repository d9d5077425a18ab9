/**
 * The audit's pod lookup, which answers by label class and address index, against matching
 * every pod one by one with peerMatchesPod, on random clusters (with and without pod ranges,
 * so that pods without an address are matched by where their IP may lie).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PodLookup } from '../../../src/engine/audit/pod-lookup.js';
import type { CompiledPeer } from '../../../src/engine/compile/compile.js';
import { peerMatchesPod } from '../../../src/engine/evaluate/peer-match.js';
import { type Analysis, compileCluster } from '../../../src/engine/index.js';
import { clusterArb } from '../../helpers/cluster-arbitrary.js';
import { params } from '../../helpers/engine-probes.js';

/** The pods a peer matches, one by one; host-network pods left out where `offHost` says. */
function podsMatching(
  analysis: Analysis,
  peer: CompiledPeer,
  namespace: string,
  offHost: boolean,
): number[] {
  return analysis.pods.flatMap((pod, idx) =>
    (!offHost || !pod.hostNetwork) && peerMatchesPod(analysis, peer, namespace, idx) ? [idx] : [],
  );
}

const clusters = fc
  .tuple(clusterArb({ minPolicies: 1, maxPolicies: 6 }), fc.boolean())
  .map(([cluster, ranged]) => (ranged ? { ...cluster, podCidrs: ['10.0.0.0/16'] } : cluster));

describe('the pod lookup agrees with matching pod by pod', () => {
  it('on the pods of ipBlocks and the label classes selector peers pick', () => {
    fc.assert(
      fc.property(clusters, (cluster) => {
        const analysis = compileCluster(cluster);
        const lookup = new PodLookup(analysis);
        for (const policy of analysis.policies) {
          const namespace = policy.ref.namespace;
          for (const peer of [...policy.ingress, ...policy.egress].flatMap((r) => r.peers)) {
            if (peer.kind === 'ip-block') {
              expect(lookup.blockPods(peer)).toEqual(
                podsMatching(analysis, peer, namespace, false),
              );
              continue;
            }
            const namespaces =
              peer.kind === 'pods-in-policy-namespace'
                ? lookup.namespaceAlone(namespace)
                : lookup.namespacesSelectedBy(peer.namespaceSelector);
            const picked = lookup
              .classesSelectedBy(namespaces, peer.podSelector)
              .flatMap((c) => c.pods)
              .sort((a, b) => a - b);
            expect(picked).toEqual(podsMatching(analysis, peer, namespace, true));
          }
        }
      }),
      params,
    );
  });
});
