import { type Cluster, withPodCidrs } from '../model/types.js';
import { type Analysis, compileCluster } from './compile.js';
import type { CompileOptions } from './undecided.js';

/** What the global flags ask of every compile: --pod-cidr and --ignore-unmodelled. */
export interface AskedCompile {
  /** --pod-cidr: the pod address ranges, for pods whose IP is unknown. */
  readonly podCidr?: readonly string[];
  /** Evaluate as if unmodelled policy kinds did not exist, rather than answer UNKNOWN. */
  readonly ignoreUnmodelled?: boolean;
}

/**
 * Compiles a cluster as the global flags ask (the --pod-cidr ranges added to the Nodes'), with
 * the network plugin when it is detected already and the staged policies to enforce (a preview).
 */
export function compileAsAsked(
  cluster: Cluster,
  asked: AskedCompile,
  variant: Pick<CompileOptions, 'cni' | 'enforceStaged'> = {},
): Analysis {
  return compileCluster(withPodCidrs(cluster, asked.podCidr ?? []), {
    ...(variant.cni ? { cni: variant.cni } : {}),
    ...(variant.enforceStaged?.length ? { enforceStaged: variant.enforceStaged } : {}),
    ...(asked.ignoreUnmodelled ? { ignoreUnmodelled: true } : {}),
  });
}
