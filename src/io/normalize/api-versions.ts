import {
  type Finding,
  objectId,
  type RefusedPolicy,
  type SourceLocation,
} from '../../engine/index.js';

/** API versions NetworkPolicy was once served in and no longer is, with the release removing it. */
const REMOVED_POLICY_APIS: Readonly<Record<string, string>> = {
  // Served since Kubernetes 1.3; networking.k8s.io/v1 since 1.7. NetworkPolicy was never in
  // networking.k8s.io/v1beta1 (that version held Ingress and IngressClass).
  'extensions/v1beta1': '1.16',
};

/** A NetworkPolicy of a removed API version, which no supported API server accepts; else undefined. */
export function refusedPolicy(
  apiVersion: unknown,
  object: { readonly namespace: string; readonly name: string; readonly location: SourceLocation },
): RefusedPolicy | undefined {
  if (typeof apiVersion !== 'string' || !Object.hasOwn(REMOVED_POLICY_APIS, apiVersion)) {
    return undefined;
  }
  const { namespace, name, location } = object;
  return {
    namespace,
    name,
    apiVersion,
    removedIn: REMOVED_POLICY_APIS[apiVersion] ?? '',
    location,
  };
}

/** The warning for a refused policy: it is left out of the analysis, as applying it would fail. */
export function refusedPolicyFinding(policy: RefusedPolicy): Finding {
  return {
    severity: 'warning',
    code: 'removed-api-version',
    object: `NetworkPolicy ${objectId(policy.namespace, policy.name)}`,
    ...(policy.location ? { location: policy.location } : {}),
    message: `apiVersion ${policy.apiVersion} was removed in Kubernetes ${policy.removedIn} and API servers refuse it, so this policy is left out of the analysis: write apiVersion: networking.k8s.io/v1 (the fields are the same)`,
  };
}
