import type { CiliumConfig } from '../model/cilium-policy.js';
import type { UnreadList } from '../model/types.js';
import { ciliumReleaseSide } from './cilium-version.js';
import type { CniDetection } from './detect.js';

/**
 * Whether Cilium's CIDR selectors (NetworkPolicy ipBlock, CiliumNetworkPolicy fromCIDR,
 * fromCIDRSet, toCIDR, toCIDRSet) match the nodes' addresses. Traffic from or to a node carries
 * the `host` identity on its own node and `remote-node` elsewhere
 * (https://docs.cilium.io/en/stable/gettingstarted/terminology/#special-identities), and "By
 * default, CIDR-based selectors do not match in-cluster entities (pods or nodes). Optionally, you
 * can direct the policy engine to select nodes by CIDR / ipBlock. This requires you to configure
 * Cilium with `--policy-cidr-match-mode=nodes`" (Documentation/security/policy/language.rst,
 * "Selecting nodes with CIDR / ipBlock"); "As of v1.15, ipBlock can now optionally select node
 * IPs" (https://docs.cilium.io/en/stable/network/kubernetes/policy/).
 *
 * `matched`: cilium-config names `nodes`; `unmatched`: it does not, or the agents all predate
 * 1.15; `unknown`: cilium-config is not in the input or could not be read (`unread`).
 */
export type CiliumCidrNodes =
  | { readonly kind: 'matched' }
  | { readonly kind: 'unmatched' }
  | { readonly kind: 'unknown'; readonly unread?: UnreadList };

/** The first Cilium release with `policy-cidr-match-mode`. */
export const CILIUM_CIDR_NODES_SINCE = { major: 1, minor: 15 } as const;

/** Whether the Cilium of a detection matches nodes' addresses by CIDR, given cilium-config. */
export function ciliumCidrNodes(
  detection: CniDetection,
  config: CiliumConfig | undefined,
  unread: UnreadList | undefined,
): CiliumCidrNodes {
  if (ciliumReleaseSide(detection, CILIUM_CIDR_NODES_SINCE).kind === 'before')
    return { kind: 'unmatched' };
  if (!config) return { kind: 'unknown', ...(unread ? { unread } : {}) };
  return { kind: config.cidrMatchNodes ? 'matched' : 'unmatched' };
}
