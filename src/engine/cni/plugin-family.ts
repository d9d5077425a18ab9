import type { CniDetection } from './detect.js';

/**
 * Whose own policy kinds a detected plugin enforces: Calico's (Canal included), Cilium's (GKE
 * Dataplane V2 included), another plugin's; undefined when the input does not show the plugin.
 */
export function networkPluginFamily(cni: CniDetection): 'calico' | 'cilium' | 'other' | undefined {
  if (cni.plugin === 'unknown' || cni.evidence.length === 0) return undefined;
  if (cni.plugin.includes('Calico')) return 'calico';
  if (cni.plugin.includes('Cilium')) return 'cilium';
  return 'other';
}
