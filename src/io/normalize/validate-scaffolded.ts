import {
  clusterPolicyManifest,
  dns1123SubdomainErrors,
  type FieldError,
  isClusterPolicy,
  type ScaffoldedPolicy,
  validateNetworkPolicy,
} from '../../engine/index.js';
import { readClusterPolicy } from './normalize-cluster-policy.js';

/**
 * Checks a scaffolded policy as strictly as the API server does; empty when valid. A cluster
 * policy's manifest goes through the reader that reads cluster policies from files and clusters.
 */
export function validateScaffolded(policy: ScaffoldedPolicy): FieldError[] {
  if (!isClusterPolicy(policy)) return validateNetworkPolicy(policy, { strictCidrs: true });
  const names = dns1123SubdomainErrors(policy.name).map((reason) => ({
    field: 'metadata.name',
    message: `Invalid value: ${JSON.stringify(policy.name)}: ${reason}`,
  }));
  return [
    ...names,
    ...readClusterPolicy(clusterPolicyManifest(policy), policy.name, policy.kind).errors,
  ];
}
