import type { Analysis } from '../compile/compile.js';
import { isCiliumPeer } from '../compile/compile-policy.js';
import { valueNames } from '../diagnose/typo-evidence.js';
import { type LabelSelector, NAMESPACE_NAME_LABEL, type Pod } from '../model/types.js';
import { selectorMatches } from '../primitives/selector.js';
import {
  type Candidate,
  candidateMiss,
  correctedSelector,
  likelyNearMiss,
} from './candidate-miss.js';
import { podLabelFixes, selectorFixes } from './fix.js';
import { PodLookup } from './pod-lookup.js';
import { scaledToZeroFinding } from './scaled-to-zero.js';
import type { AuditFinding, CandidateMiss, FixAction } from './types.js';
import {
  effectivePeers,
  type LocatedPeer,
  namespaceObject,
  namespacePods,
  podObject,
  podObjectById,
  policyObject,
} from './walk.js';

const podCandidate = (pod: Pod): Candidate => ({ name: pod.id, labels: pod.labels });

/** A podSelector peer that matches no pod (or only host-network pods) where it looks. */
function podSelectorFinding(
  analysis: Analysis,
  lookup: PodLookup,
  located: LocatedPeer,
  selector: LabelSelector,
  namespaces: readonly string[],
): AuditFinding[] {
  // Pods off the host network that it matches make the common case: answered by label class.
  if (lookup.classesSelectedBy(namespaces, selector).length > 0) return [];
  const pods = namespaces.flatMap((ns) => namespacePods(analysis, ns));
  if (pods.length === 0) return [];
  const matching = pods.filter((pod) => selectorMatches(selector, pod.labels));
  if (matching.some((pod) => !pod.hostNetwork)) return [];
  const found = {
    code: 'pod-selector-matches-nothing',
    namespace: located.policy.ref.namespace,
    peer: located.peerRef,
    selector,
    namespaces,
    hostNetworkPods: matching.map((pod) => pod.id),
    ...(matching.length > 0 && analysis.hostNetworkPeers === 'plugin-dependent'
      ? { plugin: analysis.cni.plugin }
      : {}),
  } as const;
  const idle = scaledToZeroFinding(analysis, found, located.policy.ref, namespaces);
  if (idle) return [idle];
  const miss = likelyNearMiss(selector, pods.filter((pod) => !pod.hostNetwork).map(podCandidate));
  const corrected = miss ? correctedSelector(selector, miss) : undefined;
  const target = { kind: 'peer', peer: located.peerRef, field: 'podSelector' } as const;
  const [pod] = podObjectById(analysis, miss?.candidate);
  return [
    {
      ...found,
      severity: miss ? 'error' : 'warning',
      ...(miss ? { nearMiss: miss } : {}),
      objects: [
        policyObject(located.policy.ref),
        ...(pod ? [pod] : []),
        ...matching.map(podObject),
      ],
      fixes: [
        ...(corrected
          ? selectorFixes(located.policy.policy, located.policy.ref, target, corrected)
          : []),
        ...(miss ? podLabelFixes(miss, pod) : []),
      ],
    },
  ];
}

/**
 * Namespaces that were probably meant by a namespaceSelector matching none: one label off, named
 * like a wanted value, or running the pods the peer's podSelector picks.
 */
function namespaceNearMisses(
  analysis: Analysis,
  selector: LabelSelector,
  podSelector: LabelSelector | undefined,
): CandidateMiss[] {
  const namespaces = [...analysis.namespaces.values()].map((ns) => ({
    name: ns.name,
    labels: ns.labels,
  }));
  const wanted = new Set([
    ...Object.values(selector.matchLabels),
    ...selector.matchExpressions.flatMap((r) => (r.operator === 'In' ? r.values : [])),
  ]);
  const withPods = new Set(
    podSelector
      ? analysis.pods
          .filter((pod) => !pod.hostNetwork && selectorMatches(podSelector, pod.labels))
          .map((pod) => pod.namespace)
      : [],
  );
  const known = namespaces.flatMap((ns) => {
    const because: CandidateMiss['because'] = [...wanted].some((value) =>
      valueNames(value, ns.name),
    )
      ? 'name'
      : withPods.has(ns.name)
        ? 'peer-pods'
        : undefined;
    const miss = because ? candidateMiss(selector, ns, namespaces, true) : undefined;
    return miss && because ? [{ ...miss, likely: true, because }] : [];
  });
  const general = likelyNearMiss(selector, namespaces);
  const extra = general && !known.some((m) => m.candidate === general.candidate);
  return extra ? [...known, general] : known;
}

function namespaceFixes(located: LocatedPeer, selector: LabelSelector, miss: CandidateMiss) {
  const target = { kind: 'peer', peer: located.peerRef, field: 'namespaceSelector' } as const;
  const replacement = miss.found ?? { key: NAMESPACE_NAME_LABEL, value: miss.candidate };
  const corrected = correctedSelector(selector, miss, replacement);
  const label: FixAction[] =
    miss.found?.key === miss.key
      ? []
      : [
          {
            kind: 'label-namespace',
            namespace: miss.candidate,
            key: miss.key,
            value: miss.values[0] ?? '',
          },
        ];
  return [
    ...label,
    ...(corrected
      ? selectorFixes(located.policy.policy, located.policy.ref, target, corrected)
      : []),
  ];
}

/** A namespaceSelector peer that matches no namespace. */
function namespaceSelectorFinding(
  analysis: Analysis,
  located: LocatedPeer,
  selector: LabelSelector,
  podSelector: LabelSelector | undefined,
): AuditFinding {
  const misses = namespaceNearMisses(analysis, selector, podSelector);
  const [best] = misses;
  return {
    code: 'namespace-selector-matches-nothing',
    severity: best ? 'error' : 'warning',
    namespace: located.policy.ref.namespace,
    peer: located.peerRef,
    selector,
    nearMisses: misses,
    objects: [
      policyObject(located.policy.ref),
      ...misses.map((miss) => namespaceObject(miss.candidate)),
    ],
    fixes: best ? namespaceFixes(located, selector, best) : [],
  };
}

/**
 * Peers that select nothing: a namespaceSelector matching no namespace, or a podSelector
 * matching no pod where it looks. An error when a namespace or pod is probably what was meant
 * (one label off, the namespace named like the wanted value or running the peer's pods: the fix
 * labels the namespace or corrects the selector), a warning otherwise; information when the
 * podSelector selects workloads scaled to zero, whose pods the rule applies to once they run. A
 * podSelector is not judged where the snapshot has no pods.
 */
export function peerFindings(analysis: Analysis, lookup = new PodLookup(analysis)): AuditFinding[] {
  return effectivePeers(analysis).flatMap((located) => {
    const { peer } = located;
    if (peer.kind === 'ip-block' || isCiliumPeer(peer)) return [];
    if (peer.kind === 'pods-in-policy-namespace') {
      const own = lookup.namespaceAlone(located.policy.ref.namespace);
      return podSelectorFinding(analysis, lookup, located, peer.podSelector, own);
    }
    const namespaces = lookup.namespacesSelectedBy(peer.namespaceSelector);
    if (namespaces.length === 0) {
      return [
        namespaceSelectorFinding(analysis, located, peer.namespaceSelector, peer.podSelector),
      ];
    }
    return peer.podSelector
      ? podSelectorFinding(analysis, lookup, located, peer.podSelector, namespaces)
      : [];
  });
}
