import { clusterPolicyKind, isNetworkPolicyKind } from '../compile/target-names.js';
import { clusterPolicyName } from '../model/cluster-policy.js';
import { selectorMatches } from '../primitives/selector.js';
import {
  type CandidateSource,
  matchCandidates,
  type TargetCandidate,
} from './target-candidates.js';

/** The NetworkPolicies of a namespace as candidates, each `prefix` + its name. */
function networkPolicies(
  analysis: CandidateSource,
  namespace: string,
  prefix: string,
): TargetCandidate[] {
  const pods = (analysis.podsByNamespace.get(namespace) ?? []).map((idx) => analysis.pods[idx]);
  return analysis.cluster.policies
    .filter((policy) => policy.namespace === namespace)
    .map((policy) => ({
      text: `${prefix}${policy.name}`,
      kind: 'NetworkPolicy',
      about: {
        namespace,
        pods: pods.filter((pod) => pod && selectorMatches(policy.podSelector, pod.labels)).length,
      },
    }));
}

/** Every cluster policy as a candidate: `cnp/NAME` (or anp/, banp/ for the deprecated kinds). */
function clusterPolicies(analysis: CandidateSource): TargetCandidate[] {
  return (analysis.cluster.clusterPolicies ?? []).map((policy) => ({
    text: clusterPolicyName(policy),
    kind: 'ClusterNetworkPolicy',
    about: { tier: policy.tier, priority: policy.priority },
  }));
}

/** The candidates before matching: prefixes for a bare word, policies after a kind. */
function allCandidates(
  analysis: CandidateSource,
  typed: string,
  namespace: string,
): TargetCandidate[] {
  const [first = '', second, third] = typed.split('/');
  const hasPolicies = (ns: string) => analysis.cluster.policies.some((p) => p.namespace === ns);
  if (second === undefined) {
    return [
      ...(hasPolicies(namespace)
        ? [{ text: 'netpol/', kind: 'NetworkPolicy', about: { namespace } }]
        : []),
      ...(clusterPolicies(analysis).length > 0
        ? [{ text: 'cnp/', kind: 'ClusterNetworkPolicy' }]
        : []),
    ];
  }
  if (third === undefined) {
    if (isNetworkPolicyKind(first)) return networkPolicies(analysis, namespace, `${first}/`);
    if (clusterPolicyKind(first)) return clusterPolicies(analysis);
    return hasPolicies(first)
      ? [{ text: `${first}/netpol/`, kind: 'NetworkPolicy', about: { namespace: first } }]
      : [];
  }
  return isNetworkPolicyKind(second) ? networkPolicies(analysis, first, `${first}/${second}/`) : [];
}

/**
 * The policies (as explain takes them) that finish `typed`, names given without a namespace
 * being in `namespace`: `netpol/` and `cnp/` for a bare word, `NAMESPACE/netpol/` after
 * `NAMESPACE/`, then the NetworkPolicies of the namespace or the cluster policies. Matched as
 * matchCandidates says.
 */
export function policyCandidates(
  analysis: CandidateSource,
  typed: string,
  namespace: string,
): TargetCandidate[] {
  return matchCandidates(allCandidates(analysis, typed, namespace), typed);
}
