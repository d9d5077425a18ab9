import type { Labels, Pod } from '../model/types.js';

/** Labels that name an application, most specific first. */
const NAME_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app'];

/** Labels controllers put on pods to tell revisions or replicas apart, never an application. */
const CONTROLLER_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
]);

/** Whether a label is one a controller adds per revision or replica (never worth selecting). */
export function isControllerLabel(key: string): boolean {
  return CONTROLLER_LABELS.has(key);
}

/**
 * The labels a new policy should select a pod by: its application name label when it has one
 * (app.kubernetes.io/name, app, k8s-app), else all its labels but the ones controllers add
 * per revision or replica. Empty when the pod has nothing else.
 */
export function identifyingLabels(pod: Pod): Labels {
  const name = NAME_LABELS.find((key) => Object.hasOwn(pod.labels, key));
  if (name !== undefined) return { [name]: pod.labels[name] as string };
  return Object.fromEntries(
    Object.entries(pod.labels).filter(([key]) => !CONTROLLER_LABELS.has(key)),
  );
}
