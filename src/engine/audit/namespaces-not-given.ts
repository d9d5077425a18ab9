import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { peerDependsOnNamespaceLabels } from '../evaluate/namespace-not-given.js';
import { clusterPolicyName } from '../model/cluster-policy.js';
import type { AuditFinding } from './types.js';
import { namespaceObject } from './walk.js';

/** Every policy by kubectl name with the peers of its rules: NetworkPolicies and cluster policies. */
function policiesWithPeers(analysis: Analysis): { name: string; peers: CompiledPeer[] }[] {
  return [
    ...analysis.policies.map((p) => ({
      name: `${p.ref.namespace}/${p.ref.name}`,
      peers: [...p.ingress, ...p.egress].flatMap((rule) => rule.peers),
    })),
    ...analysis.clusterPolicies.map((p) => ({
      name: clusterPolicyName(p.policy),
      peers: [...p.ingress, ...p.egress].flatMap((rule) => rule.peers),
    })),
  ];
}

/**
 * Namespaces the input names but does not hold, whose labels (beyond their name) a policy's
 * namespaceSelector needs for their pods: answers about those pods are UNKNOWN until the
 * Namespace manifest is added or the live cluster read.
 */
export function namespaceNotGivenFindings(analysis: Analysis): AuditFinding[] {
  if (analysis.namespacesNotGiven.size === 0) return [];
  const policies = policiesWithPeers(analysis);
  return [...analysis.namespacesNotGiven].flatMap((namespace): AuditFinding[] => {
    const pods = analysis.podsByNamespace.get(namespace) ?? [];
    const needing = policies
      .filter(({ peers }) =>
        peers.some((peer) =>
          pods.some((podIdx) => peerDependsOnNamespaceLabels(analysis, peer, podIdx)),
        ),
      )
      .map(({ name }) => name);
    if (needing.length === 0) return [];
    return [
      {
        code: 'namespace-not-given',
        severity: 'warning',
        namespace,
        policies: needing,
        objects: [namespaceObject(namespace)],
        fixes: [],
      },
    ];
  });
}
