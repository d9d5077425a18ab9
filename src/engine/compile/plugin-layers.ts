import type { CniDetection } from '../cni/detect.js';
import { networkPluginOf } from '../cni/network-plugin.js';
import type { Cluster } from '../model/types.js';
import { type CalicoLayerMode, calicoLayerMode } from './compile-calico.js';
import { type CiliumLayerState, ciliumLayerState } from './compile-cilium-policy.js';
import { hasCiliumPolicies } from './plugin-presence.js';

/** How Cilium's and Calico's policy layers take part in a cluster's answers. */
export interface PluginLayerModes {
  readonly cilium: CiliumLayerState;
  readonly calico: CalicoLayerMode;
}

/**
 * How each plugin's layer takes part when the network plugin is the one `detection` shows:
 * the same decision compileCluster makes, without compiling anything.
 */
export function pluginLayerModes(cluster: Cluster, detection: CniDetection): PluginLayerModes {
  const networkPlugin = networkPluginOf(detection);
  return {
    cilium: ciliumLayerState(cluster, networkPlugin ? { networkPlugin } : {}),
    calico: calicoLayerMode(cluster, networkPlugin, hasCiliumPolicies(cluster)),
  };
}
