import type { RuleChain } from '../compile/chains.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { SidePorts } from '../evaluate/side-ports.js';
import type { PodGroups } from './pod-groups.js';
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
 * Groups of the policy's pods alike for the other side's answer wherever no rule of its chain
 * reaches them: what the rule opens to them, and where named ports resolve (a destination).
 */
interface Kind {
  readonly opened: number;
  readonly destination: number;
  readonly size: number;
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
  /** Fates by the other side's chain, then by named ports and the own group left out. */
  private readonly fates = new Map<number, Map<number, PairFate>>();

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
    if (!this.ownAreDestinations) return;
    // How named ports resolve on a pod, so what the rule opens to it, follows its signature.
    const bySignature = new Map<number, { opened: number; destination: number; size: number }>();
    for (const group of this.own) {
      const [destination = -1] = groups.members(group, true);
      const signature = this.analysis.namedPorts.signatures[destination] ?? -1;
      let kind = bySignature.get(signature);
      if (!kind) {
        kind = { opened: sides.ruleAdmits(located.rule.ports, destination), destination, size: 0 };
        bySignature.set(signature, kind);
        this.kinds.push(kind);
      }
      kind.size++;
      this.kindOf.set(group, kind);
    }
  }

  /** How a group of the peer's pods (numbered as the rule's other side) fares. */
  fateOf(other: number): PairFate {
    const pods = this.groups.members(other, !this.ownAreDestinations);
    const first = pods[0] as number;
    const chain = this.analysis.chains[OTHER[this.direction]][first] as RuleChain;
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
    let fates = this.fates.get(chain.id);
    if (!fates) {
      fates = new Map();
      this.fates.set(chain.id, fates);
    }
    const key = signature * (this.groups.count(this.ownAreDestinations) + 1) + excluded + 1;
    let fate = fates.get(key);
    if (fate === undefined) {
      fate = this.judge(chain, excluded, this.ownAreDestinations ? this.kinds : this.kindTo(first));
      fates.set(key, fate);
    }
    return fate;
  }

  /** For an egress rule, the one kind of all own groups towards a peer's pod. */
  private kindTo(destination: number): Kind[] {
    const opened = this.sides.ruleAdmits(this.located.rule.ports, destination);
    return [{ opened, destination, size: this.own.length }];
  }

  private judge(chain: RuleChain, excluded: number, kinds: readonly Kind[]): PairFate {
    const hits = this.hitsOf(chain);
    const kindOf = (group: number) => this.kindOf.get(group) ?? (kinds[0] as Kind);
    const reachedOf = new Map<Kind, number>();
    let opened = false;
    const through = (kind: Kind, node: number) => {
      if (kind.opened === SidePorts.NONE) return false;
      opened = true;
      const theirs = this.sides.sideOfHits(chain, node, kind.destination);
      return this.sides.intersect(theirs, kind.opened) !== SidePorts.NONE;
    };
    const reached = (group: number, node: number) => {
      if (group === excluded) return false;
      const kind = kindOf(group);
      reachedOf.set(kind, (reachedOf.get(kind) ?? 0) + 1);
      return through(kind, node);
    };
    for (const [group, node] of hits) if (reached(group, node)) return 'through';
    // The rest hit no rule of the chain: one answer per kind.
    const excludedKind = excluded >= 0 ? kindOf(excluded) : undefined;
    for (const kind of kinds) {
      const left = kind.size - (reachedOf.get(kind) ?? 0) - (kind === excludedKind ? 1 : 0);
      if (left > 0 && through(kind, 0)) return 'through';
    }
    return opened ? 'blocked' : 'unopened';
  }

  /**
   * The own groups the rules of a chain reach, each with its hit set (the rules whose peers
   * match it, numbered as the kernel numbers them); the others hit no rule. Per peer, the
   * shorter of its groups and the own groups is walked.
   */
  private hitsOf(chain: RuleChain): Map<number, number> {
    const hits = new Map<number, number>();
    chain.rules.forEach((rule, index) => {
      if (rule.peers.length === 0) return;
      const reached = new Set<number>();
      for (const peer of rule.peers) {
        const { list, has } = this.groups.ofPeer(peer, rule.namespace, this.ownAreDestinations);
        if (list.length < this.own.length) {
          for (const group of list) if (this.isOwn.has(group)) reached.add(group);
        } else {
          for (const group of this.own) if (has.has(group)) reached.add(group);
        }
      }
      for (const group of reached) {
        hits.set(group, this.sides.withHit(hits.get(group) ?? 0, index));
      }
    });
    return hits;
  }
}
