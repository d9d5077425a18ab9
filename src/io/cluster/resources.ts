/** The API resources a snapshot is built from, with their collection paths. */
export interface ResourceType {
  readonly kind: string;
  readonly apiVersion: string;
  /** Plural name, as `kubectl auth can-i list PLURAL` takes it. */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Collection path; for namespaced resources, with NAMESPACE to fill in, or cluster-wide. */
  path(namespace?: string): string;
}

function coreResource(kind: string, plural: string, namespaced: boolean): ResourceType {
  return {
    kind,
    apiVersion: 'v1',
    plural,
    namespaced,
    path: (namespace) =>
      namespace ? `/api/v1/namespaces/${namespace}/${plural}` : `/api/v1/${plural}`,
  };
}

/** Namespaces, Pods, Services, NetworkPolicies and EndpointSlices. */
export const SNAPSHOT_RESOURCES: readonly ResourceType[] = [
  coreResource('Namespace', 'namespaces', false),
  coreResource('Pod', 'pods', true),
  coreResource('Service', 'services', true),
  {
    kind: 'NetworkPolicy',
    apiVersion: 'networking.k8s.io/v1',
    plural: 'networkpolicies',
    namespaced: true,
    path: (namespace) =>
      namespace
        ? `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`
        : '/apis/networking.k8s.io/v1/networkpolicies',
  },
  {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    plural: 'endpointslices',
    namespaced: true,
    path: (namespace) =>
      namespace
        ? `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`
        : '/apis/discovery.k8s.io/v1/endpointslices',
  },
];

/**
 * Nodes: they tell the pod address ranges, for pods whose IP is unknown, and where cluster
 * policies are served they are what those policies' `nodes` peers match.
 */
export const NODE_RESOURCE: ResourceType = coreResource('Node', 'nodes', false);

/** ServiceAccounts: their labels, listed only when a Calico policy may select on them. */
export const SERVICE_ACCOUNT_RESOURCE: ResourceType = coreResource(
  'ServiceAccount',
  'serviceaccounts',
  true,
);

/**
 * Read when allowed, and never an error when not: without cluster policies, Nodes only tell the
 * pod address ranges; without them those ranges are unknown, and nothing else changes.
 */
export const OPTIONAL_RESOURCES: readonly ResourceType[] = [NODE_RESOURCE];
