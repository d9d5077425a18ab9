import type { ScaffoldedPolicy } from '../../engine/index.js';
import { isClusterPolicy, scaffoldedManifest } from '../../engine/index.js';
import { UserError } from '../../errors.js';
import { type ApiClient, ApiError, isCallFailure, type StatusCause } from './api-client.js';
import {
  ApplyConflictError,
  type ApplyPlan,
  type FieldConflict,
  policyObjectName,
} from './apply-terms.js';

/** Where a scaffolded policy lives on the API server. */
function objectPath(policy: ScaffoldedPolicy): string {
  const name = encodeURIComponent(policy.name);
  return isClusterPolicy(policy)
    ? `/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies/${name}`
    : `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(policy.namespace)}/networkpolicies/${name}`;
}

/** The command that tells whether the user may apply the policy. */
function canIText(policy: ScaffoldedPolicy): string {
  return isClusterPolicy(policy)
    ? 'kubectl auth can-i patch clusternetworkpolicies.policy.networking.k8s.io'
    : `kubectl auth can-i patch networkpolicies -n ${policy.namespace}`;
}

/**
 * The conflicts a server-side apply's 409 names in its causes, whose messages read
 * `conflict with "MANAGER"` and, for a manager that updated rather than applied,
 * ` using API_VERSION`.
 */
function fieldConflicts(causes: readonly StatusCause[]): FieldConflict[] {
  return causes.flatMap((cause) => {
    if (cause.reason !== 'FieldManagerConflict') return [];
    const said = /^conflict with "((?:[^"\\]|\\.)*)"(?: using (\S+))?/.exec(cause.message);
    const manager = said?.[1]?.replace(/\\(.)/g, '$1') ?? cause.message;
    const apiVersion = said?.[2];
    return [{ field: cause.field, manager, ...(apiVersion ? { apiVersion } : {}) }];
  });
}

/** The server's refusal of a call on a policy, as a one-line error naming the policy. */
function policyError(policy: ScaffoldedPolicy, error: unknown): unknown {
  const name = policyObjectName(policy);
  if (error instanceof ApiError && error.status === 404 && isClusterPolicy(policy))
    return new UserError('ClusterNetworkPolicy is not installed on this cluster');
  if (error instanceof ApiError && error.status === 403)
    return new UserError(`${name}: forbidden (check: ${canIText(policy)}): ${error.message}`);
  if (error instanceof ApiError && error.status === 409)
    return new ApplyConflictError(
      `${name}: conflict: ${error.message}`,
      name,
      fieldConflicts(error.causes),
    );
  if (error instanceof ApiError) return new UserError(`${name}: ${error.message}`);
  if (isCallFailure(error)) return new UserError(error.message);
  return error;
}

/** The policy's object as the cluster holds it now, or undefined when there is none. */
export async function currentPolicy(
  client: ApiClient,
  policy: ScaffoldedPolicy,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await client.get<Record<string, unknown>>(objectPath(policy));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw policyError(policy, error);
  }
}

/**
 * Creates or updates a NetworkPolicy or ClusterNetworkPolicy by server-side apply; with dryRun
 * the server only validates and admits it. The server's rejection becomes a one-line error
 * naming the policy (ApplyConflictError for fields another manager owns, unless force); a
 * cluster without the ClusterNetworkPolicy CRD answers 404. Resolves to the object as applied.
 */
export async function applyPolicy(
  client: ApiClient,
  policy: ScaffoldedPolicy,
  options: { readonly dryRun: boolean; readonly force: boolean },
): Promise<unknown> {
  try {
    return await client.apply(objectPath(policy), scaffoldedManifest(policy), options);
  } catch (error) {
    throw policyError(policy, error);
  }
}

/** Reads the policy's object in the cluster, then has the server dry-run its apply. */
export async function planApply(
  client: ApiClient,
  policy: ScaffoldedPolicy,
  force: boolean,
): Promise<ApplyPlan> {
  const current = await currentPolicy(client, policy);
  const applied = await applyPolicy(client, policy, { dryRun: true, force });
  return { policy, current, applied };
}
