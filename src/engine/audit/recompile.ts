import { type Analysis, compileCluster } from '../compile/compile.js';
import type { Cluster } from '../model/types.js';

/** The plugin whose layer an analysis enforced, so a variant of its input is compiled alike. */
function enforcedPlugin(analysis: Analysis): 'cilium' | 'calico' | undefined {
  if (analysis.ciliumLayer === 'enforced') return 'cilium';
  return analysis.calico.mode === 'enforced' ? 'calico' : undefined;
}

/**
 * Compiles a variant of an analysis's input (other pods, staged policies turned real) with the
 * network plugin the analysis enforced: what the audit asks of the kernel about hypotheticals.
 */
export function recompile(
  analysis: Analysis,
  cluster: Cluster,
  enforceStaged: readonly string[] = [],
): Analysis {
  const plugin = enforcedPlugin(analysis);
  return compileCluster(cluster, {
    ...(plugin ? { networkPlugin: plugin } : {}),
    cni: analysis.cni,
    ...(enforceStaged.length > 0 ? { enforceStaged } : {}),
  });
}
