/**
 * The label sets Calico matches its selectors against, with the labels it adds itself
 * (https://docs.tigera.io/calico/latest/network-policy/get-started/calico-policy/calico-labels):
 * a pod's workload endpoint gets `projectcalico.org/namespace`, `projectcalico.org/orchestrator`
 * and `projectcalico.org/serviceaccount`; a namespace or service account gets
 * `projectcalico.org/name`. A pod also inherits its namespace's labels prefixed `pcns.` and its
 * service account's prefixed `pcsa.` (from the profiles Calico makes of them), its own labels
 * winning over inherited ones; a rule's namespaceSelector reads those `pcns.` labels.
 */
import type { Labels } from '../model/basics.js';
import { podServiceAccount } from './service-account.js';

/** The namespace of a pod's workload endpoint. */
export const CALICO_NAMESPACE_LABEL = 'projectcalico.org/namespace';
/** `k8s` on every pod's workload endpoint. */
export const CALICO_ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
/** The service account of a pod's workload endpoint. */
export const CALICO_SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
/** The name of a namespace or service account. */
export const CALICO_NAME_LABEL = 'projectcalico.org/name';

/** The prefix of the labels a pod inherits from its namespace and from its service account. */
const INHERITED_PREFIX = { namespace: 'pcns.', serviceAccount: 'pcsa.' } as const;

/** Service account names this long or longer get no projectcalico.org/serviceaccount label. */
const SERVICE_ACCOUNT_LABEL_LIMIT = 63;

/** Where a pod's inherited labels come from. */
export type CalicoLabelSource = keyof typeof INHERITED_PREFIX;

/** A named object and its labels: a namespace or a service account. */
export interface CalicoLabelled {
  readonly name: string;
  readonly labels: Labels;
}

/** What Calico reads of a pod to label its workload endpoint. */
export interface CalicoPodFacts {
  readonly namespace: string;
  readonly labels: Labels;
  /** spec.serviceAccountName; undefined when not set (the pod runs as "default"). */
  readonly serviceAccount?: string;
}

/**
 * A namespace's or service account's labels as a namespaceSelector or serviceAccountSelector
 * sees them: its own, and `projectcalico.org/name` set to its name.
 */
export function calicoNameLabels(object: CalicoLabelled): Labels {
  return { ...object.labels, [CALICO_NAME_LABEL]: object.name };
}

function prefixed(prefix: string, labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [prefix + key, value]));
}

/**
 * A pod's labels as Calico's `selector` fields see them: the pod's own, Calico's automatic
 * ones, and those inherited from its namespace and service account ("default" when the pod
 * names none, as on a live cluster). The service account's labels are its own ones only
 * (`pcsa.projectcalico.org/name` is added here).
 */
export function calicoPodLabels(
  pod: CalicoPodFacts,
  namespace: CalicoLabelled,
  serviceAccountLabels: Labels = {},
): Labels {
  const account = podServiceAccount(pod);
  const automatic: Record<string, string> = {
    [CALICO_NAMESPACE_LABEL]: pod.namespace,
    [CALICO_ORCHESTRATOR_LABEL]: 'k8s',
  };
  if (account.length < SERVICE_ACCOUNT_LABEL_LIMIT)
    automatic[CALICO_SERVICE_ACCOUNT_LABEL] = account;
  return {
    ...prefixed(INHERITED_PREFIX.namespace, calicoNameLabels(namespace)),
    ...prefixed(
      INHERITED_PREFIX.serviceAccount,
      calicoNameLabels({ name: account, labels: serviceAccountLabels }),
    ),
    ...pod.labels,
    ...automatic,
  };
}

/**
 * The labels a pod inherited from its namespace or service account, unprefixed: what a rule's
 * namespaceSelector (or serviceAccounts selector) is matched against for that pod.
 */
export function calicoInheritedLabels(podLabels: Labels, source: CalicoLabelSource): Labels {
  const prefix = INHERITED_PREFIX[source];
  return Object.fromEntries(
    Object.entries(podLabels)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}
