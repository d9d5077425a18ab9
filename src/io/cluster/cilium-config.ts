import type { Finding } from '../../engine/index.js';
import { CILIUM_CONFIG_NAME } from '../normalize/normalize-cilium-policy.js';
import { type ApiClient, ApiError, RequestTimeoutError } from './api-client.js';

/** Where Cilium's Helm chart and CLI install its agent configuration. */
const CILIUM_CONFIG_PATH = `/api/v1/namespaces/kube-system/configmaps/${CILIUM_CONFIG_NAME}`;

/**
 * Reads Cilium's agent configuration with one GET (bounded by --request-timeout), for its
 * policy enforcement mode. When it cannot be read, the mode is assumed to be `default` (what
 * Cilium runs without the setting) and a note says so: the mode is rarely changed, and making
 * every Cilium-governed side UNKNOWN for it would hide the answers the policies do give.
 */
export async function readCiliumConfig(
  client: ApiClient,
): Promise<{ object?: Record<string, unknown>; findings: Finding[] }> {
  const assumed = (why: string): { findings: Finding[] } => ({
    findings: [
      {
        severity: 'info',
        code: 'cilium-config-unread',
        message: `cannot read ConfigMap kube-system/${CILIUM_CONFIG_NAME} (${why}); Cilium's policy enforcement mode is assumed to be "default". Check with: kubectl auth can-i get configmaps/${CILIUM_CONFIG_NAME} -n kube-system`,
      },
    ],
  });
  try {
    const object = await client.get<Record<string, unknown>>(CILIUM_CONFIG_PATH);
    return { object: { apiVersion: 'v1', kind: 'ConfigMap', ...object }, findings: [] };
  } catch (error) {
    if (error instanceof ApiError) {
      return error.status === 404 ? { findings: [] } : assumed(`${error.status} ${error.reason}`);
    }
    if (error instanceof RequestTimeoutError)
      return assumed(`no answer within ${error.budgetText} (--request-timeout)`);
    throw error;
  }
}
