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

/**
 * Policies the Cilium agent refuses whole (a port naming SCTP before 1.13, icmps rules without
 * enable-icmp-rules): left out of the analysis, as none of their rules apply. A warning each.
 */
export function ciliumRefusedFindings(analysis: Analysis): AuditFinding[] {
  return (analysis.ciliumRefused ?? []).map((refused) => ({
    code: 'cilium-policy-refused',
    severity: 'warning',
    refused,
    ...(refused.namespace !== undefined ? { namespace: refused.namespace } : {}),
    objects: [
      {
        kind: refused.kind,
        ...(refused.namespace !== undefined ? { namespace: refused.namespace } : {}),
        name: refused.name,
      },
    ],
    fixes: [],
  }));
}
