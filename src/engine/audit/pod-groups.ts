import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { mayHaveDualStackPods } from '../evaluate/address-families.js';
import { peerMatchesPod } from '../evaluate/peer-match.js';
import { podDistinctions } from './pod-distinctions.js';
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

const NO_GROUPS: PeerGroups = { list: [], has: new Set() };

/**
 * Pods off the host network in numbered groups that every question of the one-sided check
 * answers alike: pods of one namespace and labels, split by what else tells them apart to some
 * tier (see podDistinctions), by the families of their addresses (with dual-stack pods) and,
 * as destinations, by their container ports (named ports). Groups are numbered apart as
 * sources and as destinations.
 */
export class PodGroups {
  /** Per pod, what tells it apart within its label class (see podDistinctions), when asked. */
  private distinctions?: string[];
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

  /**
   * The groups holding pods a classless peer of a rule (in `namespace`) matches over one
   * address family though not as a whole (see PodLookup.podsOfPeerByOneFamily): the rule
   * reaches them over that family alone.
   */
  ofPeerByOneFamily(peer: CompiledPeer, namespace: string, destination: boolean): PeerGroups {
    if (this.lookup.matchesByClass(peer)) return NO_GROUPS;
    return this.ofList(this.lookup.podsOfPeerByOneFamily(peer, namespace), destination);
  }

  private findOfPeer(peer: CompiledPeer, namespace: string, destination: boolean): PeerGroups {
    if (this.lookup.matchesByClass(peer)) {
      const classes = this.lookup.classesOfPeer(peer, namespace);
      if (this.analysis.namespacesNotGiven.size === 0) return this.ofList(classes, destination);
      // Where a namespace is not in the input, its labels may keep the peer from matching.
      const matched = classes.filter((c) =>
        peerMatchesPod(this.analysis, peer, namespace, c.pods[0] as number),
      );
      return this.ofList(matched.length === classes.length ? classes : matched, destination);
    }
    return this.ofList(this.lookup.podsOfPeer(peer), destination);
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

  private splitBy(pods: readonly number[], destination: boolean): number[][] {
    this.distinctions ??= podDistinctions(this.analysis, this.lookup, this.dualStack);
    const distinctions = this.distinctions;
    const groups = new Map<string, number[]>();
    for (const idx of pods) {
      const ports = destination ? JSON.stringify(this.analysis.pods[idx]?.ports) : '';
      // The families a pod's connections can use, which a dual-stack pod's peers depend on.
      const families = this.dualStack ? this.analysis.podAddresses.familiesOf(idx).join('') : '';
      const key = `${distinctions[idx]}\0${families}\0${ports}`;
      const group = groups.get(key);
      if (group) group.push(idx);
      else groups.set(key, [idx]);
    }
    return [...groups.values()];
  }
}
