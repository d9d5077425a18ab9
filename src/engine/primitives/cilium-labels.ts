import type { Labels, Pod } from '../model/types.js';
import { podServiceAccount } from './service-account.js';

/** The endpoint label holding a pod's namespace name. */
export const CILIUM_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
/** The prefix of the endpoint labels copied from the pod's namespace labels. */
export const CILIUM_NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
/** The endpoint label holding a pod's service account. */
export const CILIUM_SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';

/** Label sources a selector key may start with that match pod-derived labels (`k8s:app`). */
const POD_LABEL_SOURCES = ['k8s:', 'any:'];

/** A selector key without its `k8s:`/`any:` source prefix; other sources (`reserved:`) are kept. */
export function withoutLabelSource(key: string): string {
  const source = POD_LABEL_SOURCES.find((prefix) => key.startsWith(prefix));
  return source ? key.slice(source.length) : key;
}

/** Whether a selector key names the pod's namespace (so a namespaced policy's peer is not confined). */
export function namesNamespace(key: string): boolean {
  const bare = withoutLabelSource(key);
  return bare === CILIUM_NAMESPACE_LABEL || bare.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX);
}

/**
 * The labels Cilium gives a pod's endpoint: its own labels, its namespace name and labels, and
 * its service account ("default" when the pod names none, as the API server defaults it).
 */
export function ciliumEndpointLabels(pod: Pod, namespaceLabels: Labels): Labels {
  const labels: Record<string, string> = { ...pod.labels };
  for (const [key, value] of Object.entries(namespaceLabels)) {
    labels[`${CILIUM_NAMESPACE_LABELS_PREFIX}${key}`] = value;
  }
  labels[CILIUM_NAMESPACE_LABEL] = pod.namespace;
  labels[CILIUM_SERVICE_ACCOUNT_LABEL] = podServiceAccount(pod);
  return labels;
}
