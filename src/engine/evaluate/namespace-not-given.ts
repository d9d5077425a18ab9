import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import { type LabelSelector, type Labels, NAMESPACE_NAME_LABEL } from '../model/types.js';
import { isEmptySelector, selectorMatches } from '../primitives/selector.js';

/** The terms of a selector on the keys `kept`. */
function selectorPart(selector: LabelSelector, kept: (key: string) => boolean): LabelSelector {
  return {
    matchLabels: Object.fromEntries(Object.entries(selector.matchLabels).filter(([k]) => kept(k))),
    matchExpressions: selector.matchExpressions.filter((requirement) => kept(requirement.key)),
  };
}

/**
 * Whether a namespaceSelector selects a namespace of which only the name is known: surely
 * (it needs only kubernetes.io/metadata.name, which the API server sets on every namespace:
 * https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name),
 * surely not (its requirements on that label fail), or `maybe` (it needs other labels).
 */
export function selectsUnlabelledNamespace(
  selector: LabelSelector,
  namespace: string,
): 'yes' | 'no' | 'maybe' {
  const onName = (key: string) => key === NAMESPACE_NAME_LABEL;
  if (!selectorMatches(selectorPart(selector, onName), { [NAMESPACE_NAME_LABEL]: namespace }))
    return 'no';
  const rest = selectorPart(selector, (key) => !onName(key));
  return isEmptySelector(rest) ? 'yes' : 'maybe';
}

/**
 * The labels of a namespace where the input holds the Namespace (its list read); undefined
 * where only its name is known.
 */
export function knownNamespaceLabels(
  analysis: Pick<Analysis, 'cluster' | 'namespaces' | 'namespacesNotGiven'>,
  namespace: string,
): Labels | undefined {
  const listUnread = (analysis.cluster.unread ?? []).some((list) => list.resource === 'namespaces');
  if (listUnread || analysis.namespacesNotGiven.has(namespace)) return undefined;
  return analysis.namespaces.get(namespace)?.labels;
}

/**
 * Whether a namespaceSelector selects a namespace: by its labels where the input holds the
 * Namespace (knownNamespaceLabels), else as selectsUnlabelledNamespace tells from its name alone.
 */
export function selectsNamespace(
  analysis: Pick<Analysis, 'cluster' | 'namespaces' | 'namespacesNotGiven'>,
  selector: LabelSelector,
  namespace: string,
): 'yes' | 'no' | 'maybe' {
  const labels = knownNamespaceLabels(analysis, namespace);
  if (!labels) return selectsUnlabelledNamespace(selector, namespace);
  return selectorMatches(selector, labels) ? 'yes' : 'no';
}

/**
 * Whether a peer may or may not match a pod because the pod's namespace is not in the input and
 * the peer's namespaceSelector needs labels other than its name (its podSelector matching).
 */
export function peerDependsOnNamespaceLabels(
  analysis: Analysis,
  peer: CompiledPeer,
  podIdx: number,
): boolean {
  if (peer.kind !== 'pods-in-selected-namespaces') return false;
  const pod = analysis.pods[podIdx];
  if (!pod || pod.hostNetwork || !analysis.namespacesNotGiven.has(pod.namespace)) return false;
  return (
    selectsUnlabelledNamespace(peer.namespaceSelector, pod.namespace) === 'maybe' &&
    (!peer.podSelector || selectorMatches(peer.podSelector, pod.labels))
  );
}

/** Why a side is UNKNOWN when the other side's namespace is not in the input, or undefined. */
export function namespaceNotGivenLayer(
  analysis: Analysis,
  chain: RuleChain,
  other: Endpoint,
): UndecidedLayer | undefined {
  if (other.kind !== 'pod') return undefined;
  const selectors = new Map<string, LabelSelector>();
  for (const rule of chain.rules) {
    for (const peer of rule.peers) {
      if (!peerDependsOnNamespaceLabels(analysis, peer, other.podIdx)) continue;
      if (peer.kind !== 'pods-in-selected-namespaces') continue;
      selectors.set(JSON.stringify(peer.namespaceSelector), peer.namespaceSelector);
    }
  }
  if (selectors.size === 0) return undefined;
  return {
    kind: 'namespace-not-given',
    namespace: other.pod.namespace,
    selectors: [...selectors.values()],
  };
}
