/**
 * The one-sided-allow finding as keys, and the same judged pair by pair through the kernel: the
 * reference the audit's grouped check must agree with.
 */
import { oneSidedFindings } from '../../src/engine/audit/one-sided.js';
import { NO_NAMED_PORTS } from '../../src/engine/compile/named-ports.js';
import { peerMatchesPod } from '../../src/engine/evaluate/peer-match.js';
import { rulePortSet } from '../../src/engine/evaluate/port-match.js';
import { SidePorts } from '../../src/engine/evaluate/side-ports.js';
import { type Analysis, isEmptyPortSet } from '../../src/engine/index.js';
import { intersectPortSets } from '../../src/engine/primitives/port-set.js';
import { selectorMatches } from '../../src/engine/primitives/selector.js';

/** "policy/direction/rule/pod" for each pod the one-sided-allow findings name. */
export function oneSidedKeys(analysis: Analysis): string[] {
  return oneSidedFindings(analysis)
    .flatMap((f) =>
      f.code === 'one-sided-allow'
        ? f.peers.map(
            (pod) => `${f.rule.policy.name}/${f.rule.direction}/${f.rule.ruleIndex}/${pod}`,
          )
        : [],
    )
    .sort();
}

/**
 * "policy/direction/rule/pod" for each pod a rule's peer admits whose own policies (the other
 * side: its egress for an ingress rule, its ingress for an egress rule) deny it every port the
 * rule opens to every other pod of the policy, over every address family the pair can use.
 */
export function oneSidedByPairs(analysis: Analysis): string[] {
  const sides = new SidePorts(analysis);
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
            const destination = rule.direction === 'ingress' ? o : x;
            const admitted = rulePortSet(
              rule.ports,
              analysis.namedPorts.resolvers[destination] ?? NO_NAMED_PORTS,
            );
            if (isEmptyPortSet(admitted)) continue;
            admittedAny = true;
            const other = rule.direction === 'ingress' ? 'egress' : 'ingress';
            const theirs = sides.get(
              sides.sideOverFamilies(other, x, o) ?? sides.side(other, x, o),
            );
            if (!isEmptyPortSet(intersectPortSets(admitted, theirs))) through = true;
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
