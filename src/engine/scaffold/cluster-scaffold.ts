import type {
  ClusterNetworkPolicy,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  NamespacedPods,
} from '../model/cluster-policy.js';
import type { LabelSelector, NetworkPolicy } from '../model/types.js';
import { NAMESPACE_NAME_LABEL } from '../model/types.js';
import { type DnsRuleTarget, UNREAD_DNS_TARGET } from './cluster-dns.js';
import {
  type DenyDirection,
  policyManifest,
  policyName,
  type ScaffoldRequest,
  scaffoldPolicies,
  selectorManifest,
} from './scaffold.js';

/** The priority a scaffolded cluster policy takes when none is asked for, by template. */
export const DEFAULT_CLUSTER_PRIORITY = { 'baseline-deny': 1000, 'admin-deny': 100 } as const;

/**
 * What a cluster-policy template is asked to write: a Baseline default-deny of a namespace (a
 * backstop below its NetworkPolicies), or an Admin deny of traffic between a namespace and
 * others (above every NetworkPolicy).
 */
export type ClusterScaffoldRequest =
  | {
      readonly kind: 'baseline-deny';
      readonly namespace: string;
      readonly direction: DenyDirection;
      /** Accept DNS to the cluster DNS before the egress Deny. */
      readonly allowDns?: boolean;
      /** The DNS pods its DNS rule admits (dnsRuleTarget); absent: UNREAD_DNS_TARGET. */
      readonly dns?: DnsRuleTarget;
      readonly priority?: number;
      readonly name?: string;
    }
  | {
      readonly kind: 'admin-deny';
      readonly namespace: string;
      readonly direction: DenyDirection;
      /** The namespaces ingress is denied from; undefined: every other namespace. */
      readonly from?: LabelSelector;
      /** The namespaces egress is denied to; undefined: every other namespace. */
      readonly to?: LabelSelector;
      /** Pass DNS to the cluster DNS before the egress Deny: NetworkPolicies decide it, as before. */
      readonly allowDns?: boolean;
      /** The DNS pods its DNS rule admits (dnsRuleTarget); absent: UNREAD_DNS_TARGET. */
      readonly dns?: DnsRuleTarget;
      readonly priority?: number;
      readonly name?: string;
    };

/** Any request a scaffold template makes: for NetworkPolicies or for a cluster policy. */
export type TemplateRequest = ScaffoldRequest | ClusterScaffoldRequest;

/** A policy a template writes: a NetworkPolicy or a ClusterNetworkPolicy. */
export type ScaffoldedPolicy = NetworkPolicy | ClusterNetworkPolicy;

/** Whether a scaffolded policy is a cluster policy (cluster policies have a tier). */
export function isClusterPolicy(policy: ScaffoldedPolicy): policy is ClusterNetworkPolicy {
  return 'tier' in policy;
}

/** Whether a request is for a cluster policy. */
export function isClusterRequest(request: TemplateRequest): request is ClusterScaffoldRequest {
  return request.kind === 'baseline-deny' || request.kind === 'admin-deny';
}

const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [] };
/** Every address: with `namespaces: {}`, the egress peers "everywhere". */
const ALL_NETWORKS = ['0.0.0.0/0', '::/0'];

const namespaceNamed = (namespace: string): LabelSelector => ({
  matchLabels: { [NAMESPACE_NAME_LABEL]: namespace },
  matchExpressions: [],
});

const otherNamespaces = (namespace: string): LabelSelector => ({
  matchLabels: {},
  matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [namespace] }],
});

/**
 * DNS to each server of the cluster DNS on its ports: accepted (Baseline) or passed on to
 * NetworkPolicies (Admin); one rule per server, as the ports of a rule apply to all its peers.
 */
function dnsRules(
  action: 'Accept' | 'Pass',
  target: DnsRuleTarget = UNREAD_DNS_TARGET,
): ClusterPolicyRule[] {
  const name = action === 'Accept' ? 'allow-dns' : 'pass-dns';
  return target.servers.map((server, i) => ({
    name: i === 0 ? name : `${name}-${i + 1}`,
    action,
    peers: [
      {
        kind: 'pods',
        namespaceSelector: namespaceNamed(server.namespace),
        podSelector: { matchLabels: { ...server.podLabels }, matchExpressions: [] },
      },
    ],
    ports: server.ports.map(({ protocol, port }) => ({ kind: 'number', protocol, port }) as const),
  }));
}

const denies = (direction: DenyDirection) => ({
  ingress: direction !== 'egress',
  egress: direction !== 'ingress',
});

function denyRule(name: string, peers: readonly ClusterPolicyPeer[]): ClusterPolicyRule {
  return { name, action: 'Deny', peers, ports: [] };
}

function baselineDeny(
  request: Extract<ClusterScaffoldRequest, { kind: 'baseline-deny' }>,
): ClusterNetworkPolicy {
  const { ingress, egress } = denies(request.direction);
  const everyNamespace: ClusterPolicyPeer = { kind: 'pods', namespaceSelector: EVERYTHING };
  const suffix = request.direction === 'both' ? '' : request.direction;
  return {
    name: request.name ?? policyName('baseline-deny', request.namespace, suffix),
    kind: 'ClusterNetworkPolicy',
    tier: 'Baseline',
    priority: request.priority ?? DEFAULT_CLUSTER_PRIORITY['baseline-deny'],
    subject: { namespaceSelector: namespaceNamed(request.namespace) },
    ingress: ingress ? [denyRule('deny-all-ingress', [everyNamespace])] : [],
    egress: egress
      ? [
          // Rules of one policy are first-match in order: the DNS Accept must come first.
          ...(request.allowDns ? dnsRules('Accept', request.dns) : []),
          denyRule('deny-all-egress', [everyNamespace, { kind: 'networks', cidrs: ALL_NETWORKS }]),
        ]
      : [],
  };
}

function adminDeny(
  request: Extract<ClusterScaffoldRequest, { kind: 'admin-deny' }>,
): ClusterNetworkPolicy {
  const { ingress, egress } = denies(request.direction);
  const others = otherNamespaces(request.namespace);
  const peer = (namespaces: LabelSelector): ClusterPolicyPeer => ({
    kind: 'pods',
    namespaceSelector: namespaces,
  });
  const suffix = request.direction === 'both' ? '' : request.direction;
  return {
    name: request.name ?? policyName('admin-deny', request.namespace, suffix),
    kind: 'ClusterNetworkPolicy',
    tier: 'Admin',
    priority: request.priority ?? DEFAULT_CLUSTER_PRIORITY['admin-deny'],
    subject: { namespaceSelector: namespaceNamed(request.namespace) },
    ingress: ingress ? [denyRule('deny-ingress', [peer(request.from ?? others)])] : [],
    egress: egress
      ? [
          ...(request.allowDns ? dnsRules('Pass', request.dns) : []),
          denyRule('deny-egress', [peer(request.to ?? others)]),
        ]
      : [],
  };
}

/** Builds the cluster policy a cluster-policy template request asks for. */
export function scaffoldClusterPolicy(request: ClusterScaffoldRequest): ClusterNetworkPolicy {
  return request.kind === 'baseline-deny' ? baselineDeny(request) : adminDeny(request);
}

/** Builds every policy a template request asks for, of whichever kind. */
export function scaffoldTemplate(request: TemplateRequest): ScaffoldedPolicy[] {
  return isClusterRequest(request) ? [scaffoldClusterPolicy(request)] : scaffoldPolicies(request);
}

function podsManifest(pods: NamespacedPods): Record<string, unknown> {
  return pods.podSelector
    ? {
        pods: {
          namespaceSelector: selectorManifest(pods.namespaceSelector),
          podSelector: selectorManifest(pods.podSelector),
        },
      }
    : { namespaces: selectorManifest(pods.namespaceSelector) };
}

function peerManifest(peer: ClusterPolicyPeer): Record<string, unknown> {
  switch (peer.kind) {
    case 'pods':
      return podsManifest(peer);
    case 'nodes':
      return { nodes: selectorManifest(peer.nodeSelector) };
    case 'networks':
      return { networks: [...peer.cidrs] };
    case 'domain-names':
      return { domainNames: [...peer.domainNames] };
  }
}

function portManifest(port: ClusterPolicyPort): Record<string, unknown> {
  if (port.kind === 'named') return { destinationNamedPort: port.name };
  const destinationPort =
    port.kind === 'number'
      ? { number: port.port }
      : { range: { start: port.start, end: port.end } };
  return { [port.protocol.toLowerCase()]: { destinationPort } };
}

function rulesManifest(rules: readonly ClusterPolicyRule[], peersKey: 'from' | 'to') {
  return rules.map((rule) => ({
    ...(rule.name ? { name: rule.name } : {}),
    action: rule.action,
    [peersKey]: rule.peers.map(peerManifest),
    ...(rule.ports.length > 0 ? { protocols: rule.ports.map(portManifest) } : {}),
  }));
}

/** The policy.networking.k8s.io/v1alpha2 manifest of a cluster policy, as kubectl would apply it. */
export function clusterPolicyManifest(policy: ClusterNetworkPolicy): Record<string, unknown> {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: policy.name },
    spec: {
      tier: policy.tier,
      priority: policy.priority,
      subject: podsManifest(policy.subject),
      ...(policy.ingress.length > 0 ? { ingress: rulesManifest(policy.ingress, 'from') } : {}),
      ...(policy.egress.length > 0 ? { egress: rulesManifest(policy.egress, 'to') } : {}),
    },
  };
}

/** The manifest of a scaffolded policy of either kind. */
export function scaffoldedManifest(policy: ScaffoldedPolicy): Record<string, unknown> {
  return isClusterPolicy(policy) ? clusterPolicyManifest(policy) : policyManifest(policy);
}
