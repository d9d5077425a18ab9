import type { CniDetection } from './detect.js';

/** Whose policy layer a cluster enforces besides NetworkPolicies: Cilium's, Calico's, or none. */
export type NetworkPlugin = 'cilium' | 'calico' | 'other';

/**
 * The network plugin as the compiler takes it, from what the snapshot shows; undefined when it
 * shows none. Canal runs Calico's policy engine, and GKE Dataplane V2 is Cilium.
 */
export function networkPluginOf(detection: CniDetection): NetworkPlugin | undefined {
  if (detection.plugin === 'unknown') return undefined;
  if (detection.plugin.includes('Cilium')) return 'cilium';
  if (detection.plugin.includes('Calico')) return 'calico';
  return 'other';
}
