/**
 * A deliberately naive NetworkPolicy evaluator written straight from the networking.k8s.io/v1
 * API reference, sharing no code with src/engine. Property tests compare the engine to it.
 */
import ipaddr from 'ipaddr.js';
import type {
  Cluster,
  IpBlock,
  LabelSelector,
  Labels,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyPort,
  Protocol,
} from '../../src/engine/model/types.js';

/** The other side of a connection: a pod of the cluster, or a bare address. */
export type ReferenceEndpoint = { readonly pod: Pod } | { readonly ip: string };

/**
 * Which reading of hostNetwork pods as policy subjects to take (kubernetes.io, Network
 * Policies, "NetworkPolicy and hostNetwork pods"): `ignored` (the default) never isolates them,
 * `isolated` applies the policies selecting them like to any pod. Peers never match them.
 */
export type HostSubjects = 'ignored' | 'isolated';

function selects(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  return selector.matchExpressions.every((requirement) => {
    const present = Object.hasOwn(labels, requirement.key);
    const value = present ? labels[requirement.key] : undefined;
    switch (requirement.operator) {
      case 'In':
        return present && requirement.values.includes(value as string);
      case 'NotIn':
        return !present || !requirement.values.includes(value as string);
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
    }
    return false;
  });
}

function namespaceLabels(cluster: Cluster, name: string): Labels {
  const declared = cluster.namespaces.find((ns) => ns.name === name)?.labels ?? {};
  return { ...declared, 'kubernetes.io/metadata.name': name };
}

function inCidr(cidr: string, ip: string): boolean {
  const address = ipaddr.process(ip);
  const [network, bits] = ipaddr.parseCIDR(cidr);
  return address.kind() === network.kind() && address.match(network, bits);
}

function inBlock(block: IpBlock, ip: string): boolean {
  return inCidr(block.cidr, ip) && !block.except.some((except) => inCidr(except, ip));
}

function peerMatches(
  cluster: Cluster,
  peer: PolicyPeer,
  policyNamespace: string,
  other: ReferenceEndpoint,
): boolean {
  if (peer.ipBlock) {
    const block = peer.ipBlock;
    const ips = 'pod' in other ? other.pod.ips : [other.ip];
    return ips.some((ip) => inBlock(block, ip));
  }
  if (!('pod' in other) || other.pod.hostNetwork) return false;
  const pod = other.pod;
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, namespaceLabels(cluster, pod.namespace))) return false;
  } else if (pod.namespace !== policyNamespace) {
    return false;
  }
  return peer.podSelector === undefined || selects(peer.podSelector, pod.labels);
}

function portMatches(
  entry: PolicyPort,
  destination: Pod | undefined,
  protocol: Protocol,
  port: number,
): boolean {
  if (entry.protocol !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number')
    return port >= entry.port && port <= (entry.endPort ?? entry.port);
  const named = destination?.ports.find((p) => p.name === entry.port && p.protocol === protocol);
  return named !== undefined && named.port === port;
}

/** The policies that isolate a pod in a direction (hostNetwork pods only when `isolated`). */
export function referenceIsolating(
  cluster: Cluster,
  pod: Pod,
  direction: 'ingress' | 'egress',
  hostSubjects: HostSubjects = 'ignored',
): NetworkPolicy[] {
  if (pod.hostNetwork && hostSubjects === 'ignored') return [];
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  return cluster.policies.filter(
    (policy) =>
      policy.namespace === pod.namespace &&
      policy.policyTypes.includes(type) &&
      selects(policy.podSelector, pod.labels),
  );
}

function sideAllows(
  cluster: Cluster,
  subject: Pod,
  direction: 'ingress' | 'egress',
  other: ReferenceEndpoint,
  destination: Pod | undefined,
  protocol: Protocol,
  port: number,
  hostSubjects: HostSubjects,
): boolean {
  const policies = referenceIsolating(cluster, subject, direction, hostSubjects);
  if (policies.length === 0) return true;
  // "traffic to and from the node where a Pod is running is always allowed, regardless of the
  // IP address of the Pod or the node" (kubernetes.io, Network Policies): the node's host is its
  // hostNetwork pods. A node not known is taken as another (as an unknown IP as outside).
  if (
    'pod' in other &&
    other.pod.hostNetwork &&
    subject.nodeName !== undefined &&
    other.pod.nodeName === subject.nodeName
  )
    return true;
  return policies.some((policy) =>
    (direction === 'ingress' ? policy.ingress : policy.egress).some(
      (rule) =>
        (rule.peers.length === 0 ||
          rule.peers.some((peer) => peerMatches(cluster, peer, policy.namespace, other))) &&
        (rule.ports.length === 0 ||
          rule.ports.some((entry) => portMatches(entry, destination, protocol, port))),
    ),
  );
}

/** The IP family of an address, as ipaddr.js names it. */
function familyOf(ip: string): string {
  return ipaddr.process(ip).kind();
}

/** An endpoint's addresses. */
function ipsOf(end: ReferenceEndpoint): readonly string[] {
  return 'pod' in end ? end.pod.ips : [end.ip];
}

/** The endpoint as a connection over one family sees it: its addresses of that family. */
function overFamily(end: ReferenceEndpoint, family: string): ReferenceEndpoint {
  if (!('pod' in end)) return end;
  return { ...end, pod: { ...end.pod, ips: end.pod.ips.filter((ip) => familyOf(ip) === family) } };
}

/**
 * Whether `from` may connect to `to` on protocol/port: egress AND ingress; self always. A
 * connection uses one address family: when an end has addresses of two (dual-stack), it is
 * allowed only if it is over each family both ends have, each end seen by its address of it.
 */
export function referenceAllows(
  cluster: Cluster,
  from: ReferenceEndpoint,
  to: ReferenceEndpoint,
  protocol: Protocol,
  port: number,
  hostSubjects: HostSubjects = 'ignored',
): boolean {
  if ('pod' in from && 'pod' in to && from.pod.id === to.pod.id) return true;
  const fromFamilies = new Set(ipsOf(from).map(familyOf));
  const toFamilies = new Set(ipsOf(to).map(familyOf));
  const common = [...fromFamilies].filter((family) => toFamilies.has(family));
  if ((fromFamilies.size > 1 || toFamilies.size > 1) && common.length > 0) {
    return common.every((family) =>
      referenceAllowsOver(
        cluster,
        overFamily(from, family),
        overFamily(to, family),
        protocol,
        port,
        hostSubjects,
      ),
    );
  }
  return referenceAllowsOver(cluster, from, to, protocol, port, hostSubjects);
}

/** referenceAllows for ends seen by the addresses given. */
function referenceAllowsOver(
  cluster: Cluster,
  from: ReferenceEndpoint,
  to: ReferenceEndpoint,
  protocol: Protocol,
  port: number,
  hostSubjects: HostSubjects,
): boolean {
  const destination = 'pod' in to ? to.pod : undefined;
  const side = (subject: Pod, direction: 'ingress' | 'egress', other: ReferenceEndpoint) =>
    sideAllows(cluster, subject, direction, other, destination, protocol, port, hostSubjects);
  const egress = !('pod' in from) || side(from.pod, 'egress', to);
  const ingress = !('pod' in to) || side(to.pod, 'ingress', from);
  return egress && ingress;
}
