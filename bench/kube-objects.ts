/** The subset of Kubernetes API objects the synthetic cluster emits, shaped as the API serves them. */

/** metav1.ObjectMeta fields we set. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A v1 Namespace. */
export interface NamespaceObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
  readonly metadata: ObjectMeta;
}

/** A container port as declared in a pod spec. */
export interface ContainerPortSpec {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** A container of a pod spec. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly ContainerPortSpec[];
}

/** A running v1 Pod with its status addresses. */
export interface PodObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Pod';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly nodeName: string;
    readonly hostNetwork?: true;
    readonly containers: readonly ContainerSpec[];
  };
  readonly status: {
    readonly phase: 'Running';
    readonly hostIP: string;
    readonly podIP: string;
    readonly podIPs: readonly { readonly ip: string }[];
  };
}

/** A metav1.LabelSelector. */
export interface LabelSelectorSpec {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values?: readonly string[];
  }[];
}

/** A NetworkPolicyPeer. */
export interface PeerSpec {
  readonly podSelector?: LabelSelectorSpec;
  readonly namespaceSelector?: LabelSelectorSpec;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

/** A NetworkPolicyPort. */
export interface PortSpec {
  readonly protocol: 'TCP' | 'UDP';
  readonly port?: number | string;
  readonly endPort?: number;
}

/** A networking.k8s.io/v1 NetworkPolicy. */
export interface NetworkPolicyObject {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly podSelector: LabelSelectorSpec;
    readonly policyTypes: readonly ('Ingress' | 'Egress')[];
    readonly ingress?: readonly { readonly from?: PeerSpec[]; readonly ports?: PortSpec[] }[];
    readonly egress?: readonly { readonly to?: PeerSpec[]; readonly ports?: PortSpec[] }[];
  };
}

/** Any object of the synthetic cluster. */
export type KubeObject = NamespaceObject | PodObject | NetworkPolicyObject;
