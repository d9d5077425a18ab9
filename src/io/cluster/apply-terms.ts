// What applying a scaffolded policy is called and how it fails, without the cluster client:
// the UI's and the commands' texts use these before (or without) any cluster being read.
import type { ScaffoldedPolicy } from '../../engine/index.js';
import { isClusterPolicy } from '../../engine/index.js';
import { UserError } from '../../errors.js';

/** A policy as kubectl names it: `networkpolicy NAMESPACE/NAME` or `clusternetworkpolicy NAME`. */
export function policyObjectName(policy: ScaffoldedPolicy): string {
  return isClusterPolicy(policy)
    ? `clusternetworkpolicy ${policy.name}`
    : `networkpolicy ${policy.namespace}/${policy.name}`;
}

/** A field the apply sets that another field manager owns. */
export interface FieldConflict {
  /** The field, as the server names it: `.spec.ingress`. */
  readonly field: string;
  /** The manager owning it: `kubectl-client-side-apply`. */
  readonly manager: string;
  /** The API version it wrote the field with, when the server says. */
  readonly apiVersion?: string;
}

/** Another field manager owns fields the apply sets: only a forced apply takes them over. */
export class ApplyConflictError extends UserError {
  override readonly name = 'ApplyConflictError';
  constructor(
    message: string,
    /** The policy the apply conflicts on: `networkpolicy NAMESPACE/NAME`. */
    readonly object: string,
    /** The fields and their managers; empty when the server named none. */
    readonly conflicts: readonly FieldConflict[],
  ) {
    super(message);
  }
}

/** An apply the server has dry-run: the cluster's object now (undefined: none) and after. */
export interface ApplyPlan {
  readonly policy: ScaffoldedPolicy;
  readonly current: unknown;
  readonly applied: unknown;
}
