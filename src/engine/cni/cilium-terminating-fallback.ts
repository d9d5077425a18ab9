import type { CiliumServiceReading, TerminatingEndpoints } from './cilium-to-services.js';

/**
 * Whether Cilium's load balancer sends a Service's traffic to its serving terminating endpoints
 * while none is ready, as kube-proxy does. Facts from Cilium's source (Go module proxy):
 *
 * - Before 1.18 only with cilium-config `enable-k8s-terminating-endpoint` on (the default):
 *   with it off `ParseEndpointSliceV1` discards every endpoint that is not ready
 *   (pkg/k8s/endpoints.go, v1.16.19 and v1.17.0), so the Service has no backend left; with it on,
 *   `segregateBackends` (pkg/service/service.go, v1.16.19) takes the terminating backends "in
 *   case that there are no Active backends". From 1.18 the load balancer always does
 *   (pkg/loadbalancer/reconciler/bpf_reconciler.go, v1.18.0: "If there are no active backends
 *   we can use the terminating backends").
 * - A pod's connection to a ClusterIP is translated by Cilium whatever `kube-proxy-replacement`
 *   says: by the socket load balancer with it on, else per packet in bpf_lxc
 *   (ENABLE_PER_PACKET_LB "if all LB cases can not be handled in bpf_sock", bpf/bpf_lxc.c,
 *   v1.16.19), from the Services the agent installs in every mode (`addK8sSVCs`,
 *   pkg/k8s/watchers/service.go, v1.16.19). A hostNetwork pod is no Cilium endpoint: its
 *   traffic meets Cilium's socket load balancer only with kube-proxy-replacement on, which is
 *   not read here, else kube-proxy's fallback.
 *
 * `dropped`: every agent predates 1.18 and cilium-config turns the option off; `unknown`: that
 * may be so (cilium-config unread, or agents' versions not known against 1.18).
 */
export function ciliumTerminatingFallback(reading: CiliumServiceReading): TerminatingEndpoints {
  if (reading.backends.kind === 'since' || reading.terminating === 'kept') return 'kept';
  return reading.backends.kind === 'before' && reading.terminating === 'dropped'
    ? 'dropped'
    : 'unknown';
}
