/**
 * A pod's service account as the network plugins see it. The ServiceAccount admission plugin
 * sets spec.serviceAccountName to "default" when a pod (or a workload's pod template) names
 * none, so every pod on a live cluster has one; manifests often leave it out.
 * (https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#use-the-default-service-account-to-access-the-api-server)
 */

/** The service account a pod that names none runs as. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The service account a pod runs as: its spec.serviceAccountName, or "default" when unset. */
export function podServiceAccount(pod: { readonly serviceAccount?: string }): string {
  return pod.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT;
}
