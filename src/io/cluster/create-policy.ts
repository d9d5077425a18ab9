import type { ScaffoldedPolicy } from '../../engine/index.js';
import { isClusterPolicy, scaffoldedManifest } from '../../engine/index.js';
import { UserError } from '../../errors.js';
import { type ApiClient, ApiError, isCallFailure } from './api-client.js';

/** A policy as kubectl names it: `networkpolicy NAMESPACE/NAME` or `clusternetworkpolicy NAME`. */
export function policyObjectName(policy: ScaffoldedPolicy): string {
  return isClusterPolicy(policy)
    ? `clusternetworkpolicy ${policy.name}`
    : `networkpolicy ${policy.namespace}/${policy.name}`;
}

/** Where a scaffolded policy is created: its collection on the API server. */
function collectionPath(policy: ScaffoldedPolicy): string {
  return isClusterPolicy(policy)
    ? '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies'
    : `/apis/networking.k8s.io/v1/namespaces/${policy.namespace}/networkpolicies`;
}

/**
 * Creates a NetworkPolicy or ClusterNetworkPolicy (never replaces one); with dryRun the server
 * only validates and admits it. The server's rejection becomes a one-line error naming the
 * policy; a cluster without the ClusterNetworkPolicy CRD answers 404 for its collection.
 */
export async function createPolicy(
  client: ApiClient,
  policy: ScaffoldedPolicy,
  dryRun: boolean,
): Promise<void> {
  try {
    await client.create(collectionPath(policy), scaffoldedManifest(policy), dryRun);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && isClusterPolicy(policy))
      throw new UserError('ClusterNetworkPolicy is not installed on this cluster');
    if (error instanceof ApiError)
      throw new UserError(`${policyObjectName(policy)}: ${error.message}`);
    if (isCallFailure(error)) throw new UserError(error.message);
    throw error;
  }
}
