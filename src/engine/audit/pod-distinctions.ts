import type { RuleChain } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import { familyView } from '../evaluate/address-families.js';
import { peerMatchesPod } from '../evaluate/peer-match.js';
import { peerIpBlocks } from '../evaluate/unknown-ip.js';
import type { ClasslessPeer, PodLookup } from './pod-lookup.js';

/** Short numbers for keys, given in the order keys come. */
class Interner<K> {
  private readonly ids = new Map<K, number>();

  id(key: K): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }
}

/** Each pod's label class, numbered (-1: on the host network), and the size of each class. */
function classNumbers(analysis: Analysis, lookup: PodLookup) {
  const classOf = new Int32Array(analysis.pods.length).fill(-1);
  const sizes: number[] = [];
  for (const namespace of analysis.podsByNamespace.keys()) {
    for (const labelClass of lookup.classesOf(namespace)) {
      for (const podIdx of labelClass.pods) classOf[podIdx] = sizes.length;
      sizes.push(labelClass.pods.length);
    }
  }
  return { classOf, sizes };
}

/**
 * What the kernel reads of a chain (see admittedPorts and ChainAnswers): each rule's tier,
 * action, rank, peers and ports, and the readings. Chains alike in it answer alike; a pod's
 * Calico chain is its own (its rules may test the pod itself), so many chains are alike.
 */
function chainShape(chain: RuleChain, objects: Interner<object>): string {
  // Lists are told by identity, shared by the rules of one policy; empty ones are written anew.
  const list = (items: readonly unknown[]) => (items.length === 0 ? '-' : objects.id(items));
  const rules = chain.rules.map(
    (r) =>
      `${r.tier} ${r.action} ${r.rank} ${r.namespace} ${list(r.peers)} ${list(r.ports)} ${r.speculative === true} ${r.uncertain !== undefined}`,
  );
  const readings = chain.readings.map((reading) => reading.order.join(','));
  return `${rules.join('|')}#${readings.join('|')}#${chain.undecided.length}`;
}

/**
 * Per pod, a short key of what tells it apart from the other pods of its label class (its
 * namespace and labels) in the one-sided check, so that pods of a class with one key answer
 * every question of it alike:
 *
 * - the peers, of any tier, matching some pods of the class and not others: by address (a
 *   NetworkPolicy ipBlock, a cluster policy's networks, Calico's nets and notNets) or by service
 *   account (Cilium's and Calico's selectors). Peers matching the same pods count once: they
 *   cannot tell two pods apart where the other does not. With dual-stack pods, a peer matching
 *   one by its address of one family is no match for a connection over the other (see
 *   address-families.ts), so the mark also names those families, and whether the peer
 *   matches the pod as a whole or over one family alone (a notNets);
 * - the shape of the pod's own chains, which a Calico rule testing its address or account
 *   changes.
 *
 * Selector peers match whole label classes and tell no pods of one apart.
 */
export function podDistinctions(
  analysis: Analysis,
  lookup: PodLookup,
  dualStack: boolean,
): string[] {
  const { classOf, sizes } = classNumbers(analysis, lookup);
  const marks = analysis.pods.map(() => '');
  const objects = new Interner<object>();
  const listed = new Set<string>();
  /** The families of a dual-stack pod's addresses by which a peer matches it; '' for others. */
  const familiesMatching = (peer: ClasslessPeer, namespace: string, podIdx: number) => {
    const families = analysis.podAddresses.familiesOf(podIdx);
    if (families.length < 2) return '';
    return families
      .filter((family) => peerMatchesPod(familyView(analysis, family), peer, namespace, podIdx))
      .join('');
  };
  /** Whether the pods of a list, with their families, are not whole label classes alike. */
  const cuts = (pods: readonly number[], held: readonly string[]) => {
    const counts = new Map<number, { families: string; count: number }>();
    for (const [i, podIdx] of pods.entries()) {
      const labelClass = classOf[podIdx] as number;
      if (labelClass < 0) continue;
      const families = held[i] ?? '';
      const known = counts.get(labelClass);
      if (!known) counts.set(labelClass, { families, count: 1 });
      else if (known.families !== families) return true;
      else known.count++;
    }
    return [...counts].some(([labelClass, { count }]) => count !== sizes[labelClass]);
  };
  const markPeer = (peer: ClasslessPeer, namespace: string) => {
    const whole = lookup.podsOfPeer(peer);
    // Pods it matches over one family alone are marked apart from those it matches as a whole.
    const byOneFamily = lookup.podsOfPeerByOneFamily(peer, namespace);
    const pods = byOneFamily.length === 0 ? whole : [...whole, ...byOneFamily];
    if (pods.length === 0) return;
    const held =
      dualStack && peerIpBlocks(peer).length > 0
        ? pods.map(
            (podIdx, i) =>
              `${familiesMatching(peer, namespace, podIdx)}${i < whole.length ? '' : '~'}`,
          )
        : [];
    const list = `${objects.id(whole)}/${objects.id(byOneFamily)}/${held.join(',')}`;
    if (listed.has(list)) return;
    listed.add(list);
    if (!cuts(pods, held)) return;
    const mark = listed.size;
    for (const [i, podIdx] of pods.entries()) marks[podIdx] += `${mark}:${held[i] ?? ''},`;
  };
  const shapes = new Interner<string>();
  const shapeOf = new Map<RuleChain, number>();
  const podShapes = analysis.pods.map(() => '');
  const seenPeers = new Set<object>();
  for (const direction of ['ingress', 'egress'] as const) {
    analysis.chains.all(direction).forEach((chain, podIdx) => {
      let shape = shapeOf.get(chain);
      if (shape === undefined) {
        shape = shapes.id(chainShape(chain, objects));
        shapeOf.set(chain, shape);
        for (const rule of chain.rules) {
          if (seenPeers.has(rule.peers)) continue;
          seenPeers.add(rule.peers);
          for (const peer of rule.peers) {
            if (!lookup.matchesByClass(peer)) markPeer(peer, rule.namespace);
          }
        }
      }
      podShapes[podIdx] += `${direction[0]}${shape}`;
    });
  }
  // Interned as short keys: the marks of a pod many peers match make a long string.
  const keys = new Interner<string>();
  return marks.map((mark, podIdx) => `${keys.id(`${podShapes[podIdx]} ${mark}`)}`);
}
