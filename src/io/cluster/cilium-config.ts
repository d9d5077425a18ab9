import type { Finding } from '../../engine/index.js';
import { errorMessage } from '../../errors.js';
import { CILIUM_CONFIG_NAME } from '../normalize/normalize-cilium-policy.js';
import { type ApiClient, ApiError } from './api-client.js';
import type { ReadScope } from './load-cluster.js';
import type { ResourceType } from './resources.js';

/** Where Cilium's Helm chart and CLI install its agent configuration. */
const NAMESPACE = 'kube-system';

/**
 * The ConfigMap kube-system/cilium-config alone (a field selector: the namespace's other
 * ConfigMaps are not read), where Cilium's agent takes its policy enforcement mode from.
 */
export const CILIUM_CONFIG_RESOURCE: ResourceType = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  plural: 'configmaps',
  namespaced: true,
  path: () =>
    `/api/v1/namespaces/${NAMESPACE}/configmaps?fieldSelector=metadata.name%3D${CILIUM_CONFIG_NAME}`,
};

/** What reading cilium-config gave: the collection to keep watching, or why there is none. */
export type CiliumConfigRead =
  | { readonly scope: ReadScope; readonly finding?: undefined }
  | { readonly scope?: undefined; readonly finding: Finding };

/**
 * Reads kube-system/cilium-config; never rejects. When it cannot be read, the mode is assumed to
 * be `default` (what Cilium runs without the setting) and a note says so: the mode is rarely
 * changed, and making every Cilium-governed side UNKNOWN for it would hide the answers the
 * policies do give. A cluster without it (an empty list) needs no note.
 */
export async function readCiliumConfig(
  client: ApiClient,
  bytes: ReturnType<ApiClient['readBudget']>,
): Promise<CiliumConfigRead> {
  try {
    const result = await client.list(CILIUM_CONFIG_RESOURCE.path(), bytes);
    return { scope: { resource: CILIUM_CONFIG_RESOURCE, namespace: NAMESPACE, ...result } };
  } catch (error) {
    const why =
      error instanceof ApiError
        ? `${error.status} ${error.reason || 'error'}`
        : errorMessage(error);
    return {
      finding: {
        severity: 'info',
        code: 'cilium-config-unread',
        message: `cannot read ConfigMap ${NAMESPACE}/${CILIUM_CONFIG_NAME} (${why}); Cilium's policy enforcement mode is assumed to be "default". Check with: kubectl auth can-i list configmaps -n ${NAMESPACE}`,
      },
    };
  }
}
