import { type FieldError, parseCidr, type ReplicaRange } from '../../engine/index.js';
import { ShapeReader } from './shape.js';

/** What a HorizontalPodAutoscaler scales, and within which bounds. */
export interface Autoscaler {
  /** The scaled workload as "Kind/name", in the autoscaler's namespace. */
  readonly target: string;
  readonly replicas: ReplicaRange;
}

/**
 * Reads a HorizontalPodAutoscaler (autoscaling/v1 and v2 share these fields): its
 * scaleTargetRef and minReplicas (1 when unset) to maxReplicas.
 */
export function readAutoscaler(object: Record<string, unknown>): {
  autoscaler?: Autoscaler;
  errors: FieldError[];
} {
  const reader = new ShapeReader();
  const spec = reader.record(object.spec, 'spec') ?? {};
  const ref = reader.record(spec.scaleTargetRef, 'spec.scaleTargetRef') ?? {};
  const kind = reader.string(ref.kind, 'spec.scaleTargetRef.kind');
  const name = reader.string(ref.name, 'spec.scaleTargetRef.name');
  const min = reader.integer(spec.minReplicas, 'spec.minReplicas') ?? 1;
  const max = reader.integer(spec.maxReplicas, 'spec.maxReplicas');
  if (reader.errors.length > 0) return { errors: reader.errors };
  if (!kind || !name) {
    return { errors: [{ field: 'spec.scaleTargetRef', message: 'names no kind and name' }] };
  }
  if (max === undefined || max < 1 || min < 0 || min > max) {
    return {
      errors: [
        {
          field: 'spec.maxReplicas',
          message: `must be at least 1 and at least minReplicas (${min}), got ${max ?? 'none'}`,
        },
      ],
    };
  }
  return { autoscaler: { target: `${kind}/${name}`, replicas: { min, max } }, errors: [] };
}

/** Reads a Node's pod address ranges: spec.podCIDRs, else spec.podCIDR; each must be a CIDR. */
export function readNodePodCidrs(object: Record<string, unknown>): {
  cidrs: string[];
  errors: FieldError[];
} {
  const reader = new ShapeReader();
  const spec = reader.record(object.spec, 'spec') ?? {};
  const list = reader.stringList(spec.podCIDRs, 'spec.podCIDRs');
  const single = reader.string(spec.podCIDR, 'spec.podCIDR');
  const cidrs = list.length > 0 ? list : single ? [single] : [];
  const errors = [
    ...reader.errors,
    ...cidrs
      .filter((cidr) => !parseCidr(cidr))
      .map((cidr) => ({ field: 'spec.podCIDRs', message: `"${cidr}" is not a CIDR` })),
  ];
  return errors.length > 0 ? { cidrs: [], errors } : { cidrs, errors: [] };
}
