import type { NetworkPolicy } from '../../engine/index.js';
import { policyManifest } from '../../engine/index.js';
import { UserError } from '../../errors.js';
import { type ApiClient, ApiError, isCallFailure } from './api-client.js';

/**
 * Creates a NetworkPolicy (never replaces one); with dryRun the server only validates and
 * admits it. The server's rejection becomes a one-line error naming the policy.
 */
export async function createNetworkPolicy(
  client: ApiClient,
  policy: NetworkPolicy,
  dryRun: boolean,
): Promise<void> {
  const path = `/apis/networking.k8s.io/v1/namespaces/${policy.namespace}/networkpolicies`;
  try {
    await client.create(path, policyManifest(policy), dryRun);
  } catch (error) {
    if (error instanceof ApiError)
      throw new UserError(`networkpolicy ${policy.namespace}/${policy.name}: ${error.message}`);
    if (isCallFailure(error)) throw new UserError(error.message);
    throw error;
  }
}
