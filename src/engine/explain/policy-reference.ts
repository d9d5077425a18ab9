import { clusterPolicyKind, isNetworkPolicyKind } from '../compile/target-names.js';
import type { Cluster, NetworkPolicy } from '../model/types.js';
import { findPolicy, type MissingPolicy } from './policy-view.js';

/**
 * A policy a target names: a NetworkPolicy (`netpol/NAME`, `netpol/NAME.NAMESPACE`,
 * `NAMESPACE/netpol/NAME`), a cluster policy (`cnp/NAME`, `anp/NAME`, `banp/NAME`), or a
 * cluster policy given a namespace, which it cannot have (`NAMESPACE/cnp/NAME`).
 */
export type PolicyReference =
  | {
      readonly kind: 'network-policy';
      readonly namespace: string;
      readonly name: string;
      /** For `netpol/NAME.NAMESPACE`: the reading as NAME in NAMESPACE (a name may hold dots). */
      readonly dotted?: { readonly namespace: string; readonly name: string };
    }
  | { readonly kind: 'cluster-policy'; readonly name: string }
  | {
      readonly kind: 'namespaced-cluster-policy';
      readonly namespace: string;
      readonly name: string;
    };

/** The short name (`cnp/NAME`) of a cluster policy kind and name; undefined for other kinds. */
function clusterPolicyName(kind: string, name: string): string | undefined {
  const short = clusterPolicyKind(kind);
  return short && `${short}/${name}`;
}

/**
 * The policy `text` names, names given without a namespace being in `namespace`; undefined
 * when it names no policy (a pod, a workload, a Service...).
 */
export function parsePolicyReference(text: string, namespace: string): PolicyReference | undefined {
  const parts = text.split('/');
  if (parts.some((part) => part === '') || parts.length < 2 || parts.length > 3) return undefined;
  const [kind = '', name = ''] = parts.slice(-2);
  const given = parts.length === 3 ? parts[0] : undefined;
  const clusterName = clusterPolicyName(kind, name);
  if (clusterName !== undefined) {
    return given === undefined
      ? { kind: 'cluster-policy', name: clusterName }
      : { kind: 'namespaced-cluster-policy', namespace: given, name: clusterName };
  }
  if (!isNetworkPolicyKind(kind)) return undefined;
  if (given !== undefined) return { kind: 'network-policy', namespace: given, name };
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { kind: 'network-policy', namespace, name };
  const dotted = { namespace: name.slice(dot + 1), name: name.slice(0, dot) };
  return { kind: 'network-policy', namespace, name, dotted };
}

/**
 * The NetworkPolicy a reference names: NAME in its namespace, else (for NAME.NAMESPACE) NAME in
 * NAMESPACE; when neither exists, the missing one the user most likely meant (the dotted
 * reading when its namespace exists) with the closest names.
 */
export function findReferencedPolicy(
  cluster: Cluster,
  reference: Extract<PolicyReference, { kind: 'network-policy' }>,
): { ok: true; policy: NetworkPolicy } | { ok: false; missing: MissingPolicy } {
  const whole = findPolicy(cluster, reference.namespace, reference.name);
  const { dotted } = reference;
  if (whole.ok || !dotted) return whole;
  const split = findPolicy(cluster, dotted.namespace, dotted.name);
  if (split.ok) return split;
  const namespaceExists =
    cluster.namespaces.some((ns) => ns.name === dotted.namespace) ||
    cluster.policies.some((policy) => policy.namespace === dotted.namespace);
  return namespaceExists ? split : whole;
}
