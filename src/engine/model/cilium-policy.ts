import type { LabelSelector, Protocol } from './basics.js';
import type { SourceLocation } from './findings.js';

/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2) as the engine evaluates
 * them. Selectors are over Cilium's endpoint labels: a pod's labels, its namespace's name
 * (`io.kubernetes.pod.namespace`), its namespace's labels (`io.cilium.k8s.namespace.labels.KEY`)
 * and its service account (`io.cilium.k8s.policy.serviceaccount`); source prefixes (`k8s:`,
 * `any:`) are removed when read.
 */

/** The two Cilium policy kinds. */
export type CiliumPolicyKind = 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';

/** The reserved identities `fromEntities`/`toEntities` name. */
export type CiliumEntity =
  | 'world'
  | 'cluster'
  | 'host'
  | 'remote-node'
  | 'kube-apiserver'
  | 'init'
  | 'health'
  | 'unmanaged'
  | 'ingress'
  | 'all';

/** Every entity Cilium accepts, as written. */
export const CILIUM_ENTITIES: readonly CiliumEntity[] = [
  'world',
  'cluster',
  'host',
  'remote-node',
  'kube-apiserver',
  'init',
  'health',
  'unmanaged',
  'ingress',
  'all',
];

/** An endpoint selector of a rule, with whether it confines matches to one namespace. */
export interface CiliumEndpointSelector {
  readonly selector: LabelSelector;
  /**
   * The namespace a CiliumNetworkPolicy's selector is confined to (it names no namespace
   * label); undefined: any namespace (a clusterwide policy, or the selector names one).
   */
  readonly namespace?: string;
}

/** An application-level (L7) restriction on a port entry: traffic passes only as it lists. */
export interface CiliumL7Rules {
  readonly protocol: 'http' | 'dns' | 'kafka' | 'other';
  /** A short text per listed request (e.g. `GET /public`), as written. */
  readonly requests: readonly string[];
}

/** A `toPorts` entry: its ports (protocol ANY spread on TCP, UDP and SCTP) and its L7 rules. */
export interface CiliumPortRule {
  readonly ports: readonly {
    readonly protocol: Protocol;
    readonly port?: number | string;
    readonly endPort?: number;
  }[];
  readonly l7?: CiliumL7Rules;
}

/** A CIDR peer (`fromCIDR` or a `fromCIDRSet` entry with its `except` holes). */
export interface CiliumCidr {
  readonly cidr: string;
  readonly except: readonly string[];
}

/** A Service `toServices` names: by name, or by label selector, in a namespace. */
export type CiliumServiceRef =
  | { readonly kind: 'name'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'selector'; readonly namespace?: string; readonly selector: LabelSelector };

/**
 * One ingress, egress, ingressDeny or egressDeny rule. Its L3 peers (endpoints, entities, CIDRs,
 * services, FQDNs) are ORed; a rule with none but with ports applies to every peer; a rule with
 * neither matches nothing.
 */
export interface CiliumRule {
  readonly index: number;
  readonly endpoints: readonly CiliumEndpointSelector[];
  readonly entities: readonly CiliumEntity[];
  readonly cidrs: readonly CiliumCidr[];
  readonly services: readonly CiliumServiceRef[];
  /** toFQDNs matchName / matchPattern entries (patterns keep their `*`). */
  readonly fqdns: readonly string[];
  readonly ports: readonly CiliumPortRule[];
  /** Whether the rule names any L3 peer at all (an empty `fromEndpoints: [{}]` counts). */
  readonly hasPeers: boolean;
  /**
   * Whether the rule lists `icmps`: ICMP messages, which the engine does not evaluate. Without
   * toPorts beside them the rule matches no TCP, UDP or SCTP connection.
   */
  readonly icmps: boolean;
  /** Whether a `toPorts` entry names SCTP itself (not through ANY), which Cilium before 1.13 refuses. */
  readonly namesSctp: boolean;
  /** Fields the engine reads but does not evaluate (fromRequires, authentication...). */
  readonly unsupported: readonly string[];
  /** What in the rule some Cilium releases refuse, and the whole policy with it. */
  readonly shapes: readonly CiliumRuleShape[];
}

/**
 * A rule shape `Rule.Sanitize` (pkg/policy/api/rule_validation.go) refuses in some releases only:
 * two kinds of peer, or icmps beside toPorts, in a deny rule (deny rules are checked from
 * 1.16.7); toServices beside toPorts (refused from 1.14 to 1.16). In an allow rule the first two
 * are refused by every release, which the reader reports as errors.
 */
export type CiliumRuleShape =
  | { readonly kind: 'peer-kinds'; readonly first: string; readonly second: string }
  | { readonly kind: 'icmps-with-ports' }
  | { readonly kind: 'services-with-ports' };

/** One rule of a policy (a CCNP may hold several in `specs`). */
export interface CiliumPolicySpec {
  readonly endpointSelector: LabelSelector;
  /** A nodeSelector: a host policy, which the engine does not evaluate. */
  readonly nodeSelector?: LabelSelector;
  readonly ingress?: readonly CiliumRule[];
  readonly egress?: readonly CiliumRule[];
  readonly ingressDeny?: readonly CiliumRule[];
  readonly egressDeny?: readonly CiliumRule[];
  /** enableDefaultDeny as written; absent: true for each direction with rules. */
  readonly enableDefaultDeny: { readonly ingress?: boolean; readonly egress?: boolean };
}

/** A Cilium policy, namespaced (CiliumNetworkPolicy) or not (clusterwide). */
export interface CiliumPolicy {
  readonly kind: CiliumPolicyKind;
  /** undefined for a clusterwide policy. */
  readonly namespace?: string;
  readonly name: string;
  readonly specs: readonly CiliumPolicySpec[];
  readonly location?: SourceLocation;
}

/** Cilium's policy enforcement mode (`enable-policy` of the cilium-config ConfigMap). */
export type CiliumEnforcement = 'default' | 'always' | 'never';

/**
 * The label requirements of a rule (they constrained every rule of the endpoint, granting
 * nothing), which Cilium 1.19 removed.
 */
export const CILIUM_REQUIRES_FIELDS = { ingress: 'fromRequires', egress: 'toRequires' } as const;

/** The first Cilium release without fromRequires/toRequires. */
export const CILIUM_REQUIRES_REMOVED_IN = { major: 1, minor: 19 } as const;

/** Where Cilium's Helm chart and CLI install its agent configuration, a ConfigMap. */
export const CILIUM_CONFIG = { namespace: 'kube-system', name: 'cilium-config' } as const;

/** What the cilium-config ConfigMap says about policies and the protocols its datapath passes. */
export interface CiliumConfig {
  readonly enforcement: CiliumEnforcement;
  /**
   * `enable-sctp`: whether the agent's datapath passes SCTP. Absent from the ConfigMap, the
   * agent's default holds: off (`EnableSCTP = false`, pkg/defaults/defaults.go).
   */
  readonly sctp: boolean;
  /** `enable-k8s-cluster-network-policy` (Cilium 1.20 and later; off when absent). */
  readonly clusterNetworkPolicy: boolean;
  /**
   * `enable-icmp-rules`: whether the agent accepts policies with `icmps` rules. undefined when
   * the ConfigMap leaves it out: then the agent's default holds, which depends on its version.
   */
  readonly icmpRules?: boolean;
  /**
   * `enable-k8s-terminating-endpoint` (Cilium before 1.18): whether the agent keeps endpoints
   * that are serving and terminating. undefined when the ConfigMap leaves it out: on, the
   * agent's default (daemon/cmd/daemon_main.go, v1.16.19).
   */
  readonly terminatingEndpoints?: boolean;
  /**
   * `enable-high-scale-ipcache` (Cilium 1.14 to 1.17): whether the agent keeps the pods of other
   * nodes out of its ipcache. undefined when the ConfigMap leaves it out: off
   * (`EnableHighScaleIPcache = false`, pkg/defaults/defaults.go, v1.16.19).
   */
  readonly highScaleIpcache?: boolean;
  /**
   * `enable-k8s-networkpolicy`: whether the agent enforces NetworkPolicies at all (its policy
   * watcher subscribes to them only when on, pkg/policy/k8s/watcher.go, v1.16.19). undefined
   * when the ConfigMap leaves it out: on (`EnableK8sNetworkPolicy = true`,
   * pkg/defaults/defaults.go, v1.16.19 and v1.18.0).
   */
  readonly k8sNetworkPolicy?: boolean;
  /**
   * `kube-proxy-replacement`: whether the agent replaces kube-proxy entirely ("true"; "strict"
   * before 1.14), taking NodePort, LoadBalancer and externalIPs Services itself ("Auto-enabling
   * enable-node-port, enable-external-ips ...", daemon/cmd/kube_proxy_replacement.go, v1.16.19).
   * undefined when the ConfigMap leaves it out: off (its default "false", daemon/cmd/daemon_main.go,
   * v1.16.19) or another word ("partial", "probe": not known to take them all).
   */
  readonly kubeProxyReplacement?: true;
  /**
   * `bpf-lb-mode` (`node-port-mode` before it): how the agent's load balancer hands a client
   * outside the cluster to a backend on another node. undefined when the ConfigMap leaves it out
   * or writes a word the agent refuses: `snat`, its default (daemon/cmd/daemon_main.go, v1.16.19;
   * pkg/loadbalancer/config.go, v1.20.2).
   */
  readonly loadBalancerMode?: CiliumLoadBalancerMode;
  /**
   * `bpf-lb-mode-annotation` (1.17 and later): each Service may choose its own mode with the
   * annotation service.cilium.io/forwarding-mode (pkg/annotation/k8s.go, v1.20.2).
   */
  readonly loadBalancerModeAnnotation?: boolean;
  /**
   * Set where `policy-cidr-match-mode` names `nodes` (1.15 and later): CIDR selectors (ipBlock,
   * fromCIDR, toCIDR...) then match the nodes' addresses too. Absent: they do not, the agent's
   * default (an empty list).
   */
  readonly cidrMatchNodes?: true;
}

/**
 * How Cilium's load balancer forwards a client outside the cluster to a backend on another node
 * ("options dsr, snat and hybrid", Documentation/network/kubernetes/kubeproxy-free.rst, v1.16.19):
 * with the node's address (`snat`), with the client's own (`dsr`, direct server return), or
 * DSR for TCP and SNAT for the rest (`hybrid`).
 */
export type CiliumLoadBalancerMode = 'snat' | 'dsr' | 'hybrid';

/** The name kubectl gives a Cilium policy: `ciliumnetworkpolicy/NS/NAME` or `ciliumclusterwidenetworkpolicy/NAME`. */
export function ciliumPolicyName(
  policy: Pick<CiliumPolicy, 'kind' | 'namespace' | 'name'>,
): string {
  return policy.kind === 'CiliumNetworkPolicy'
    ? `ciliumnetworkpolicy/${policy.namespace ?? ''}/${policy.name}`
    : `ciliumclusterwidenetworkpolicy/${policy.name}`;
}
