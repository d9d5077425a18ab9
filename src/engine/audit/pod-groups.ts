import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { mayHaveDualStackPods } from '../evaluate/address-families.js';
import { peerMatchesPod } from '../evaluate/peer-match.js';
import { ipBlockVerdict } from '../primitives/ip-block.js';
import type { LabelClass, PodLookup } from './pod-lookup.js';

/** The groups of one side (pods as sources, or as destinations), numbered. */
interface Numbering {
  /** The pods of each group. */
  readonly members: readonly (readonly number[])[];
  /** Each pod's group; -1 for pods on the host network. */
  readonly groupOf: Int32Array;
  /** The groups of each label class, in the order of their first pods. */
  readonly ofClass: ReadonlyMap<LabelClass, readonly number[]>;
}

/** The groups a peer matches, as a list and as a set. */
export interface PeerGroups {
  readonly list: readonly number[];
  readonly has: ReadonlySet<number>;
}

type IpBlockPeer = Extract<CompiledPeer, { kind: 'ip-block' }>;

const NO_GROUPS: PeerGroups = { list: [], has: new Set() };

/**
 * Pods off the host network in numbered groups that every question of the one-sided check
 * answers alike: a pod's own policies follow from its namespace and labels, whether other
 * policies' peers match it also from the ipBlocks holding its addresses (and, with dual-stack
 * pods, from its families and those of the addresses held), and named ports from a
 * destination's container ports. Groups are numbered apart as sources and as destinations.
 */
export class PodGroups {
  /** Per pod, the ipBlocks of the policies that hold it, as a key; computed when first asked. */
  private blockKeys?: string[];
  private readonly numberings: { source?: Numbering; destination?: Numbering } = {};
  private readonly byPeer = [new Map<CompiledPeer, PeerGroups>(), new Map()];
  private readonly byList = [new Map<readonly unknown[], PeerGroups>(), new Map()];
  /** Whether some pod may be dual-stack, so that groups keep families apart. */
  private readonly dualStack: boolean;

  constructor(
    private readonly analysis: Analysis,
    readonly lookup: PodLookup,
  ) {
    this.dualStack = mayHaveDualStackPods(analysis);
  }

  /** The groups of a label class, as sources or as `destination`s. */
  ofClass(labelClass: LabelClass, destination: boolean): readonly number[] {
    return this.numbering(destination).ofClass.get(labelClass) ?? [];
  }

  /** How many groups there are, as sources or as `destination`s. */
  count(destination: boolean): number {
    return this.numbering(destination).members.length;
  }

  /** The pods of a group. */
  members(group: number, destination: boolean): readonly number[] {
    return this.numbering(destination).members[group] ?? [];
  }

  /** The group of a pod; -1 for a pod on the host network. */
  groupOf(podIdx: number, destination: boolean): number {
    return this.numbering(destination).groupOf[podIdx] ?? -1;
  }

  /**
   * The groups holding pods a peer of a rule (in `namespace`) matches: for selectors, the groups
   * of the label classes it picks, as the peer matches one of their pods; for other peers, of
   * the pods it matches. Alike peers share one answer.
   */
  ofPeer(peer: CompiledPeer, namespace: string, destination: boolean): PeerGroups {
    const memo = this.byPeer[Number(destination)] as Map<CompiledPeer, PeerGroups>;
    let groups = memo.get(peer);
    if (!groups) {
      groups = this.findOfPeer(peer, namespace, destination);
      memo.set(peer, groups);
    }
    return groups;
  }

  private findOfPeer(peer: CompiledPeer, namespace: string, destination: boolean): PeerGroups {
    if (peer.kind === 'pods-in-policy-namespace' || peer.kind === 'pods-in-selected-namespaces') {
      const classes = this.lookup.classesOfPeer(peer, namespace);
      if (this.analysis.namespacesNotGiven.size === 0) return this.ofList(classes, destination);
      // Where a namespace is not in the input, its labels may keep the peer from matching.
      const matched = classes.filter((c) =>
        peerMatchesPod(this.analysis, peer, namespace, c.pods[0] as number),
      );
      return this.ofList(matched.length === classes.length ? classes : matched, destination);
    }
    if (peer.kind === 'ip-block') return this.ofList(this.lookup.blockPods(peer), destination);
    // The host of a node is a host-network pod, which no group holds.
    if (peer.kind === 'node-host') return NO_GROUPS;
    const index = this.lookup.peerIndex();
    return this.ofList(index.podsOf[index.idOf.get(peer) ?? -1] ?? [], destination);
  }

  /** The groups holding a list of label classes or of pods (one list from the lookup or index). */
  private ofList(list: readonly (LabelClass | number)[], destination: boolean): PeerGroups {
    if (list.length === 0) return NO_GROUPS;
    const memo = this.byList[Number(destination)] as Map<readonly unknown[], PeerGroups>;
    let groups = memo.get(list);
    if (!groups) {
      const { groupOf } = this.numbering(destination);
      const has = new Set<number>();
      for (const item of list) {
        if (typeof item !== 'number')
          for (const group of this.ofClass(item, destination)) has.add(group);
        else if ((groupOf[item] as number) >= 0) has.add(groupOf[item] as number);
      }
      groups = { list: [...has], has };
      memo.set(list, groups);
    }
    return groups;
  }

  private numbering(destination: boolean): Numbering {
    const side = destination ? 'destination' : 'source';
    let numbering = this.numberings[side];
    if (!numbering) {
      const members: number[][] = [];
      const groupOf = new Int32Array(this.analysis.pods.length).fill(-1);
      const ofClass = new Map<LabelClass, number[]>();
      for (const namespace of this.analysis.podsByNamespace.keys()) {
        for (const labelClass of this.lookup.classesOf(namespace)) {
          const ids = this.splitBy(labelClass.pods, destination).map((pods) => {
            for (const podIdx of pods) groupOf[podIdx] = members.length;
            members.push(pods);
            return members.length - 1;
          });
          ofClass.set(labelClass, ids);
        }
      }
      numbering = { members, groupOf, ofClass };
      this.numberings[side] = numbering;
    }
    return numbering;
  }

  /**
   * Each pod's key of the policies' ipBlocks holding it. Blocks holding the same pods (one list
   * from the lookup) count once: they cannot tell two pods apart where the other does not. With
   * dual-stack pods, a block holding one by the address of one family is no match for a
   * connection over the other (see address-families.ts), so its key also names those families.
   */
  private blocksOf(): string[] {
    if (!this.blockKeys) {
      const keys = this.analysis.pods.map(() => '');
      const marks = new Map<string, number>();
      const lists = new Map<readonly number[], number>();
      for (const policy of this.analysis.policies) {
        for (const rule of [...policy.ingress, ...policy.egress]) {
          for (const peer of rule.peers) {
            if (peer.kind !== 'ip-block') continue;
            const pods = this.lookup.blockPods(peer);
            if (!lists.has(pods)) lists.set(pods, lists.size);
            const held = this.dualStack ? pods.map((idx) => this.familiesHeld(peer, idx)) : [];
            const seen = `${lists.get(pods)}/${held.join(',')}`;
            if (marks.has(seen)) continue;
            const mark = marks.size;
            marks.set(seen, mark);
            pods.forEach((idx, i) => {
              keys[idx] += `${mark}:${held[i] ?? ''},`;
            });
          }
        }
      }
      // Interned as short keys: the marks of a pod held by many blocks make a long string.
      const ids = new Map<string, string>();
      this.blockKeys = keys.map((key) => {
        let id = ids.get(key);
        if (id === undefined) {
          id = `${ids.size}`;
          ids.set(key, id);
        }
        return id;
      });
    }
    return this.blockKeys;
  }

  /** The families of a dual-stack pod's addresses that a block holds; '' for other pods. */
  private familiesHeld(peer: IpBlockPeer, podIdx: number): string {
    const addresses = this.analysis.podAddresses;
    if (addresses.familiesOf(podIdx).length < 2) return '';
    return addresses
      .of(podIdx)
      .filter((address) => ipBlockVerdict(peer.ipBlock, address).kind === 'inside')
      .map((address) => address.family)
      .join('');
  }

  private splitBy(pods: readonly number[], destination: boolean): number[][] {
    const blocks = this.blocksOf();
    const groups = new Map<string, number[]>();
    for (const idx of pods) {
      const ports = destination ? JSON.stringify(this.analysis.pods[idx]?.ports) : '';
      // The families a pod's connections can use, which a dual-stack pod's peers depend on.
      const families = this.dualStack ? this.analysis.podAddresses.familiesOf(idx).join('') : '';
      const key = `${blocks[idx]}\0${families}\0${ports}`;
      const group = groups.get(key);
      if (group) group.push(idx);
      else groups.set(key, [idx]);
    }
    return [...groups.values()];
  }
}
