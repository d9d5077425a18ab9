import type { CiliumConfig } from '../model/cilium-policy.js';
import type { Protocol } from '../model/types.js';

/**
 * The connections from clients outside the cluster that Cilium's load balancer hands to a
 * NodePort, LoadBalancer or externalIPs Service's backends with the client's own address: every
 * protocol in DSR mode, TCP alone in hybrid mode. Facts (cilium v1.16.19 unless said):
 *
 * - In DSR mode "the client's source IP is preserved, so policy can match on it at the backend
 *   node. In the SNAT mode this is not possible"; hybrid mode is "DSR ... for TCP and SNAT for
 *   UDP"; "By default the snat mode is used" (Documentation/network/kubernetes/kubeproxy-free.rst;
 *   `nodeport_uses_dsr` is true for TCP alone in hybrid mode, bpf/lib/nodeport.h).
 * - The mode applies only where the agent serves those Services itself, which
 *   `kube-proxy-replacement` true turns on (daemon/cmd/kube_proxy_replacement.go); otherwise
 *   kube-proxy may serve them, and it masquerades.
 * - With `bpf-lb-mode-annotation` (1.17 and later) each Service may pick its own mode by an
 *   annotation, which is not read: nothing is known to keep the address then.
 * - A ClusterIP reached from outside is not concerned: the agent drops it (DROP_IS_CLUSTER_IP,
 *   bpf/lib/nodeport.h) unless `bpf-lb-external-clusterip`, off by default
 *   (pkg/defaults/defaults.go), which is not read.
 *
 * Absent: no connection is known to keep the address.
 */
export type CiliumDirectReturn = 'every-protocol' | 'TCP';

/** Which outside clients' connections Cilium's load balancer keeps the address of, given cilium-config. */
export function ciliumDirectReturn(
  config: CiliumConfig | undefined,
): CiliumDirectReturn | undefined {
  if (!config?.kubeProxyReplacement || config.loadBalancerModeAnnotation) return undefined;
  if (config.loadBalancerMode === 'dsr') return 'every-protocol';
  return config.loadBalancerMode === 'hybrid' ? 'TCP' : undefined;
}

/** Whether a connection of a protocol keeps the client's address under a direct-return reading. */
export function returnsDirectly(
  directReturn: CiliumDirectReturn | undefined,
  protocol: Protocol,
): boolean {
  return directReturn === 'every-protocol' || (directReturn === 'TCP' && protocol === 'TCP');
}
