import type { Analysis } from '../compile/compile.js';
import type { ObjectRef } from './types.js';

/** The enforced Cilium and Calico policies of an analysis as object references, by kubectl name. */
export function pluginPolicyObjects(analysis: Analysis): ReadonlyMap<string, ObjectRef> {
  const sources = [...(analysis.cilium?.specs ?? []), ...(analysis.calico.layer?.policies ?? [])];
  return new Map(
    sources.map(({ name, policy }) => [
      name,
      {
        kind: policy.kind,
        ...(policy.namespace ? { namespace: policy.namespace } : {}),
        name: policy.name,
      },
    ]),
  );
}
