import type { Analysis, Direction, PolicyRef, SelectorOrBlockPeer } from '../compile/compile.js';
import { policiesSelecting } from '../compile/compile.js';
import { isCiliumPeer } from '../compile/compile-policy.js';
import { SidePorts } from '../evaluate/side-ports.js';
import { NAMESPACE_NAME_LABEL } from '../model/types.js';
import { labelsSelector } from '../primitives/selector.js';
import type { ScaffoldRequest } from '../scaffold/scaffold.js';
import { withFreeName } from '../scaffold/scaffold-fix.js';
import { type LabelClass, PodLookup } from './pod-lookup.js';
import type { AuditFinding, FixAction } from './types.js';
import { effectiveRules, type LocatedRule, podObject, policyObject } from './walk.js';

type SelectorPeer = Exclude<SelectorOrBlockPeer, { kind: 'ip-block' }>;

const OTHER: Readonly<Record<Direction, Direction>> = { ingress: 'egress', egress: 'ingress' };

/**
 * Pods off the host network in classes that every question answers alike: a pod's own policies
 * follow from its namespace and labels, whether other policies' peers match it also from the
 * ipBlocks holding its addresses, and named ports from a destination's container ports.
 */
class PodClasses {
  /** Per pod, the ipBlocks of the policies that hold it, as a key; computed when first asked. */
  private blockKeys?: string[];
  private readonly splits = new Map<
    LabelClass,
    { source?: number[][]; destination?: number[][] }
  >();

  constructor(
    private readonly analysis: Analysis,
    readonly lookup: PodLookup,
  ) {}

  /** A label class split into pods alike as sources, or as `destination`s. */
  split(labelClass: LabelClass, destination: boolean): number[][] {
    let split = this.splits.get(labelClass);
    if (!split) {
      split = {};
      this.splits.set(labelClass, split);
    }
    const side = destination ? 'destination' : 'source';
    split[side] ??= this.splitBy(labelClass.pods, destination);
    return split[side];
  }

  /**
   * Each pod's key of the policies' ipBlocks holding it. Blocks holding the same pods (one list
   * from the lookup) count once: they cannot tell two pods apart where the other does not.
   */
  private blocksOf(): string[] {
    if (!this.blockKeys) {
      const keys = this.analysis.pods.map(() => '');
      const seen = new Set<readonly number[]>();
      for (const policy of this.analysis.policies) {
        for (const rule of [...policy.ingress, ...policy.egress]) {
          for (const peer of rule.peers) {
            if (peer.kind !== 'ip-block') continue;
            const pods = this.lookup.blockPods(peer);
            if (seen.has(pods)) continue;
            const mark = `${seen.size},`;
            seen.add(pods);
            for (const idx of pods) keys[idx] += mark;
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

  private splitBy(pods: readonly number[], destination: boolean): number[][] {
    const blocks = this.blocksOf();
    const groups = new Map<string, number[]>();
    for (const idx of pods) {
      const ports = destination ? JSON.stringify(this.analysis.pods[idx]?.ports) : '';
      const key = `${blocks[idx]}\0${ports}`;
      const group = groups.get(key);
      if (group) group.push(idx);
      else groups.set(key, [idx]);
    }
    return [...groups.values()];
  }
}

/**
 * The label classes each selector peer of a rule matches, a class counting for the first peer
 * matching it; peers left with none are left out.
 */
function classesByPeer(
  classes: PodClasses,
  located: LocatedRule,
): Map<SelectorPeer, readonly LabelClass[]> {
  const { lookup } = classes;
  const selections: { peer: SelectorPeer; selected: readonly LabelClass[] }[] = [];
  for (const peer of located.rule.peers) {
    if (peer.kind === 'ip-block' || isCiliumPeer(peer)) continue;
    const namespaces =
      peer.kind === 'pods-in-policy-namespace'
        ? lookup.namespaceAlone(located.policy.ref.namespace)
        : lookup.namespacesSelectedBy(peer.namespaceSelector);
    selections.push({ peer, selected: lookup.classesSelectedBy(namespaces, peer.podSelector) });
  }
  const byPeer = new Map<SelectorPeer, readonly LabelClass[]>();
  // The first peer keeps the lookup's shared list: most rules have one, matching many classes.
  let claimed: Set<LabelClass> | undefined;
  selections.forEach(({ peer, selected }, i) => {
    let own = selected;
    if (i > 0) {
      claimed ??= new Set(selections[0]?.selected);
      const taken = claimed;
      own = selected.filter((c) => !taken.has(c));
      for (const c of selected) taken.add(c);
    }
    if (own.length > 0) byPeer.set(peer, own);
  });
  return byPeer;
}

/** Two different pods of two groups, or undefined when both are the same single pod. */
function pairOf(own: readonly number[], other: readonly number[]): [number, number] | undefined {
  for (const o of own.length > 2 ? own.slice(0, 2) : own) {
    for (const x of other.length > 2 ? other.slice(0, 2) : other) if (o !== x) return [o, x];
  }
  return undefined;
}

/**
 * The pods of a peer of the rule that can never use it, in groups of pods alike, or undefined
 * when some pair gets through (the peer works for someone) or none is admitted on any port.
 */
function blockedGroups(
  sides: SidePorts,
  classes: PodClasses,
  located: LocatedRule,
  own: readonly LabelClass[],
  others: readonly LabelClass[],
): number[][] | undefined {
  const { direction, ports } = located.rule;
  const ownGroups = own.flatMap((c) => classes.split(c, direction === 'ingress'));
  const blocked: number[][] = [];
  // What the rule admits depends on the destination's ports only: once per destination group.
  const admittedTo = new Map<readonly number[], number>();
  const admitted = (group: readonly number[], idx: number) => {
    let id = admittedTo.get(group);
    if (id === undefined) {
      id = sides.ruleAdmits(ports, idx);
      admittedTo.set(group, id);
    }
    return id;
  };
  // The peer's groups are split as they come: most peers work for the first pair tried.
  for (const labelClass of others) {
    for (const otherGroup of classes.split(labelClass, direction === 'egress')) {
      let admittedAny = false;
      for (const ownGroup of ownGroups) {
        const pair = pairOf(ownGroup, otherGroup);
        if (!pair) continue;
        const [o, x] = pair;
        const opened = direction === 'ingress' ? admitted(ownGroup, o) : admitted(otherGroup, x);
        if (opened === SidePorts.NONE) continue;
        admittedAny = true;
        const theirs = sides.side(OTHER[direction], x, o);
        if (sides.intersect(theirs, opened) !== SidePorts.NONE) return undefined;
      }
      if (admittedAny) blocked.push(otherGroup);
    }
  }
  return blocked.length > 0 ? blocked : undefined;
}

/**
 * The other side's half of the rule, for the pods of one peer in one namespace: an egress
 * allow from them to the policy's pods for an ingress rule, an ingress allow the other way for
 * an egress rule, on the rule's ports.
 */
function otherSideFix(
  analysis: Analysis,
  located: LocatedRule,
  peer: SelectorPeer,
  namespace: string,
): FixAction {
  const { policy, rule } = located;
  const own = policy.ref.namespace;
  const fix: ScaffoldRequest = {
    kind: 'allow',
    namespace,
    direction: OTHER[rule.direction],
    pods: peer.podSelector ?? labelsSelector({}),
    peers: [
      {
        pods: policy.policy.podSelector,
        ...(own === namespace
          ? {}
          : { namespaces: labelsSelector({ [NAMESPACE_NAME_LABEL]: own }) }),
      },
    ],
    ports: rule.ports,
  };
  return { kind: 'scaffold', fix: withFreeName(analysis, fix) };
}

function oneSided(analysis: Analysis, sides: SidePorts, classes: PodClasses, located: LocatedRule) {
  const { policy, rule, ref } = located;
  if (rule.peers.length === 0) return [];
  // Each peer is judged on its own: one may be cut off while another gets through.
  const byPeer = classesByPeer(classes, located);
  if (byPeer.size === 0) return [];
  const own = classes.lookup.classesSelectedBy(
    classes.lookup.namespaceAlone(policy.ref.namespace),
    policy.policy.podSelector,
  );
  const blockedBy = new Map<string, PolicyRef>();
  const fixes = new Map<string, FixAction>();
  const blocked: number[] = [];
  for (const [peer, peerClasses] of byPeer) {
    for (const group of blockedGroups(sides, classes, located, own, peerClasses) ?? []) {
      blocked.push(...group);
      // A group shares its namespace and labels, so the policies isolating it.
      const [first = -1] = group;
      for (const p of policiesSelecting(analysis, first, OTHER[rule.direction])) {
        blockedBy.set(`${p.ref.namespace}/${p.ref.name}`, p.ref);
      }
      const namespace = analysis.pods[first]?.namespace;
      if (namespace !== undefined && !fixes.has(`${peer.index}/${namespace}`)) {
        fixes.set(`${peer.index}/${namespace}`, otherSideFix(analysis, located, peer, namespace));
      }
    }
  }
  if (blocked.length === 0) return [];
  const pods = blocked.flatMap((idx) => analysis.pods[idx] ?? []);
  const finding: AuditFinding = {
    code: 'one-sided-allow',
    severity: 'warning',
    namespace: policy.ref.namespace,
    rule: ref,
    peers: pods.map((pod) => pod.id),
    blockedBy: [...blockedBy.values()],
    objects: [
      policyObject(policy.ref),
      ...[...blockedBy.values()].map(policyObject),
      ...pods.map(podObject),
    ],
    fixes: [...fixes.values()],
  };
  return [finding];
}

/**
 * Rules that one side allows and the other side denies: an ingress rule admitting pods whose
 * own egress denies them every port it opens to the policy's pods, or an egress rule allowing
 * traffic to pods whose ingress denies all of it. Each selector peer (not ipBlocks) is judged as a whole: when
 * it works for some pair of pods, it is not reported; when it opens nothing for anyone, the
 * author of either side rarely meant that: a warning, fixed by the other side's half. Pods
 * are compared by class (namespace, labels, ipBlocks holding them, ports), so the cost grows
 * with the kinds of pods, not their number.
 */
export function oneSidedFindings(
  analysis: Analysis,
  lookup = new PodLookup(analysis),
): AuditFinding[] {
  const sides = new SidePorts(analysis);
  const classes = new PodClasses(analysis, lookup);
  return effectiveRules(analysis).flatMap((located) => oneSided(analysis, sides, classes, located));
}
