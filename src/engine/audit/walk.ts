import type {
  Analysis,
  CompiledPolicy,
  CompiledRule,
  PolicyRef,
  SelectorOrBlockPeer,
} from '../compile/compile.js';
import type { Pod } from '../model/types.js';
import type { ObjectRef, PeerRef, RuleRef } from './types.js';

/** Namespaces of the platform itself: coverage findings leave them out. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/** A rule that takes effect (its direction is in policyTypes), with where it is. */
export interface LocatedRule {
  readonly policy: CompiledPolicy;
  readonly rule: CompiledRule;
  readonly ref: RuleRef;
}

/** Every rule that takes effect, policy by policy, ingress before egress. */
export function effectiveRules(analysis: Analysis): LocatedRule[] {
  return analysis.policies.flatMap((policy) =>
    [...policy.ingress, ...policy.egress].map((rule) => ({
      policy,
      rule,
      ref: { policy: policy.ref, direction: rule.direction, ruleIndex: rule.index },
    })),
  );
}

/** The NetworkPolicies of each namespace, in the order of the analysis. */
export function policiesByNamespace(analysis: Analysis): Map<string, CompiledPolicy[]> {
  const byNamespace = new Map<string, CompiledPolicy[]>();
  for (const policy of analysis.policies) {
    const list = byNamespace.get(policy.ref.namespace);
    if (list) list.push(policy);
    else byNamespace.set(policy.ref.namespace, [policy]);
  }
  return byNamespace;
}

/** A peer of a rule that takes effect, with where it is. */
export interface LocatedPeer extends LocatedRule {
  readonly peer: SelectorOrBlockPeer;
  readonly peerRef: PeerRef;
}

/** Every peer of every rule that takes effect. */
export function effectivePeers(analysis: Analysis): LocatedPeer[] {
  return effectiveRules(analysis).flatMap((located) =>
    located.rule.peers.map((peer) => ({
      ...located,
      peer,
      peerRef: { ...located.ref, peerIndex: peer.index },
    })),
  );
}

/** The manifest path of a rule: `spec.ingress[0]`. */
export function ruleField(rule: RuleRef): string {
  return `spec.${rule.direction}[${rule.ruleIndex}]`;
}

/** The manifest path of a peer's field: `spec.ingress[0].from[1].podSelector`. */
export function peerField(
  peer: PeerRef,
  field: 'podSelector' | 'namespaceSelector' | 'ipBlock',
): string {
  return `${ruleField(peer)}.${peer.direction === 'ingress' ? 'from' : 'to'}[${peer.peerIndex}].${field}`;
}

/** A policy as an object reference. */
export function policyObject(policy: PolicyRef): ObjectRef {
  return { kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name };
}

/** A pod (or the workload standing for it) as an object reference. */
export function podObject(pod: Pod): ObjectRef {
  return { kind: pod.kind, namespace: pod.namespace, name: pod.name };
}

/** A namespace as an object reference. */
export function namespaceObject(name: string): ObjectRef {
  return { kind: 'Namespace', name };
}

/** The pods of a namespace, by index. */
export function namespacePods(analysis: Analysis, namespace: string): Pod[] {
  return (analysis.podsByNamespace.get(namespace) ?? []).flatMap((idx) => {
    const pod = analysis.pods[idx];
    return pod ? [pod] : [];
  });
}

/** The pod of an id as an object reference, in a list of none or one. */
export function podObjectById(analysis: Analysis, id: string | undefined): ObjectRef[] {
  const pod = id === undefined ? undefined : analysis.pods[analysis.podIndex.get(id) ?? -1];
  return pod ? [podObject(pod)] : [];
}
