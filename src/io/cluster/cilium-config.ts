import type { Finding } from '../../engine/index.js';
import { errorMessage } from '../../errors.js';
import { type ApiClient, ApiError } from './api-client.js';
import type { ReadScope } from './load-cluster.js';
import type { ResourceType } from './resources.js';

const NAMESPACE = 'kube-system';
const NAME = 'cilium-config';

/**
 * The ConfigMap kube-system/cilium-config alone (a field selector: the namespace's other
 * ConfigMaps are not read), where Cilium's agent takes its policy enforcement mode from.
 */
export const CILIUM_CONFIG_RESOURCE: ResourceType = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  plural: 'configmaps',
  namespaced: true,
  path: () => `/api/v1/namespaces/${NAMESPACE}/configmaps?fieldSelector=metadata.name%3D${NAME}`,
};

/** What reading cilium-config gave: the collection to keep watching, or why there is none. */
export type CiliumConfigRead =
  | { readonly scope: ReadScope; readonly finding?: undefined }
  | { readonly scope?: undefined; readonly finding: Finding };

/**
 * Reads kube-system/cilium-config; never rejects. A refusal or failure does not end the read: the
 * finding says that Cilium's enforcement mode is unknown, and verdicts take its default mode.
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
        severity: 'warning',
        code: 'cilium-config-unread',
        message: `cannot read ConfigMap ${NAMESPACE}/${NAME} (${why}), so Cilium's policy enforcement mode is unknown: verdicts take its default mode ("default"). Check with: kubectl auth can-i list configmaps -n ${NAMESPACE}`,
      },
    };
  }
}
