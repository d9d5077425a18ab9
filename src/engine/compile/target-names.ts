import { isHostname } from '../primitives/domain-names.js';
import { parseIpAddress } from '../primitives/ip-block.js';

/** Workload kinds by the names a target may give them (kubectl's short, singular and plural). */
const WORKLOAD_KINDS: Readonly<Record<string, string>> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  rs: 'ReplicaSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rc: 'ReplicationController',
  replicationcontroller: 'ReplicationController',
  replicationcontrollers: 'ReplicationController',
  job: 'Job',
  jobs: 'Job',
  cj: 'CronJob',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
};

/** kubectl's names for a NetworkPolicy resource, with or without its API group. */
const NETWORK_POLICY_KIND =
  /^(?:netpol|netpols|networkpolicy|networkpolicies)(?:\.networking\.k8s\.io)?$/;

/** kubectl's names for the cluster policy kinds, by the short name explanations use. */
const CLUSTER_POLICY_KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:cnp|clusternetworkpolicy|clusternetworkpolicies)$/, 'cnp'],
  [/^(?:anp|adminnetworkpolicy|adminnetworkpolicies)$/, 'anp'],
  [/^(?:banp|baselineadminnetworkpolicy|baselineadminnetworkpolicies)$/, 'banp'],
];

/** Whether a kind, as typed before `/`, names NetworkPolicies. */
export function isNetworkPolicyKind(kind: string): boolean {
  return NETWORK_POLICY_KIND.test(kind.toLowerCase());
}

/** The short kind (`cnp`, `anp`, `banp`) a kind typed before `/` names; undefined for others. */
export function clusterPolicyKind(kind: string): string | undefined {
  return CLUSTER_POLICY_KINDS.find(([pattern]) => pattern.test(kind.toLowerCase()))?.[1];
}

/**
 * The kind of policy a target names (`netpol/NAME`, `NAMESPACE/cnp/NAME`...), which is no end of
 * a connection; undefined for any other target.
 */
export function policyKindOf(text: string): 'NetworkPolicy' | 'ClusterNetworkPolicy' | undefined {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3) return undefined;
  const kind = parts.at(-2) ?? '';
  if (isNetworkPolicyKind(kind)) return 'NetworkPolicy';
  return clusterPolicyKind(kind) ? 'ClusterNetworkPolicy' : undefined;
}

const SERVICE_KINDS = new Set(['svc', 'service', 'services']);
const POD_KINDS = new Set(['po', 'pod', 'pods']);

/** A Service's DNS name: NAME.NAMESPACE.svc, optionally with the cluster domain and a final dot. */
const SERVICE_DNS =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.[^/]*)?$/i;

/**
 * A pod's DNS name under a headless Service: HOSTNAME.SERVICE.NAMESPACE.svc, optionally with
 * the cluster domain and a final dot (kubernetes.io, "DNS for Services and Pods").
 */
const POD_DNS =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.[^/]*)?$/i;

/**
 * A pod's A/AAAA name: its address dashed, NAMESPACE, `pod`, optionally the cluster domain and a
 * final dot (kubernetes.io, "DNS for Services and Pods": `172-17-0-3.default.pod.cluster.local`).
 */
const POD_ADDRESS_DNS = /^([0-9a-f-]+)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.pod(\.[^/]*)?$/i;

/**
 * The address a pod A/AAAA name's first label spells, as CoreDNS reads it: three dashes and no
 * `--` are an IPv4 address's dots, else dashes are an IPv6 address's colons (`fd00--5` is
 * fd00::5). coredns/coredns plugin/kubernetes/kubernetes.go@v1.11.3, findPods.
 */
function dashedAddress(label: string): string | undefined {
  const dashes = label.split('-').length - 1;
  const address =
    dashes === 3 && !label.includes('--') ? label.replaceAll('-', '.') : label.replaceAll('-', ':');
  return parseIpAddress(address) ? address : undefined;
}

/** A DNS label: what pod, Service and namespace names are made of. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * What a target names, before looking it up. `rename` writes the same form for another name,
 * so a "did you mean" reads as the user wrote it.
 */
export type TargetName = (
  | { readonly form: 'service' }
  | { readonly form: 'pod' }
  /** HOSTNAME.SERVICE.NAMESPACE.svc: the pod of headless Service SERVICE that DNS names so. */
  | { readonly form: 'pod-dns'; readonly service: string }
  /** ADDRESS.NAMESPACE.pod: a pod's A/AAAA name, which cluster DNS answers with `address`. */
  | { readonly form: 'pod-address'; readonly address: string }
  | { readonly form: 'workload'; readonly kind: string }
  /** NAMESPACE/NAME, or a bare NAME in the namespace given: a pod, a workload, or a pod-name prefix. */
  | { readonly form: 'namespaced' }
  /**
   * NAME.NAMESPACE: the Service (as cluster DNS resolves it) or pod of that name when the
   * namespace holds one, else `hostname`, a host outside the cluster.
   */
  | { readonly form: 'dotted'; readonly hostname: string }
) & {
  readonly namespace: string;
  readonly name: string;
  readonly rename: (name: string) => string;
};

/** A target that names no object: a host outside the cluster, known by its name. */
export interface HostnameTarget {
  readonly form: 'hostname';
  readonly hostname: string;
}

/** Parses a target without a kind or slash: a bare NAME, NAME.NAMESPACE, or a host name. */
function parseBareName(text: string, namespace: string): TargetName | HostnameTarget | undefined {
  if (DNS_LABEL.test(text)) return { form: 'namespaced', namespace, name: text, rename: (n) => n };
  const [name = '', ns = '', ...rest] = text.split('.');
  if (rest.length === 0 && DNS_LABEL.test(name) && DNS_LABEL.test(ns)) {
    return { form: 'dotted', hostname: text, namespace: ns, name, rename: (n) => `${n}.${ns}` };
  }
  return isHostname(text) ? { form: 'hostname', hostname: text } : undefined;
}

/** Parses a target that is not an address; undefined when it has no known form. */
export function parseTargetName(
  text: string,
  namespace: string,
): TargetName | HostnameTarget | undefined {
  const podDns = POD_DNS.exec(text);
  if (podDns) {
    const [, name = '', , service = '', , ns = '', , suffix = ''] = podDns;
    const rename = (n: string) => `${n}.${service}.${ns}.svc${suffix}`;
    return { form: 'pod-dns', namespace: ns, name, service, rename };
  }
  const podAddress = POD_ADDRESS_DNS.exec(text);
  const address = podAddress && dashedAddress(podAddress[1] ?? '');
  if (podAddress && address) {
    const [, name = '', ns = '', , suffix = ''] = podAddress;
    const rename = (n: string) => `${n}.${ns}.pod${suffix}`;
    return { form: 'pod-address', address, namespace: ns, name, rename };
  }
  const dns = SERVICE_DNS.exec(text);
  if (dns) {
    const [, name = '', , ns = '', , suffix = ''] = dns;
    return { form: 'service', namespace: ns, name, rename: (n) => `${n}.${ns}.svc${suffix}` };
  }
  if (!text.includes('/')) return parseBareName(text, namespace);
  const [first, second, ...rest] = text.split('/');
  if (first && rest.length === 1) return parseInNamespace(first, `${second}/${rest[0]}`);
  if (!first || !second || rest.length > 0) return undefined;
  const kind = first.toLowerCase();
  if (SERVICE_KINDS.has(kind)) {
    // Service names are DNS labels without dots: a dot starts the namespace.
    const dot = second.indexOf('.');
    if (dot < 0)
      return { form: 'service', namespace, name: second, rename: (n) => `${first}/${n}` };
    const ns = second.slice(dot + 1);
    const name = second.slice(0, dot);
    return { form: 'service', namespace: ns, name, rename: (n) => `${first}/${n}.${ns}` };
  }
  if (POD_KINDS.has(kind)) {
    return { form: 'pod', namespace, name: second, rename: (n) => `${first}/${n}` };
  }
  const workloadKind = WORKLOAD_KINDS[kind];
  if (workloadKind) {
    const rename = (n: string) => `${first}/${n}`;
    return { form: 'workload', kind: workloadKind, namespace, name: second, rename };
  }
  return { form: 'namespaced', namespace: first, name: second, rename: (n) => `${first}/${n}` };
}

/**
 * NAMESPACE/KIND/NAME: KIND/NAME (a pod, a workload, or a Service without a dot) in
 * NAMESPACE; undefined for any other form.
 */
function parseInNamespace(namespace: string, kindAndName: string): TargetName | undefined {
  const inner = parseTargetName(kindAndName, namespace);
  if (!inner || inner.form === 'hostname' || inner.form === 'namespaced') return undefined;
  if (inner.form === 'dotted' || inner.namespace !== namespace) return undefined;
  return { ...inner, rename: (name) => `${namespace}/${inner.rename(name)}` };
}
