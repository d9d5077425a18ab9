import type { CompiledPeer } from '../compile/compile.js';
import {
  type LabelSelector,
  NAMESPACE_NAME_LABEL,
  type SelectorRequirement,
} from '../model/types.js';

/**
 * Whether one selector peer matches every pod another does, judged on how they are written
 * (sound, not complete: a peer may cover another in ways these checks do not see, never the
 * other way round), so that it holds for pods the input does not list as well.
 */

/** The peers that select pods by namespace and pod labels: NetworkPolicy and cluster policy peers. */
export type SelectorPeer = Extract<
  CompiledPeer,
  { kind: 'pods-in-policy-namespace' | 'pods-in-selected-namespaces' }
>;

const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/** A peer matching every pod of every namespace (a cluster policy's `namespaces: {}`). */
export const EVERY_POD: SelectorPeer = {
  kind: 'pods-in-selected-namespaces',
  index: -1,
  namespaceSelector: EVERYTHING,
};

/** Whether a peer selects pods by labels alone. */
export function isSelectorPeer(peer: CompiledPeer): peer is SelectorPeer {
  return peer.kind === 'pods-in-policy-namespace' || peer.kind === 'pods-in-selected-namespaces';
}

/** Whether a selector selects every label set: it has no terms. */
const selectsAll = (selector: LabelSelector | undefined) =>
  !selector ||
  (Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0);

/**
 * Whether a peer matches every pod of every namespace, whatever its labels: a namespaceSelector
 * and podSelector without terms, a cluster-wide Cilium endpoint selector without terms, a
 * Calico side of `all()` alone.
 */
export function matchesEveryPod(peer: CompiledPeer): boolean {
  switch (peer.kind) {
    case 'pods-in-selected-namespaces':
      return selectsAll(peer.namespaceSelector) && selectsAll(peer.podSelector);
    case 'cilium-endpoints':
      return peer.namespace === undefined && selectsAll(peer.selector);
    case 'calico-endpoints': {
      const { selector, namespaceSelector, ...rest } = peer.endpoints;
      const others = rest.namespace ?? rest.notSelector ?? rest.serviceAccountNames;
      return (
        selector?.kind === 'all' &&
        (namespaceSelector === undefined || namespaceSelector.kind === 'all') &&
        others === undefined &&
        rest.serviceAccountSelector === undefined &&
        rest.nets.length === 0 &&
        rest.notNets.length === 0
      );
    }
    default:
      return false;
  }
}

function sameRequirement(a: SelectorRequirement, b: SelectorRequirement): boolean {
  return (
    a.key === b.key &&
    a.operator === b.operator &&
    a.values.length === b.values.length &&
    [...a.values].sort().every((v, i) => v === [...b.values].sort()[i])
  );
}

/** Whether `outer` selects every label set `inner` selects: its terms are a subset. */
export function selectorCovers(outer: LabelSelector, inner: LabelSelector): boolean {
  return (
    Object.entries(outer.matchLabels).every(([k, v]) => inner.matchLabels[k] === v) &&
    outer.matchExpressions.every((r) => inner.matchExpressions.some((s) => sameRequirement(r, s)))
  );
}

/** A selector peer as (namespaces, pods): a podSelector alone looks in the policy's namespace. */
function scopes(peer: SelectorPeer, namespace: string) {
  return peer.kind === 'pods-in-policy-namespace'
    ? {
        namespaces: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace }, matchExpressions: [] },
        pods: peer.podSelector,
      }
    : { namespaces: peer.namespaceSelector, pods: peer.podSelector ?? EVERYTHING };
}

/**
 * Whether peer `outer` matches every pod peer `inner` matches; a bare podSelector looks in its
 * rule's namespace (`outerNamespace`, `innerNamespace`).
 */
export function selectorPeerCovers(
  outer: SelectorPeer,
  outerNamespace: string,
  inner: SelectorPeer,
  innerNamespace: string,
): boolean {
  const a = scopes(outer, outerNamespace);
  const b = scopes(inner, innerNamespace);
  return selectorCovers(a.namespaces, b.namespaces) && selectorCovers(a.pods, b.pods);
}
