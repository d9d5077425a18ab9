import { CILIUM_CONFIG, type Finding, type UnreadList } from '../../engine/index.js';
import { errorMessage } from '../../errors.js';
import { type ApiClient, ApiError } from './api-client.js';
import type { ReadScope } from './load-cluster.js';
import type { ResourceType } from './resources.js';

const { namespace: NAMESPACE, name: NAME } = CILIUM_CONFIG;

/**
 * The ConfigMap kube-system/cilium-config alone (a field selector: the namespace's other
 * ConfigMaps are not read), where Cilium's agent takes its policy enforcement mode, whether it
 * passes SCTP, whether it enforces ClusterNetworkPolicy, whether it accepts ICMP rules, whether
 * it keeps terminating endpoints, whether it runs the high-scale ipcache, whether it enforces
 * NetworkPolicies and whether its load balancer keeps outside clients' addresses from;
 * normalising keeps those keys only (readCiliumConfig, io/normalize).
 */
export const CILIUM_CONFIG_RESOURCE: ResourceType = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  plural: 'configmaps',
  namespaced: true,
  path: () => `/api/v1/namespaces/${NAMESPACE}/configmaps?fieldSelector=metadata.name%3D${NAME}`,
};

/**
 * What reading cilium-config gave: the collection to keep watching, or why there is none (a
 * list the API server does not serve, 404, holds no cilium-config: nothing to say).
 */
export interface CiliumConfigRead {
  readonly scope?: ReadScope;
  readonly unread?: UnreadList;
  readonly finding?: Finding;
}

/**
 * Reads kube-system/cilium-config; never rejects. When it cannot be read, it is an unread list:
 * the engine assumes `default` and makes UNKNOWN only the answers that `always` or `never` would
 * change, the SCTP answers that Cilium passing SCTP or not would change, and the answers a
 * ClusterNetworkPolicy decides where the agent's version lets the option matter, those a
 * Cilium policy with icmps rules decides (refused without enable-icmp-rules), and before 1.18
 * the egress answers high-scale ipcache mode and the toServices answers dropping terminating
 * endpoints would change; a note says so. A cluster without it (an empty list) needs no note.
 */
export async function readCiliumConfig(
  client: ApiClient,
  bytes: ReturnType<ApiClient['readBudget']>,
): Promise<CiliumConfigRead> {
  try {
    const result = await client.list(CILIUM_CONFIG_RESOURCE.path(), bytes);
    return { scope: { resource: CILIUM_CONFIG_RESOURCE, namespace: NAMESPACE, ...result } };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return {};
    const why =
      error instanceof ApiError
        ? `${error.status} ${error.reason || 'error'}`
        : errorMessage(error);
    const canI = `kubectl auth can-i list configmaps -n ${NAMESPACE}`;
    return {
      unread: { resource: 'configmaps', namespace: NAMESPACE, name: NAME, reason: why, canI },
      finding: {
        severity: 'info',
        code: 'cilium-config-unread',
        message: `cannot read ConfigMap ${NAMESPACE}/${NAME} (${why}); Cilium's policy enforcement mode is assumed to be "default", and answers that "always" or "never" would change are UNKNOWN, as are SCTP answers, which depend on its enable-sctp, and on Cilium 1.20 or later answers a ClusterNetworkPolicy decides, which depend on its enable-k8s-cluster-network-policy, and answers a Cilium policy with icmps rules decides, which the agent refuses without its enable-icmp-rules; on Cilium 1.14 to 1.17, egress answers that its enable-high-scale-ipcache could change, and toServices answers its enable-k8s-terminating-endpoint could. Check with: ${canI}`,
      },
    };
  }
}
