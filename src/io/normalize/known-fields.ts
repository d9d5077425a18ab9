/** Marks a table that names only some of its type's fields: the others are not checked. */
export const SOME_FIELDS: unique symbol = Symbol('some fields');

/**
 * The fields an object of an API type may have: a nested table for a field holding an object
 * (or a list of objects) whose fields are checked too, `true` for one that is not entered.
 */
export interface KnownFields {
  readonly [field: string]: KnownFields | true;
  readonly [SOME_FIELDS]?: true;
}

/**
 * metav1.ObjectMeta (client-node's V1ObjectMeta); its values are not entered. A typo here moves
 * an object (`namepsace`) or drops its labels (`lables`).
 */
const OBJECT_META: KnownFields = {
  annotations: true,
  creationTimestamp: true,
  deletionGracePeriodSeconds: true,
  deletionTimestamp: true,
  finalizers: true,
  generateName: true,
  generation: true,
  labels: true,
  managedFields: true,
  name: true,
  namespace: true,
  ownerReferences: true,
  resourceVersion: true,
  selfLink: true,
  uid: true,
};

/** metav1.LabelSelector and its requirements (V1LabelSelector, V1LabelSelectorRequirement). */
const LABEL_SELECTOR: KnownFields = {
  matchLabels: true,
  matchExpressions: { key: true, operator: true, values: true },
};

/** networking.k8s.io/v1 NetworkPolicyPeer (with IPBlock). */
const POLICY_PEER: KnownFields = {
  podSelector: LABEL_SELECTOR,
  namespaceSelector: LABEL_SELECTOR,
  ipBlock: { cidr: true, except: true },
};

/** networking.k8s.io/v1 NetworkPolicyPort. */
const POLICY_PORT: KnownFields = { protocol: true, port: true, endPort: true };

/**
 * networking.k8s.io/v1 NetworkPolicy, as client-node's generated models give it
 * (https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/),
 * plus `status`: Kubernetes 1.24 to 1.27 served an (empty) status that exports of those
 * versions carry, and it never changes what the policy means.
 */
export const NETWORK_POLICY_FIELDS: KnownFields = {
  apiVersion: true,
  kind: true,
  metadata: OBJECT_META,
  spec: {
    podSelector: LABEL_SELECTOR,
    policyTypes: true,
    ingress: { from: POLICY_PEER, ports: POLICY_PORT },
    egress: { to: POLICY_PEER, ports: POLICY_PORT },
  },
  status: true,
};

/** ClusterNetworkPolicy's NamespacedPod. */
const NAMESPACED_POD: KnownFields = {
  namespaceSelector: LABEL_SELECTOR,
  podSelector: LABEL_SELECTOR,
};

/** ClusterNetworkPolicy's Port: a number or a range. */
const CLUSTER_PORT: KnownFields = { number: true, range: { start: true, end: true } };

/** ClusterNetworkPolicyProtocol: one of tcp/udp/sctp with a destination port, or a named port. */
const CLUSTER_PROTOCOL: KnownFields = {
  tcp: { destinationPort: CLUSTER_PORT },
  udp: { destinationPort: CLUSTER_PORT },
  sctp: { destinationPort: CLUSTER_PORT },
  destinationNamedPort: true,
};

/**
 * policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy, from its Go types
 * (https://github.com/kubernetes-sigs/network-policy-api/blob/0eec1b0e5fa92715b4c0f4c48d3c8d2913ed2159/apis/v1alpha2/clusternetworkpolicy_types.go).
 * Its CRD's structural schema makes the API server prune, and kubectl refuse, other fields.
 */
export const CLUSTER_NETWORK_POLICY_FIELDS: KnownFields = {
  apiVersion: true,
  kind: true,
  metadata: OBJECT_META,
  spec: {
    tier: true,
    priority: true,
    subject: { namespaces: LABEL_SELECTOR, pods: NAMESPACED_POD },
    ingress: {
      name: true,
      action: true,
      from: { namespaces: LABEL_SELECTOR, pods: NAMESPACED_POD },
      protocols: CLUSTER_PROTOCOL,
    },
    egress: {
      name: true,
      action: true,
      to: {
        namespaces: LABEL_SELECTOR,
        pods: NAMESPACED_POD,
        nodes: LABEL_SELECTOR,
        networks: true,
        domainNames: true,
      },
      protocols: CLUSTER_PROTOCOL,
    },
  },
  status: true,
};

/** An object whose metadata is checked, and nothing else: Pod, Namespace. */
const METADATA_ONLY: KnownFields = {
  apiVersion: true,
  kind: true,
  metadata: OBJECT_META,
  spec: true,
  status: true,
};

/** Pod (core/v1): a typo in its metadata drops its labels or moves it. */
export const POD_FIELDS = METADATA_ONLY;

/** Namespace (core/v1): its labels are what namespace selectors read. */
export const NAMESPACE_FIELDS = METADATA_ONLY;

/** core/v1 Service, its spec (V1ServiceSpec) and ports (V1ServicePort). */
export const SERVICE_FIELDS: KnownFields = {
  ...METADATA_ONLY,
  spec: {
    allocateLoadBalancerNodePorts: true,
    clusterIP: true,
    clusterIPs: true,
    externalIPs: true,
    externalName: true,
    externalTrafficPolicy: true,
    healthCheckNodePort: true,
    internalTrafficPolicy: true,
    ipFamilies: true,
    ipFamilyPolicy: true,
    loadBalancerClass: true,
    loadBalancerIP: true,
    loadBalancerSourceRanges: true,
    ports: {
      appProtocol: true,
      name: true,
      nodePort: true,
      port: true,
      protocol: true,
      targetPort: true,
    },
    publishNotReadyAddresses: true,
    selector: true,
    sessionAffinity: true,
    sessionAffinityConfig: true,
    trafficDistribution: true,
    type: true,
  },
};

/** A PodTemplateSpec: the metadata its pods get, and their spec (not entered). */
const POD_TEMPLATE: KnownFields = { metadata: OBJECT_META, spec: true };

/** A workload whose spec holds a pod template at `template`; its other spec fields unchecked. */
export const WORKLOAD_FIELDS: KnownFields = {
  ...METADATA_ONLY,
  spec: { [SOME_FIELDS]: true, template: POD_TEMPLATE },
};

/** A CronJob: its pod template is at spec.jobTemplate.spec.template. */
export const CRON_JOB_FIELDS: KnownFields = {
  ...METADATA_ONLY,
  spec: {
    [SOME_FIELDS]: true,
    jobTemplate: { metadata: OBJECT_META, spec: { [SOME_FIELDS]: true, template: POD_TEMPLATE } },
  },
};
