/** Transport protocols a NetworkPolicy can name. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Every protocol, in the order outputs list them. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A label map as found in metadata.labels or matchLabels. */
export type Labels = Readonly<Record<string, string>>;

/** Operators of a label selector requirement. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One matchExpressions entry. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A metav1.LabelSelector; an empty one selects everything. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly SelectorRequirement[];
}

/** A namespace and its labels (always including kubernetes.io/metadata.name). */
export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
}

/** A port a container declares. */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A pod, or the pod template of a workload standing for its pods. */
export interface Pod {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** "Pod", or the workload kind whose template this pod stands for. */
  readonly kind: string;
  readonly labels: Labels;
  /** status.podIPs (or podIP); empty when the pod has no address yet. */
  readonly ips: readonly string[];
  readonly hostNetwork: boolean;
  readonly ports: readonly ContainerPort[];
}

/** One port of a Service. */
export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** A number, or the name of a container port on the backing pods. */
  readonly targetPort: number | string;
}

/** A Service, used to resolve `svc/NAME` to its backing pods. */
export interface Service {
  readonly namespace: string;
  readonly name: string;
  /** undefined when the Service has no selector (endpoints managed by hand). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly clusterIPs: readonly string[];
}

/** An ipBlock peer. */
export interface IpBlock {
  readonly cidr: string;
  readonly except: readonly string[];
}

/** A NetworkPolicyPeer; validation guarantees ipBlock excludes both selectors. */
export interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

/** A NetworkPolicyPort with the protocol defaulted. */
export interface PolicyPort {
  readonly protocol: Protocol;
  /** undefined: every port of the protocol. */
  readonly port?: number | string;
  readonly endPort?: number;
}

/** An ingress or egress rule; an empty peer or port list means "all". */
export interface PolicyRule {
  readonly peers: readonly PolicyPeer[];
  readonly ports: readonly PolicyPort[];
}

/** Traffic directions a policy can isolate. */
export type PolicyType = 'Ingress' | 'Egress';

/** A NetworkPolicy with the API server's defaults applied. */
export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

/** A container as platform checks (network plugin detection) read it. */
export interface ContainerInfo {
  readonly name: string;
  readonly image: string;
  /** command, then args. */
  readonly args: readonly string[];
  /** Literal environment values; entries set from elsewhere (valueFrom) are left out. */
  readonly env: Readonly<Record<string, string>>;
}

/** A pod or workload as read, with its containers: what runs in the cluster. */
export interface Workload {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The controller owning it, as "Kind/name" (a pod's DaemonSet or ReplicaSet). */
  readonly owner?: string;
  readonly containers: readonly ContainerInfo[];
}

/** Everything the engine analyses. */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly services: readonly Service[];
  readonly policies: readonly NetworkPolicy[];
  /** Every pod and workload read, with its containers; absent when the input had none. */
  readonly workloads?: readonly Workload[];
}

/** The label the API server puts on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** `namespace/name` of a namespaced object. */
export function objectId(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
