import type { Analysis, Direction, PolicyRef, SelectorOrBlockPeer } from '../compile/compile.js';
import { policiesSelecting } from '../compile/compile.js';
import { isCiliumPeer } from '../compile/compile-policy.js';
import { SidePorts } from '../evaluate/side-ports.js';
import { NAMESPACE_NAME_LABEL } from '../model/types.js';
import { labelsSelector } from '../primitives/selector.js';
import type { ScaffoldRequest } from '../scaffold/scaffold.js';
import { withFreeName } from '../scaffold/scaffold-fix.js';
import { OTHER, RulePairs } from './one-sided-pairs.js';
import { PodGroups } from './pod-groups.js';
import { type LabelClass, PodLookup } from './pod-lookup.js';
import type { AuditFinding, FixAction } from './types.js';
import { effectiveRules, type LocatedRule, podObject, policyObject } from './walk.js';

type SelectorPeer = Exclude<SelectorOrBlockPeer, { kind: 'ip-block' }>;

/**
 * The label classes each selector peer of a rule matches, a class counting for the first peer
 * matching it; peers left with none are left out.
 */
function classesByPeer(
  lookup: PodLookup,
  located: LocatedRule,
): Map<SelectorPeer, readonly LabelClass[]> {
  const selections: { peer: SelectorPeer; selected: readonly LabelClass[] }[] = [];
  for (const peer of located.rule.peers) {
    if (peer.kind === 'ip-block' || isCiliumPeer(peer)) continue;
    selections.push({ peer, selected: lookup.classesOfPeer(peer, located.policy.ref.namespace) });
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

/**
 * The pods of a peer of the rule that can never use it, in groups of pods alike, or undefined
 * when some pair gets through (the peer works for someone) or none is opened on any port.
 */
function blockedGroups(
  groups: PodGroups,
  pairs: RulePairs,
  direction: Direction,
  others: readonly LabelClass[],
): (readonly number[])[] | undefined {
  const blocked: (readonly number[])[] = [];
  for (const labelClass of others) {
    for (const other of groups.ofClass(labelClass, direction === 'egress')) {
      const { fate, onlyOpened } = pairs.judgementOf(other);
      if (fate === 'through') return undefined;
      if (fate !== 'blocked') continue;
      // The one pod the rule opens ports to is opened nothing: it would pair with itself.
      const pods = groups.members(other, direction === 'egress').filter((p) => p !== onlyOpened);
      if (pods.length > 0) blocked.push(pods);
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

function oneSided(analysis: Analysis, sides: SidePorts, groups: PodGroups, located: LocatedRule) {
  const { policy, rule, ref } = located;
  if (rule.peers.length === 0) return [];
  // Each peer is judged on its own: one may be cut off while another gets through.
  const { lookup } = groups;
  const byPeer = classesByPeer(lookup, located);
  if (byPeer.size === 0) return [];
  const own = lookup.classesSelectedBy(
    lookup.namespaceAlone(policy.ref.namespace),
    policy.policy.podSelector,
  );
  const pairs = new RulePairs(sides, groups, located, own);
  const blockedBy = new Map<string, PolicyRef>();
  const fixes = new Map<string, FixAction>();
  const blocked: number[] = [];
  for (const [peer, peerClasses] of byPeer) {
    for (const group of blockedGroups(groups, pairs, rule.direction, peerClasses) ?? []) {
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
 * are compared in groups (namespace, labels, what any tier tells them apart by, ports; see
 * PodGroups), and a peer's group
 * against only the policy's groups that its own rules reach (see RulePairs): the cost grows
 * with the groups rules select, not with the pairs of groups.
 */
export function oneSidedFindings(
  analysis: Analysis,
  lookup = new PodLookup(analysis),
): AuditFinding[] {
  const sides = new SidePorts(analysis);
  const groups = new PodGroups(analysis, lookup);
  return effectiveRules(analysis).flatMap((located) => oneSided(analysis, sides, groups, located));
}
