import type { CniDetection } from '../cni/detect.js';
import type { AuditFinding } from './types.js';

/**
 * The network plugin check: an error when NetworkPolicies are stored but nothing enforces them
 * (every other finding is then moot), a note when the snapshot does not tell.
 */
export function cniFindings(cni: CniDetection): AuditFinding[] {
  const objects = cni.evidence.map((e) => e.workload);
  if (cni.enforcesPolicies === false) {
    return [{ code: 'cni-ignores-policies', severity: 'error', cni, objects, fixes: [] }];
  }
  if (cni.enforcesPolicies === 'unknown') {
    return [{ code: 'cni-unknown', severity: 'info', cni, objects, fixes: [] }];
  }
  return [];
}
