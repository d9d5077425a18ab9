import type { Cluster, Labels, Pod, Protocol, Service } from '../model/types.js';
import { labelsSelector, selectorMatches } from '../primitives/selector.js';

/**
 * The rule that told the cluster DNS apart, most telling first:
 * - `service-name`: a name a distribution gives its DNS Service (KNOWN_DNS_SERVICES);
 * - `service-labels`: a Service labelled as cluster DNS (DNS_SERVICE_LABELS) serving port 53;
 * - `pod-labels`: no such Service in the input, but pods k8s-app=kube-dns in kube-system.
 */
export type DnsFoundBy = 'service-name' | 'service-labels' | 'pod-labels';

/** Where DNS pods run and the labels that select them. */
export interface DnsPods {
  readonly namespace: string;
  readonly podLabels: Labels;
}

/** Pods that serve cluster DNS: those a Service selects, or (without one) k8s-app=kube-dns. */
export interface DnsServerPods extends DnsPods {
  /** The Service clients query (its ClusterIP is the kubelet's clusterDNS in practice). */
  readonly service?: Service;
  /** The distributions that name their DNS Service so (with `service-name`). */
  readonly distributions?: string;
}

/**
 * What the input tells of the cluster DNS: one set of DNS pods and how it was found; several
 * when candidates of the most telling rule select different pods (which one the kubelet's
 * clusterDNS address names is not in the API); none when nothing looks like cluster DNS.
 */
export interface ClusterDns {
  readonly foundBy?: DnsFoundBy;
  readonly candidates: readonly DnsServerPods[];
}

/**
 * DNS Services by the name each distribution gives them:
 * - kube-system/kube-dns: kubeadm and the CoreDNS addon ("Both the CoreDNS and kube-dns Service
 *   are named kube-dns", kubernetes.io/docs/tasks/administer-cluster/coredns/), k3s
 *   (k3s-io/k3s manifests/coredns.yaml), EKS's and AKS's coredns, GKE's kube-dns;
 * - kube-system/rke2-coredns-rke2-coredns: RKE2's chart, release and chart both rke2-coredns,
 *   whose fullname always joins them (rancher/rke2-charts packages/rke2-coredns
 *   generated-changes/patch/templates/_helpers.tpl.patch);
 * - openshift-dns/dns-default: "dns-" + the DNS resource's name, default (openshift/
 *   cluster-dns-operator pkg/operator/controller/names.go, DNSServiceName).
 */
const KNOWN_DNS_SERVICES: readonly { key: string; distributions: string }[] = [
  { key: 'kube-system/kube-dns', distributions: 'kubeadm, k3s, EKS, GKE, AKS' },
  { key: 'kube-system/rke2-coredns-rke2-coredns', distributions: 'RKE2' },
  { key: 'openshift-dns/dns-default', distributions: 'OpenShift' },
];

/**
 * Labels a cluster DNS Service carries: k8s-app=kube-dns (kubeadm, RKE2's k8sApp value, the
 * coredns chart with isClusterService) and kubernetes.io/name CoreDNS or KubeDNS (kubernetes
 * cluster/addons/dns/coredns/coredns.yaml.base, coredns/helm charts/coredns templates/service.yaml).
 */
const DNS_SERVICE_LABELS: readonly (readonly [string, string])[] = [
  ['k8s-app', 'kube-dns'],
  ['kubernetes.io/name', 'CoreDNS'],
  ['kubernetes.io/name', 'KubeDNS'],
];

/** Where kubeadm-style clusters run DNS when no Service tells: k8s-app=kube-dns in kube-system. */
export const KUBE_DNS_PODS: DnsServerPods = {
  namespace: 'kube-system',
  podLabels: { 'k8s-app': 'kube-dns' },
};

/** The port clients send lookups to: the cluster DNS Service's port. */
export const DNS_SERVICE_PORT = 53;

/** Whether a Service answers lookups: it selects pods and serves port 53 over UDP and TCP. */
function servesLookups(service: Service): boolean {
  const serves = (protocol: string) =>
    service.ports.some((p) => p.port === DNS_SERVICE_PORT && p.protocol === protocol);
  return (
    service.selector !== undefined &&
    service.type !== 'ExternalName' &&
    serves('UDP') &&
    serves('TCP')
  );
}

/** Candidates told apart by the pods they select (a Service and kube-dns-upstream agree). */
function distinct(candidates: readonly DnsServerPods[]): DnsServerPods[] {
  const seen = new Map<string, DnsServerPods>();
  for (const candidate of candidates) {
    const labels = Object.entries(candidate.podLabels).sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify([candidate.namespace, labels]);
    if (!seen.has(key)) seen.set(key, candidate);
  }
  return [...seen.values()];
}

/** A Service as a candidate: the pods it selects. */
function serviceCandidate(service: Service, distributions?: string): DnsServerPods {
  return {
    namespace: service.namespace,
    podLabels: service.selector ?? {},
    service,
    ...(distributions ? { distributions } : {}),
  };
}

/**
 * Finds the cluster DNS the way the cluster does, as far as the API tells: pods query the
 * kubelet's clusterDNS address, which is not readable from the API but is in practice the
 * ClusterIP of the DNS Service. So: a Service by a known name, else by DNS labels, else the
 * kube-dns pods themselves; several candidates of one rule selecting different pods stay several.
 */
export function findClusterDns(cluster: Pick<Cluster, 'pods' | 'services'>): ClusterDns {
  const services = cluster.services.filter(servesLookups);
  const byName = KNOWN_DNS_SERVICES.flatMap(({ key, distributions }) =>
    services
      .filter((s) => `${s.namespace}/${s.name}` === key)
      .map((s) => serviceCandidate(s, distributions)),
  );
  if (byName.length > 0) return { foundBy: 'service-name', candidates: distinct(byName) };
  const byLabels = services
    .filter((s) => DNS_SERVICE_LABELS.some(([key, value]) => s.labels?.[key] === value))
    .map((s) => serviceCandidate(s));
  if (byLabels.length > 0) return { foundBy: 'service-labels', candidates: distinct(byLabels) };
  const kubeDnsPods = cluster.pods.some((pod) => servesDns(KUBE_DNS_PODS, pod));
  return kubeDnsPods ? { foundBy: 'pod-labels', candidates: [KUBE_DNS_PODS] } : { candidates: [] };
}

/** Whether a pod is one of a candidate's DNS pods. */
export function servesDns(candidate: DnsServerPods, pod: Pod): boolean {
  return (
    pod.namespace === candidate.namespace &&
    selectorMatches(labelsSelector(candidate.podLabels), pod.labels)
  );
}

/** A port the cluster DNS pods take lookups on, over one protocol (a policy port by number). */
export interface DnsPort {
  readonly protocol: Protocol;
  readonly port: number;
}

/** DNS over UDP and TCP on port 53: what kube-dns pods take lookups on. */
export const DNS_PORTS: readonly DnsPort[] = [
  { protocol: 'UDP', port: DNS_SERVICE_PORT },
  { protocol: 'TCP', port: DNS_SERVICE_PORT },
];

/**
 * A Service port 53 whose targetPort is a name that nothing in the input resolves to a number
 * (no pod of the Service, no EndpointSlice port): its DNS pods are taken to listen on 53.
 */
export interface UnresolvedDnsPort {
  readonly protocol: Protocol;
  /** The targetPort's name, a container port of the DNS pods (OpenShift's `dns`, `dns-tcp`). */
  readonly targetPort: string;
}

/**
 * DNS pods that declare no container port by the name their Service's port 53 targets over a
 * protocol. The EndpointSlice controller lists no port for such a pod (its findPort fails and
 * the port is skipped: k8s.io/endpointslice utils.go getEndpointPorts, v0.31.0), so kube-proxy
 * sends it no lookups over that protocol: it is no DNS server for them.
 */
export interface PortlessDnsPods {
  readonly protocol: Protocol;
  readonly targetPort: string;
  /** The pods, `namespace/name`. */
  readonly pods: readonly string[];
}

/** A candidate for the cluster DNS as findings and rules carry it: its pods, Service and ports. */
export interface DnsServerRef extends DnsPods {
  /** `namespace/name` of its Service; absent when found by pod labels. */
  readonly service?: string;
  readonly distributions?: string;
  /**
   * The ports its pods take lookups on, UDP then TCP (dnsPodPort); without pods in the input,
   * its Service's targetPort or EndpointSlice ports, else 53.
   */
  readonly ports: readonly DnsPort[];
  /** Where 53 stands for a named targetPort nothing in the input resolves; absent when none. */
  readonly unresolvedPorts?: readonly UnresolvedDnsPort[];
  /** DNS pods no lookups reach over a protocol, lacking the named targetPort; absent when none. */
  readonly portlessPods?: readonly PortlessDnsPods[];
}

/** How the input told the cluster DNS, as findings carry it: the rule and its candidates. */
export interface DnsFound {
  /** Absent when nothing in the input looks like the cluster DNS. */
  readonly foundBy?: DnsFoundBy;
  readonly servers: readonly DnsServerRef[];
}

/**
 * Why an allow-dns rule is written against DNS pods the input does not tell for sure:
 * - `not-read`: no input was read, so kubeadm's default (KUBE_DNS_PODS on 53) is written;
 * - `not-found`: the input shows nothing like the cluster DNS, so the default is written too;
 * - `several`: several candidates select different pods; the rule admits each on its own ports,
 *   as which one the kubelet's clusterDNS address names is not in the API;
 * - `target-port`: the one cluster DNS Service maps port 53 to a named targetPort that no pod or
 *   EndpointSlice of the input resolves (its `unresolvedPorts`), so 53 is written for it;
 * - `portless-pods`: some of the one cluster DNS's pods lack the named targetPort (its
 *   `portlessPods`), so they get no lookups and the rule admits only the others' ports.
 */
export type DnsAssumed = 'not-read' | 'not-found' | 'several' | 'target-port' | 'portless-pods';

/** The DNS pods an allow-dns rule admits lookups to, each on its ports, and what it assumed. */
export interface DnsRuleTarget {
  readonly servers: readonly DnsServerRef[];
  /** Absent when the input tells one cluster DNS. */
  readonly assumed?: DnsAssumed;
}

/** kubeadm's cluster DNS on port 53, as a rule admits it. */
const KUBE_DNS_SERVER: DnsServerRef = {
  namespace: KUBE_DNS_PODS.namespace,
  podLabels: KUBE_DNS_PODS.podLabels,
  ports: DNS_PORTS,
};

/** What an allow-dns rule is written against when no input was read: kubeadm's DNS, assumed. */
export const UNREAD_DNS_TARGET: DnsRuleTarget = { servers: [KUBE_DNS_SERVER], assumed: 'not-read' };

/**
 * What an allow-dns rule is written against, from what the input tells (`found`): its one
 * cluster DNS (on 53 assumed for a named targetPort left unresolved); each of several
 * candidates (assumed `several`); kubeadm's default when none; said too when some of its pods
 * lack the named targetPort.
 */
export function dnsRuleTargetOf(found: DnsFound): DnsRuleTarget {
  const { servers } = found;
  const [only] = servers;
  if (!only) return { servers: [KUBE_DNS_SERVER], assumed: 'not-found' };
  if (servers.length > 1) return { servers, assumed: 'several' };
  if (only.unresolvedPorts) return { servers, assumed: 'target-port' };
  return only.portlessPods ? { servers, assumed: 'portless-pods' } : { servers };
}
