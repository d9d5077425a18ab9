/**
 * The one-sided-allow finding, which compares pods by class, against every pair of pods judged
 * one by one with allowedConnections, on random clusters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneSidedFindings } from '../../../src/engine/audit/one-sided.js';
import { podEndpoint } from '../../../src/engine/compile/endpoint.js';
import { NO_NAMED_PORTS } from '../../../src/engine/compile/named-ports.js';
import { allowedConnections } from '../../../src/engine/evaluate/connections.js';
import { peerMatchesPod } from '../../../src/engine/evaluate/peer-match.js';
import { rulePortSet } from '../../../src/engine/evaluate/port-match.js';
import { type Analysis, compileCluster, isEmptyPortSet } from '../../../src/engine/index.js';
import { intersectPortSets } from '../../../src/engine/primitives/port-set.js';
import { selectorMatches } from '../../../src/engine/primitives/selector.js';
import { clusterArb } from '../../helpers/cluster-arbitrary.js';
import { params } from '../../helpers/engine-probes.js';

/** "policy/direction/rule/pod" for each pod a rule's peer admits that can never use it. */
function bruteForce(analysis: Analysis): string[] {
  const keys: string[] = [];
  for (const policy of analysis.policies) {
    const own = analysis.pods.flatMap((pod, idx) =>
      pod.namespace === policy.ref.namespace &&
      !pod.hostNetwork &&
      selectorMatches(policy.policy.podSelector, pod.labels)
        ? [idx]
        : [],
    );
    for (const rule of [...policy.ingress, ...policy.egress]) {
      const byPeer = new Map<number, number[]>();
      analysis.pods.forEach((pod, idx) => {
        if (pod.hostNetwork) return;
        const peer = rule.peers.find(
          (p) => p.kind !== 'ip-block' && peerMatchesPod(analysis, p, policy.ref.namespace, idx),
        );
        if (peer) byPeer.set(peer.index, [...(byPeer.get(peer.index) ?? []), idx]);
      });
      for (const pods of byPeer.values()) {
        const blocked: number[] = [];
        let through = false;
        for (const x of pods) {
          let admittedAny = false;
          for (const o of own) {
            if (o === x) continue;
            const [source, destination] = rule.direction === 'ingress' ? [x, o] : [o, x];
            const admitted = rulePortSet(
              rule.ports,
              analysis.namedPorts.resolvers[destination] ?? NO_NAMED_PORTS,
            );
            if (isEmptyPortSet(admitted)) continue;
            admittedAny = true;
            const allowed = allowedConnections(
              analysis,
              podEndpoint(analysis, source),
              podEndpoint(analysis, destination),
            );
            if (!isEmptyPortSet(intersectPortSets(admitted, allowed))) through = true;
          }
          if (admittedAny) blocked.push(x);
        }
        if (through) continue;
        const where = `${policy.ref.name}/${rule.direction}/${rule.index}`;
        keys.push(...blocked.map((x) => `${where}/${analysis.pods[x]?.id}`));
      }
    }
  }
  return keys.sort();
}

describe('one-sided allows agree with every pair judged alone', () => {
  it('on random clusters', () => {
    fc.assert(
      fc.property(clusterArb({ minPolicies: 1, maxPolicies: 6 }), (cluster) => {
        const analysis = compileCluster(cluster);
        const found = oneSidedFindings(analysis).flatMap((f) =>
          f.code === 'one-sided-allow'
            ? f.peers.map(
                (pod) => `${f.rule.policy.name}/${f.rule.direction}/${f.rule.ruleIndex}/${pod}`,
              )
            : [],
        );
        expect(found.sort()).toEqual(bruteForce(analysis));
      }),
      params,
    );
  });
});
