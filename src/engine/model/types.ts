import type { LabelSelector, Labels, Protocol } from './basics.js';
import type { CalicoPolicy, CalicoTier } from './calico-policy.js';
import type { CiliumConfig, CiliumPolicy } from './cilium-policy.js';
import type { ClusterNetworkPolicy, ClusterNode } from './cluster-policy.js';
import type { SourceLocation } from './findings.js';

export {
  type LabelSelector,
  type Labels,
  PROTOCOLS,
  type Protocol,
  type SelectorOperator,
  type SelectorRequirement,
} from './basics.js';

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
  /** spec.nodeName: the node the pod runs on; absent when not scheduled or not written. */
  readonly nodeName?: string;
  /**
   * spec.hostname and spec.subdomain, when both are written: with a headless Service named
   * after the subdomain, cluster DNS names the pod HOSTNAME.SUBDOMAIN.NAMESPACE.svc.
   */
  readonly dnsName?: { readonly hostname: string; readonly subdomain: string };
  readonly ports: readonly ContainerPort[];
  /** spec.serviceAccountName; absent: not written (the API server defaults it to "default"). */
  readonly serviceAccount?: string;
  /** The labels of that ServiceAccount object; absent when it was not read. */
  readonly serviceAccountLabels?: Labels;
  /**
   * For a workload's template: how many pods it stands for, or `several` when that varies
   * (a DaemonSet's one per node, a CronJob's runs); 0 for a workload scaled to zero, which is
   * among a cluster's pods only when a question names it (see Cluster.scaledToZero). Absent
   * for a pod.
   */
  readonly replicas?: number | 'several';
  /** For a workload a HorizontalPodAutoscaler scales: the bounds it keeps (replicas is `several`). */
  readonly autoscaled?: ReplicaRange;
  /**
   * Its Ready condition (status.conditions): false when not True or missing from the conditions
   * written. Absent when no status.conditions was read (a manifest, a workload's template): the
   * pod counts as ready, as before readiness was read.
   */
  readonly ready?: boolean;
  /** metadata.deletionTimestamp is set: the pod is shutting down. */
  readonly terminating?: true;
}

/** The replica bounds of a HorizontalPodAutoscaler: minReplicas..maxReplicas. */
export interface ReplicaRange {
  readonly min: number;
  readonly max: number;
}

/** Whether a pod entry is one pod: a pod, or a workload of exactly one replica. */
export function isSinglePod(pod: Pod): boolean {
  return pod.kind === 'Pod' || pod.replicas === 1;
}

/** One port of a Service. */
export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** A number, or the name of a container port on the backing pods. */
  readonly targetPort: number | string;
  /** The port every node forwards to this one (NodePort and LoadBalancer Services); absent: none written. */
  readonly nodePort?: number;
}

/** A Service, used to resolve `svc/NAME` to its backing pods. */
export interface Service {
  readonly namespace: string;
  readonly name: string;
  /** undefined when the Service has no selector (endpoints managed by hand). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly clusterIPs: readonly string[];
  /**
   * spec.clusterIP is "None": a headless Service, whose name resolves to its pods' own
   * addresses. Absent with no clusterIPs: none was written, and the API server assigns one.
   */
  readonly headless?: true;
  /** spec.type as written (ClusterIP, NodePort, LoadBalancer, ExternalName); absent: ClusterIP. */
  readonly type?: string;
  /** metadata.labels, for Cilium's k8sServiceSelector; absent when none. */
  readonly labels?: Labels;
  /** spec.externalIPs and status.loadBalancer.ingress IPs: addresses that reach it on its ports. */
  readonly externalAddresses?: readonly string[];
  /** spec.externalTrafficPolicy as written (Cluster, the default, or Local); absent: not written. */
  readonly externalTrafficPolicy?: string;
  /** spec.publishNotReadyAddresses: its selected pods' endpoints are ready whatever the pods say. */
  readonly publishNotReadyAddresses?: true;
  /** spec.internalTrafficPolicy is Local: a client's ClusterIP traffic stays on its own node. */
  readonly internalTrafficPolicyLocal?: true;
  /** spec.ipFamilies (IPv4 4, IPv6 6) as written; absent: none written. */
  readonly ipFamilies?: readonly (4 | 6)[];
  /**
   * Its EndpointSlices get topology hints (the topology-mode annotation Auto, or a
   * spec.trafficDistribution), by which kube-proxy may use only some endpoints for a client.
   */
  readonly topologyHints?: true;
}

/** A port of an EndpointSlice: the port its endpoints receive on, named as the Service port it serves. */
export interface EndpointSlicePort {
  /** The Service port's name; empty for a Service's only, unnamed port. */
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** An EndpointSlice: the backends of a Service, by address (how Services without selectors get any). */
export interface EndpointSlice {
  readonly namespace: string;
  readonly name: string;
  /** The Service it belongs to (its kubernetes.io/service-name label); undefined when unlabelled. */
  readonly service?: string;
  /** FQDN slices hold host names, which name no address. */
  readonly endpoints: readonly EndpointSliceEndpoint[];
  readonly ports: readonly EndpointSlicePort[];
}

/**
 * An endpoint of an EndpointSlice: its addresses and conditions, read as kube-proxy reads them
 * (pkg/proxy/endpointslicecache.go@v1.31.0: ready and serving when not written, terminating
 * only when written true).
 */
export interface EndpointSliceEndpoint {
  readonly addresses: readonly string[];
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** nodeName: the node the endpoint runs on; absent when not written. */
  readonly nodeName?: string;
  /** hints.forZones or hints.forNodes is written: kube-proxy may route by topology. */
  readonly hinted?: true;
}

/** The label tying an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

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

/** A list the input could not provide: forbidden or failed when read from a cluster. */
export interface UnreadList {
  /** The resource's plural name, e.g. `networkpolicies`. */
  readonly resource: string;
  /** The namespace that could not be read; undefined: cluster-wide. */
  readonly namespace?: string;
  /** The one object asked for by name (a field selector); absent: the whole list. */
  readonly name?: string;
  /** Why, e.g. `403 Forbidden`. */
  readonly reason: string;
  /** The `kubectl auth can-i ...` command that checks the permission. */
  readonly canI: string;
  /**
   * For a list unread cluster-wide: the namespaces where it was read after all (what is unread
   * lies in the others); absent when none.
   */
  readonly readIn?: readonly string[];
}

/** A policy object of a kind the engine does not evaluate yet. */
export interface UnmodelledPolicy {
  readonly apiVersion: string;
  readonly kind: string;
  /** undefined: cluster-scoped. */
  readonly namespace?: string;
  readonly name: string;
  /** Where a manifest holds it; absent for objects read from a cluster. */
  readonly location?: SourceLocation;
}

/** A NetworkPolicy of the input that API servers refuse for its apiVersion, left out of the analysis. */
export interface RefusedPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly apiVersion: string;
  /** The Kubernetes release that stopped serving that version ("1.16"). */
  readonly removedIn: string;
  readonly location?: SourceLocation;
}

/** Everything the engine analyses. */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  /**
   * The pod templates of workloads scaled to zero (replicas 0, no autoscaler raising them):
   * they stand for no pod now, so no view counts them; absent when none.
   */
  readonly scaledToZero?: readonly Pod[];
  readonly services: readonly Service[];
  readonly policies: readonly NetworkPolicy[];
  /** ClusterNetworkPolicies (and deprecated Admin/BaselineAdminNetworkPolicies); absent when none. */
  readonly clusterPolicies?: readonly ClusterNetworkPolicy[];
  /** CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies; absent when none. */
  readonly ciliumPolicies?: readonly CiliumPolicy[];
  /** The cilium-config ConfigMap's policy settings; absent when it was not read. */
  readonly ciliumConfig?: CiliumConfig;
  /** Calico NetworkPolicies and GlobalNetworkPolicies, staged ones included; absent when none. */
  readonly calicoPolicies?: readonly CalicoPolicy[];
  /** Calico StagedKubernetesNetworkPolicies (never enforced, previewed); absent when none. */
  readonly stagedKubernetesPolicies?: readonly StagedKubernetesPolicy[];
  /** Calico Tiers read; absent when none (the default tier needs no object). */
  readonly calicoTiers?: readonly CalicoTier[];
  /** Nodes read, for `nodes` peers of cluster policies; absent when the input had none. */
  readonly nodes?: readonly ClusterNode[];
  /** EndpointSlices read; absent when the input had none. */
  readonly endpointSlices?: readonly EndpointSlice[];
  /** Every pod and workload read, with its containers; absent when the input had none. */
  readonly workloads?: readonly Workload[];
  /** Lists that could not be read; absent or empty when the input is complete. */
  readonly unread?: readonly UnreadList[];
  /** Policy objects the engine does not evaluate (other policy layers); absent when none. */
  readonly unmodelledPolicies?: readonly UnmodelledPolicy[];
  /** NetworkPolicies of removed API versions found in the input; absent when none. */
  readonly refusedPolicies?: readonly RefusedPolicy[];
  /** The pod address ranges of the cluster's Nodes (spec.podCIDRs); absent when none was read. */
  readonly podCidrs?: readonly string[];
}

/** The label the API server puts on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** `namespace/name` of a namespaced object. */
export function objectId(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** kubectl's name of a NetworkPolicy: `networkpolicy/NS/NAME`. */
export function networkPolicyName(ref: {
  readonly namespace: string;
  readonly name: string;
}): string {
  return `networkpolicy/${ref.namespace}/${ref.name}`;
}

/** A cluster with more pod address ranges (--pod-cidr) than its Nodes show. */
export function withPodCidrs(cluster: Cluster, cidrs: readonly string[]): Cluster {
  if (cidrs.length === 0) return cluster;
  return { ...cluster, podCidrs: [...new Set([...(cluster.podCidrs ?? []), ...cidrs])] };
}

/**
 * A Calico StagedKubernetesNetworkPolicy: a Kubernetes NetworkPolicy spec staged, never enforced
 * (shown as a preview); once committed it becomes the NetworkPolicy of the same name.
 */
export interface StagedKubernetesPolicy {
  /** The apiVersion read (projectcalico.org/v3 or crd.projectcalico.org/v1). */
  readonly apiVersion: string;
  /** The NetworkPolicy it would create (or, for Delete, names the one it would remove). */
  readonly policy: NetworkPolicy;
  /** `Delete` previews the NetworkPolicy of the same name removed; the default is `Set`. */
  readonly stagedAction: 'Set' | 'Delete';
}
