import type { Analysis, Direction, PolicyRef, SelectorOrBlockPeer } from '../compile/compile.js';
import { policiesSelecting } from '../compile/compile.js';
import { isCiliumPeer } from '../compile/compile-policy.js';
import { peerMatchesPod } from '../evaluate/peer-match.js';
import { SidePorts } from '../evaluate/side-ports.js';
import { type LabelSelector, type Labels, NAMESPACE_NAME_LABEL } from '../model/types.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';
import type { ScaffoldRequest } from '../scaffold/scaffold.js';
import { withFreeName } from '../scaffold/scaffold-fix.js';
import type { AuditFinding, FixAction } from './types.js';
import { effectiveRules, type LocatedRule, podObject, policyObject } from './walk.js';

type SelectorPeer = Exclude<SelectorOrBlockPeer, { kind: 'ip-block' }>;

const OTHER: Readonly<Record<Direction, Direction>> = { ingress: 'egress', egress: 'ingress' };

/** Pods of one namespace with the same labels: selectors cannot tell them apart. */
interface LabelClass {
  readonly namespace: string;
  readonly labels: Labels;
  readonly pods: number[];
  /** The pods split further by what evaluation also reads (as sources, as destinations). */
  split?: { source: number[][]; destination: number[][] };
}

/**
 * Pods off the host network in classes that every question answers alike: a pod's own policies
 * follow from its namespace and labels, whether other policies' peers match it also from the
 * ipBlocks holding its addresses, and named ports from a destination's container ports.
 */
class PodClasses {
  private readonly blocks: { peer: SelectorOrBlockPeer; namespace: string }[];
  private readonly byNamespace = new Map<string, Map<string, LabelClass>>();
  private readonly selected = new Map<string, LabelClass[]>();

  constructor(private readonly analysis: Analysis) {
    this.blocks = analysis.policies.flatMap((policy) =>
      [...policy.ingress, ...policy.egress].flatMap((rule) =>
        rule.peers
          .filter((peer) => peer.kind === 'ip-block')
          .map((peer) => ({ peer, namespace: policy.ref.namespace })),
      ),
    );
    analysis.pods.forEach((pod, idx) => {
      if (pod.hostNetwork) return;
      const classes = this.byNamespace.get(pod.namespace) ?? new Map<string, LabelClass>();
      this.byNamespace.set(pod.namespace, classes);
      const key = JSON.stringify(Object.entries(pod.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
      const found = classes.get(key);
      if (found) found.pods.push(idx);
      else classes.set(key, { namespace: pod.namespace, labels: pod.labels, pods: [idx] });
    });
  }

  /** The label classes of a namespace. */
  of(namespace: string): LabelClass[] {
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }

  /** The label classes of the namespaces a namespaceSelector picks whose labels a podSelector picks. */
  selectedBy(namespaces: readonly string[], podSelector: LabelSelector | undefined): LabelClass[] {
    const key = JSON.stringify([namespaces, podSelector]);
    let found = this.selected.get(key);
    if (!found) {
      found = namespaces
        .flatMap((ns) => this.of(ns))
        .filter((c) => !podSelector || selectorMatches(podSelector, c.labels));
      this.selected.set(key, found);
    }
    return found;
  }

  /** A label class split into pods alike as sources, or as `destination`s. */
  split(labelClass: LabelClass, destination: boolean): number[][] {
    labelClass.split ??= {
      source: this.splitBy(labelClass.pods, false),
      destination: this.splitBy(labelClass.pods, true),
    };
    return labelClass.split[destination ? 'destination' : 'source'];
  }

  private splitBy(pods: readonly number[], destination: boolean): number[][] {
    const groups = new Map<string, number[]>();
    for (const idx of pods) {
      const blocks = this.blocks.flatMap(({ peer, namespace }, i) =>
        peerMatchesPod(this.analysis, peer, namespace, idx) ? [i] : [],
      );
      const key = JSON.stringify([blocks, destination ? this.analysis.pods[idx]?.ports : []]);
      const group = groups.get(key);
      if (group) group.push(idx);
      else groups.set(key, [idx]);
    }
    return [...groups.values()];
  }
}

/** The label classes a rule's selector peers match, each with the first peer matching it. */
function peerClasses(
  analysis: Analysis,
  classes: PodClasses,
  located: LocatedRule,
): Map<LabelClass, SelectorPeer> {
  const own = located.policy.ref.namespace;
  const matched = new Map<LabelClass, SelectorPeer>();
  for (const peer of located.rule.peers) {
    if (peer.kind === 'ip-block' || isCiliumPeer(peer)) continue;
    const namespaces =
      peer.kind === 'pods-in-policy-namespace'
        ? [own]
        : [...analysis.namespaces.values()]
            .filter((ns) => selectorMatches(peer.namespaceSelector, ns.labels))
            .map((ns) => ns.name);
    for (const labelClass of classes.selectedBy(namespaces, peer.podSelector)) {
      if (!matched.has(labelClass)) matched.set(labelClass, peer);
    }
  }
  return matched;
}

/** Two different pods of two groups, or undefined when both are the same single pod. */
function pairOf(own: readonly number[], other: readonly number[]): [number, number] | undefined {
  for (const o of own.slice(0, 2)) {
    for (const x of other.slice(0, 2)) if (o !== x) return [o, x];
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
  const otherGroups = others.flatMap((c) => classes.split(c, direction === 'egress'));
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
  for (const otherGroup of otherGroups) {
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
  const others = peerClasses(analysis, classes, located);
  if (others.size === 0) return [];
  const own = classes.selectedBy([policy.ref.namespace], policy.policy.podSelector);
  // Each peer is judged on its own: one may be cut off while another gets through.
  const byPeer = new Map<SelectorPeer, LabelClass[]>();
  for (const [labelClass, peer] of others) {
    const list = byPeer.get(peer);
    if (list) list.push(labelClass);
    else byPeer.set(peer, [labelClass]);
  }
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
export function oneSidedFindings(analysis: Analysis): AuditFinding[] {
  const sides = new SidePorts(analysis);
  const classes = new PodClasses(analysis);
  return effectiveRules(analysis).flatMap((located) => oneSided(analysis, sides, classes, located));
}
