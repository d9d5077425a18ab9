import type { CiliumConfig } from '../model/cilium-policy.js';
import type { UnreadList } from '../model/types.js';
import { ciliumReleaseSide } from './cilium-version.js';
import type { CniDetection } from './detect.js';

/**
 * Cilium's high-scale ipcache mode, which cilium-config's `enable-high-scale-ipcache` turns on
 * (off by default: `EnableHighScaleIPcache = false`, pkg/defaults/defaults.go, v1.16.19). Facts:
 *
 * - It came in 1.14 ("Cilium Release: 1.14", cilium/design-cfps CFP-25243-high-scale-ipcache.md)
 *   and was removed in 1.18 ("The previously deprecated high-scale mode for ipcache has been
 *   removed", Documentation/operations/upgrade.rst, v1.18.0).
 * - The agent then keeps out of its ipcache every pod whose identity is not a well-known one
 *   ("Endpoint is not well-known; skipping ipcache upsert", pkg/k8s/watchers/cilium_endpoint.go,
 *   v1.16.19). Ingress rules still see a source pod's identity, which the encapsulation carries;
 *   egress rules see a destination pod of another node by its address alone, as world or a CIDR
 *   identity ("Support toEndpoints policies on egress" is a non-goal; "Egress policy enforcement
 *   … would have to rely on CIDR rules", CFP-25243): selectors then miss it and CIDR rules
 *   (toCIDR, ipBlock, toServices' generated toCIDRSet) may match it.
 * - toServices then takes Services with a selector too, as their endpoints' addresses
 *   (`isSelectableService`, pkg/policy/k8s/service.go, v1.16.19).
 * - Pods of the source's own node are no exception: the skip above does not tell local
 *   endpoints from remote ones, the pod watcher's entry for a local pod (identity
 *   `reserved:unmanaged`, "later updated once the allocator has determined the real identity",
 *   pkg/k8s/watchers/pod.go, v1.16.19 and v1.17.0) then stays, and bpf_lxc looks every egress
 *   destination up in the ipcache before delivering it locally (`lookup_ip4_remote_endpoint`,
 *   bpf/bpf_lxc.c, v1.16.19). Addresses outside the cluster and nodes keep their entries.
 * - The agent refuses to start in this mode with tunnelling, IPsec or IPv6 on
 *   (daemon/cmd/daemon_main.go, v1.16.19).
 *
 * Which destinations an agent resolves so (other nodes' pods, not the well-known ones, and
 * what its ipcache holds besides) is not modelled: egress answers its rules could change are
 * UNKNOWN instead. The first release with the mode:
 */
export const CILIUM_HIGH_SCALE_IPCACHE_SINCE = { major: 1, minor: 14 } as const;

/** The first Cilium release without the high-scale ipcache mode. */
export const CILIUM_HIGH_SCALE_IPCACHE_UNTIL = { major: 1, minor: 18 } as const;

/**
 * Whether the cluster's Cilium may run in high-scale ipcache mode: `on` where cilium-config
 * turns it on, `unread` (with the failed read) where cilium-config could not be read; either
 * only where the agents may run a release that has it (their version unknown counts).
 */
export type CiliumHighScaleIpcache =
  | { readonly kind: 'off' }
  | { readonly kind: 'on' }
  | { readonly kind: 'unread'; readonly list: UnreadList };

/** Whether the Cilium of a detection may run in high-scale ipcache mode, given cilium-config. */
export function ciliumHighScaleIpcache(
  detection: CniDetection,
  config: CiliumConfig | undefined,
  unread: UnreadList | undefined,
): CiliumHighScaleIpcache {
  const mayRun =
    ciliumReleaseSide(detection, CILIUM_HIGH_SCALE_IPCACHE_SINCE).kind !== 'before' &&
    ciliumReleaseSide(detection, CILIUM_HIGH_SCALE_IPCACHE_UNTIL).kind !== 'since';
  if (!mayRun) return { kind: 'off' };
  if (unread) return { kind: 'unread', list: unread };
  return config?.highScaleIpcache ? { kind: 'on' } : { kind: 'off' };
}
