import type { Analysis } from '../compile/compile.js';
import type { AuditFinding } from './types.js';
import { policyObject } from './walk.js';

/**
 * NetworkPolicies of the input written for an API version that was removed (extensions/v1beta1):
 * API servers refuse them, so they are left out of the analysis and would not be applied. A
 * warning naming the file; the fix is the current apiVersion, whose fields are the same.
 */
export function refusedPolicyFindings(analysis: Analysis): AuditFinding[] {
  return (analysis.cluster.refusedPolicies ?? []).map((refused) => {
    const ref = { namespace: refused.namespace, name: refused.name };
    return {
      code: 'removed-api-version',
      severity: 'warning',
      namespace: refused.namespace,
      policy: ref,
      apiVersion: refused.apiVersion,
      removedIn: refused.removedIn,
      ...(refused.location ? { location: refused.location } : {}),
      objects: [policyObject(ref)],
      fixes: [],
    };
  });
}
