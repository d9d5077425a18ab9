import type {
  Analysis,
  CompiledPolicy,
  CompiledRule,
  Direction,
  PolicyRef,
  SelectorOrBlockPeer,
} from '../compile/compile.js';
import { isCiliumPeer } from '../compile/compile-policy.js';
import type { Endpoint, PodEndpoint } from '../compile/endpoint.js';
import type { PortResolver } from '../compile/named-ports.js';
import { type ScaledToZeroWorkload, scaledToZeroSelected } from '../compile/scaled-to-zero.js';
import { candidatePods, peerMiss, peerScaledToZero } from '../evaluate/peer-match.js';
import type { PeerMiss } from '../evaluate/peer-miss.js';
import { type PortMiss, portMiss } from '../evaluate/port-match.js';
import type { LabelSelector, Protocol } from '../model/types.js';
import { type LabelDifference, selectorDifferences } from '../primitives/label-difference.js';
import { selectorMatches } from '../primitives/selector.js';
import { type Labelled, withTypoEvidence } from './typo-evidence.js';

/** A selector that does not select an object, with every term that fails. */
export interface SelectorDifference {
  readonly kind: /** The policy's podSelector does not select the pod it would protect (it selects others). */
    | 'policy-selects-other-pods'
    /** The same, and the podSelector selects no pod of the policy's namespace at all. */
    | 'policy-selects-nothing'
    /** A peer's podSelector does not select the other pod (it selects others). */
    | 'label-mismatch'
    /** The same, and the podSelector selects no pod where the peer looks. */
    | 'pod-selector-matches-nothing'
    /** A peer's namespaceSelector does not select the other pod's namespace (it selects others). */
    | 'namespace-label-mismatch'
    /** The same, and the namespaceSelector selects no namespace at all. */
    | 'namespace-selector-matches-nothing';
  /** The pod id or namespace name whose labels were compared. */
  readonly subject: string;
  readonly selector: LabelSelector;
  readonly labels: readonly LabelDifference[];
  /**
   * The workloads scaled to zero the selector selects where no running pod matches it: the
   * pods it is meant for, which do not run now (so selecting nothing is no mistake).
   */
  readonly scaledToZero?: readonly ScaledToZeroWorkload[];
}

/** One thing that keeps a rule from allowing a flow. */
export type Difference =
  | SelectorDifference
  | Exclude<PeerMiss, { kind: 'namespace-labels' | 'pod-labels' }>
  | PortMiss;

/** Whether a difference is a selector that selects nothing at all (so it is surely wrong). */
export function selectsNothing(difference: Difference): boolean {
  return (
    difference.kind === 'policy-selects-nothing' ||
    difference.kind === 'pod-selector-matches-nothing' ||
    difference.kind === 'namespace-selector-matches-nothing'
  );
}

/** The flow a rule is measured against. */
export interface FlowQuestion {
  readonly analysis: Analysis;
  /** The pod the policy would protect: the destination for ingress, the source for egress. */
  readonly subject: PodEndpoint;
  /** The other side, which the rule's peers must match. */
  readonly peer: Endpoint;
  /** How named ports resolve on the destination. */
  readonly resolve: PortResolver;
  readonly protocol: Protocol;
  readonly port: number;
}

/** How far a rule is from allowing the flow, by what differs; lower is closer. */
function differenceCost(difference: Difference): number {
  const labels = 'labels' in difference ? difference.labels : [];
  const labelCost = labels.reduce((sum, l) => sum + (l.likelyTypo ? 1 : 2), 0);
  switch (difference.kind) {
    case 'label-mismatch':
    case 'pod-selector-matches-nothing':
      return labelCost;
    case 'policy-selects-other-pods':
    case 'policy-selects-nothing':
    case 'namespace-label-mismatch':
    case 'namespace-selector-matches-nothing':
      return 1 + labelCost;
    case 'port':
    case 'named-port-missing':
    case 'named-port-other':
      return 1;
    case 'protocol':
    case 'excepted':
    case 'ip-unknown':
    case 'namespace-not-given':
    case 'name-addresses':
    case 'calico-condition':
      return 2;
    case 'other-namespace':
    case 'outside-cidr':
    case 'outside-pod-range':
      return 3;
    case 'not-a-pod':
    case 'host-network':
    case 'cilium-entity':
    case 'cilium-cidr-pod':
    case 'cilium-cidr-node':
    case 'node-host':
      return 4;
  }
}

function totalCost(differences: readonly Difference[]): number {
  return differences.reduce((sum, d) => sum + differenceCost(d), 0);
}

function selectsAnyPod(analysis: Analysis, selector: LabelSelector, pods: readonly number[]) {
  return pods.some((idx) => selectorMatches(selector, analysis.pods[idx]?.labels ?? {}));
}

/** The pods of some indexes as labelled objects, to weigh typo claims against. */
function labelledPods(analysis: Analysis, pods: readonly number[]): Labelled[] {
  return pods.flatMap((idx) => analysis.pods[idx] ?? []);
}

function podSelectorDifference(
  analysis: Analysis,
  peer: Exclude<SelectorOrBlockPeer, { kind: 'ip-block' }>,
  policyNamespace: string,
  pod: PodEndpoint['pod'],
): SelectorDifference[] {
  const selector = peer.podSelector;
  if (!selector) return [];
  const differences = selectorDifferences(selector, pod.labels);
  if (differences.length === 0) return [];
  // Selectors never match host-network pods; no pods to look at at all is the namespace's fault.
  const seen = candidatePods(analysis, peer, policyNamespace).filter(
    (idx) => !analysis.pods[idx]?.hostNetwork,
  );
  const labels = withTypoEvidence(differences, pod, labelledPods(analysis, seen));
  if (seen.length === 0 || selectsAnyPod(analysis, selector, seen)) {
    return [{ kind: 'label-mismatch', subject: pod.id, selector, labels }];
  }
  const idle = peerScaledToZero(analysis, peer, policyNamespace);
  const difference = { subject: pod.id, selector, labels };
  return [selectsNoRunningPod(idle, 'label-mismatch', 'pod-selector-matches-nothing', difference)];
}

/**
 * A selector difference where the selector selects no running pod: `nothing` (surely a
 * mistake), or `other` naming the workloads scaled to zero (`idle`) it selects instead.
 */
function selectsNoRunningPod(
  idle: readonly ScaledToZeroWorkload[],
  other: SelectorDifference['kind'],
  nothing: SelectorDifference['kind'],
  difference: Omit<SelectorDifference, 'kind'>,
): SelectorDifference {
  return idle.length > 0
    ? { kind: other, ...difference, scaledToZero: idle }
    : { kind: nothing, ...difference };
}

/** Why a policy does not select the pod it would protect; empty when it does. */
function targetDifference(
  analysis: Analysis,
  policy: CompiledPolicy,
  pod: PodEndpoint['pod'],
): SelectorDifference[] {
  const selector = policy.policy.podSelector;
  const differences = selectorDifferences(selector, pod.labels);
  if (differences.length === 0) return [];
  const neighbours = analysis.podsByNamespace.get(pod.namespace) ?? [];
  const labels = withTypoEvidence(differences, pod, labelledPods(analysis, neighbours));
  const difference = { subject: pod.id, selector, labels };
  if (selectsAnyPod(analysis, selector, neighbours)) {
    return [{ kind: 'policy-selects-other-pods', ...difference }];
  }
  const idle = scaledToZeroSelected(analysis.cluster, [pod.namespace], selector);
  const [other, nothing] = ['policy-selects-other-pods', 'policy-selects-nothing'] as const;
  return [selectsNoRunningPod(idle, other, nothing, difference)];
}

/** Everything that keeps a peer from matching an endpoint; empty when it matches. */
function peerDifferences(
  analysis: Analysis,
  peer: SelectorOrBlockPeer,
  policyNamespace: string,
  endpoint: Endpoint,
): Difference[] {
  const miss = peerMiss(analysis, peer, policyNamespace, endpoint);
  if (!miss) return [];
  if (
    miss.kind !== 'namespace-labels' &&
    miss.kind !== 'pod-labels' &&
    miss.kind !== 'other-namespace'
  ) {
    return [miss];
  }
  if (endpoint.kind !== 'pod' || peer.kind === 'ip-block' || isCiliumPeer(peer)) return [];
  const pod = endpoint.pod;
  const differences: Difference[] = miss.kind === 'other-namespace' ? [miss] : [];
  if (peer.kind === 'pods-in-selected-namespaces') {
    const namespace = analysis.namespaces.get(pod.namespace) ?? { name: pod.namespace, labels: {} };
    const labels = withTypoEvidence(
      selectorDifferences(peer.namespaceSelector, namespace.labels),
      namespace,
      [...analysis.namespaces.values()],
    );
    if (labels.length > 0) {
      const selectsSome = [...analysis.namespaces.values()].some((ns) =>
        selectorMatches(peer.namespaceSelector, ns.labels),
      );
      differences.push({
        kind: selectsSome ? 'namespace-label-mismatch' : 'namespace-selector-matches-nothing',
        subject: pod.namespace,
        selector: peer.namespaceSelector,
        labels,
      });
    }
  }
  return [...differences, ...podSelectorDifference(analysis, peer, policyNamespace, pod)];
}

/** The cheapest of several alternatives, any of which would do; undefined when one already holds. */
function cheapest<T extends { differences: Difference[] }>(options: T[]): T | undefined {
  if (options.some((option) => option.differences.length === 0)) return undefined;
  return options.reduce<T | undefined>(
    (best, option) =>
      best && totalCost(best.differences) <= totalCost(option.differences) ? best : option,
    undefined,
  );
}

/** What keeps one rule from allowing the flow, with its closest peer and port entry. */
export interface RuleDifferences {
  readonly peerIndex?: number;
  readonly portIndex?: number;
  /** In order: the policy's pod selection, the peer, the port. Empty: the rule allows the flow. */
  readonly differences: readonly Difference[];
  readonly distance: number;
}

/** Measures a rule of a policy against the flow, whether or not the policy selects the subject. */
export function ruleDifferences(
  question: FlowQuestion,
  policy: CompiledPolicy,
  rule: CompiledRule,
): RuleDifferences {
  const { analysis, subject, peer } = question;
  const namespace = policy.ref.namespace;
  const peerPick = cheapest(
    rule.peers.map((compiled) => ({
      peerIndex: compiled.index,
      differences: peerDifferences(analysis, compiled, namespace, peer),
    })),
  );
  const portPick = cheapest(
    rule.ports.map((entry, portIndex) => {
      const miss = portMiss(entry, portIndex, question.resolve, question.protocol, question.port);
      return { portIndex, differences: miss ? [miss] : [] };
    }),
  );
  const differences = [
    ...targetDifference(analysis, policy, subject.pod),
    ...(peerPick?.differences ?? []),
    ...(portPick?.differences ?? []),
  ];
  return {
    ...(peerPick ? { peerIndex: peerPick.peerIndex } : {}),
    ...(portPick ? { portIndex: portPick.portIndex } : {}),
    differences,
    distance: totalCost(differences),
  };
}

/** A rule that did not allow a denied flow, with what would have to change for it to. */
export interface RuleNearMiss {
  readonly direction: Direction;
  readonly policy: PolicyRef;
  readonly ruleIndex: number;
  /** The closest peer, when no peer of the rule matches. */
  readonly peerIndex?: number;
  /** The closest port entry, when no port entry matches. */
  readonly portIndex?: number;
  /** In order: the policy's pod selection, the peer, the port; never empty. */
  readonly differences: readonly Difference[];
  /** How far the rule is from allowing the flow; lower is closer. */
  readonly distance: number;
}
