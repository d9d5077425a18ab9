import type { RuleChain } from '../compile/chains.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { SidePorts } from '../evaluate/side-ports.js';
import type { PeerGroups, PodGroups } from './pod-groups.js';
import type { LabelClass } from './pod-lookup.js';
import type { LocatedRule } from './walk.js';

/** The direction of the other side's half of a rule. */
export const OTHER: Readonly<Record<Direction, Direction>> = {
  ingress: 'egress',
  egress: 'ingress',
};

/**
 * How a group of a peer's pods fares with a rule: some pair of it and the policy's pods gets
 * through on a port the rule opens, none does, or the rule opens no port between them.
 */
export type PairFate = 'through' | 'blocked' | 'unopened';

/**
 * A group of a peer's pods judged: its fate and, when the rule opens ports to one own pod
 * alone, that pod (else -1). A pod paired with itself is no pair, so a peer's pod that is that
 * own pod is opened nothing, though its group is.
 */
export interface PairJudgement {
  readonly fate: PairFate;
  readonly onlyOpened: number;
}

const THROUGH: PairJudgement = { fate: 'through', onlyOpened: -1 };
const UNOPENED: PairJudgement = { fate: 'unopened', onlyOpened: -1 };

/**
 * Groups of the policy's pods alike for the other side's answer wherever no rule of its chain
 * reaches them: what the rule opens to them, and where named ports resolve (a destination).
 */
interface Kind {
  readonly opened: number;
  readonly destination: number;
  /** How many pods the kind's groups hold. */
  readonly pods: number;
}

/**
 * The pairs of a rule's peer pods and its policy's own pods, judged group against group through
 * the kernel: a peer's group is asked of only the own groups the rules of its other-side chain
 * reach, one by one, and of the rest kind by kind, where the chain answers them all alike. The
 * work grows with the groups the rules reach, not with the pairs of groups.
 */
export class RulePairs {
  private readonly analysis: Analysis;
  private readonly direction: Direction;
  /** Whether the policy's own pods are the destinations (an ingress rule). */
  private readonly ownAreDestinations: boolean;
  private readonly own: readonly number[];
  private readonly isOwn: ReadonlySet<number>;
  /** For an ingress rule, the kind of each own group; an egress rule's depend on the peer. */
  private readonly kindOf = new Map<number, Kind>();
  private readonly kinds: Kind[] = [];
  /** How many pods the own groups hold. */
  private readonly ownPods: number;
  /** Judgements by the other side's chain, then by named ports, own group left out, families. */
  private readonly judgements = new Map<number, Map<number, PairJudgement>>();

  constructor(
    private readonly sides: SidePorts,
    private readonly groups: PodGroups,
    private readonly located: LocatedRule,
    own: readonly LabelClass[],
  ) {
    this.analysis = sides.analysis;
    this.direction = located.rule.direction;
    this.ownAreDestinations = this.direction === 'ingress';
    this.own = own.flatMap((c) => groups.ofClass(c, this.ownAreDestinations));
    this.isOwn = new Set(this.own);
    this.ownPods = this.own.reduce(
      (sum, group) => sum + groups.members(group, this.ownAreDestinations).length,
      0,
    );
    if (!this.ownAreDestinations) return;
    // How named ports resolve on a pod, so what the rule opens to it, follows its signature.
    const bySignature = new Map<number, { opened: number; destination: number; pods: number }>();
    for (const group of this.own) {
      const members = groups.members(group, true);
      const [destination = -1] = members;
      const signature = this.analysis.namedPorts.signatures[destination] ?? -1;
      let kind = bySignature.get(signature);
      if (!kind) {
        kind = { opened: sides.ruleAdmits(located.rule.ports, destination), destination, pods: 0 };
        bySignature.set(signature, kind);
        this.kinds.push(kind);
      }
      kind.pods += members.length;
      this.kindOf.set(group, kind);
    }
  }

  /** How a group of the peer's pods (numbered as the rule's other side) fares. */
  judgementOf(other: number): PairJudgement {
    const pods = this.groups.members(other, !this.ownAreDestinations);
    const first = pods[0] as number;
    const chain = this.analysis.chains.of(OTHER[this.direction], first);
    // A pod paired with itself is no pair: a single pod on both sides leaves its own group out.
    const self = pods.length === 1 ? this.groups.groupOf(first, this.ownAreDestinations) : -1;
    const excluded =
      this.isOwn.has(self) && this.groups.members(self, this.ownAreDestinations).length === 1
        ? self
        : -1;
    // An egress rule opens ports, and its peer's ingress admits them, by the peer's named ports.
    const signature = this.ownAreDestinations
      ? 0
      : (this.analysis.namedPorts.signatures[first] as number);
    let judgements = this.judgements.get(chain.id);
    if (!judgements) {
      judgements = new Map();
      this.judgements.set(chain.id, judgements);
    }
    // With dual-stack pods, the families of the peer's pod pick those its connections use.
    const families = this.analysis.podAddresses
      .familiesOf(first)
      .reduce((bits, family) => bits | (family === 4 ? 1 : 2), 0);
    const ownCount = this.groups.count(this.ownAreDestinations) + 1;
    const key = (signature * ownCount + excluded + 1) * 4 + families;
    let judgement = judgements.get(key);
    if (judgement === undefined) {
      const kinds = this.ownAreDestinations ? this.kinds : this.kindTo(first);
      judgement = this.judge(chain, first, excluded, kinds);
      judgements.set(key, judgement);
    }
    return judgement;
  }

  /** For an egress rule, the one kind of all own groups towards a peer's pod. */
  private kindTo(destination: number): Kind[] {
    const opened = this.sides.ruleAdmits(this.located.rule.ports, destination);
    return [{ opened, destination, pods: this.ownPods }];
  }

  /** The judgement of the peer's pod `first`, whose other-side chain is `chain`. */
  private judge(
    chain: RuleChain,
    first: number,
    excluded: number,
    kinds: readonly Kind[],
  ): PairJudgement {
    const hits = this.hitsOf(chain);
    const kindOf = (group: number) => this.kindOf.get(group) ?? (kinds[0] as Kind);
    const reachedPods = new Map<Kind, number>();
    let openedPods = 0;
    // Whether `pods` own pods of a kind, in `group` with hit set `node` (-1 and 0: the rest of
    // the kind), get through.
    const through = (kind: Kind, pods: number, group: number, node: number) => {
      if (kind.opened === SidePorts.NONE || pods === 0) return false;
      openedPods += pods;
      const theirs =
        (group >= 0 ? this.sideOverFamilies(first, group) : undefined) ??
        this.sides.sideOfHits(chain, node, kind.destination);
      return this.sides.intersect(theirs, kind.opened) !== SidePorts.NONE;
    };
    for (const [group, node] of hits) {
      if (group === excluded) continue;
      const kind = kindOf(group);
      const pods = this.groups.members(group, this.ownAreDestinations).length;
      reachedPods.set(kind, (reachedPods.get(kind) ?? 0) + pods);
      if (through(kind, pods, group, node)) return THROUGH;
    }
    // The rest hit no rule of the chain, over any family: one answer per kind.
    const excludedKind = excluded >= 0 ? kindOf(excluded) : undefined;
    for (const kind of kinds) {
      const left = kind.pods - (reachedPods.get(kind) ?? 0) - (kind === excludedKind ? 1 : 0);
      if (through(kind, left, -1, 0)) return THROUGH;
    }
    if (openedPods === 0) return UNOPENED;
    return {
      fate: 'blocked',
      onlyOpened: openedPods === 1 ? this.onlyOpened(excluded, kindOf) : -1,
    };
  }

  /** The one own pod, not in group `excluded`, of a kind the rule opens ports to. */
  private onlyOpened(excluded: number, kindOf: (group: number) => Kind): number {
    const group = this.own.find((g) => g !== excluded && kindOf(g).opened !== SidePorts.NONE);
    return group === undefined
      ? -1
      : (this.groups.members(group, this.ownAreDestinations)[0] ?? -1);
  }

  /**
   * What the peer's pod `first` admits with the pods of an own group its rules reach, when that
   * depends on the family of their connections (an ipBlock holds a dual-stack pod's address of
   * one family only): those of every family they can use, as the kernel's connections answer.
   */
  private sideOverFamilies(first: number, group: number): number | undefined {
    const [own = -1] = this.groups.members(group, this.ownAreDestinations);
    return this.sides.sideOverFamilies(OTHER[this.direction], first, own);
  }

  /**
   * The own groups the rules of a chain reach, each with its hit set (the rules whose peers
   * match it as a whole, numbered as the kernel numbers them); the others hit no rule over any
   * family. A group a rule reaches over one address family alone is reached, judged over each
   * family (see sideOverFamilies), without that rule in its hit set.
   */
  private hitsOf(chain: RuleChain): Map<number, number> {
    const hits = new Map<number, number>();
    chain.rules.forEach((rule, index) => {
      if (rule.peers.length === 0) return;
      const reached = new Set<number>();
      const byOneFamily = new Set<number>();
      for (const peer of rule.peers) {
        const side = this.ownAreDestinations;
        this.addOwn(this.groups.ofPeer(peer, rule.namespace, side), reached);
        this.addOwn(this.groups.ofPeerByOneFamily(peer, rule.namespace, side), byOneFamily);
      }
      for (const group of byOneFamily) hits.set(group, hits.get(group) ?? 0);
      for (const group of reached) {
        hits.set(group, this.sides.withHit(hits.get(group) ?? 0, index));
      }
    });
    return hits;
  }

  /** Adds the own groups among a peer's to `into`, walking the shorter of the two lists. */
  private addOwn({ list, has }: PeerGroups, into: Set<number>): void {
    if (list.length < this.own.length) {
      for (const group of list) if (this.isOwn.has(group)) into.add(group);
    } else {
      for (const group of this.own) if (has.has(group)) into.add(group);
    }
  }
}
