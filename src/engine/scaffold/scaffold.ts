import type {
  IpBlock,
  LabelSelector,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  PolicyType,
} from '../model/types.js';
import { NAMESPACE_NAME_LABEL } from '../model/types.js';
import { type DnsPods, type DnsRuleTarget, UNREAD_DNS_TARGET } from './cluster-dns.js';

const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/** The peer that selects a cluster's DNS pods. */
function dnsPeer(pods: DnsPods): PolicyPeer {
  return {
    namespaceSelector: {
      matchLabels: { [NAMESPACE_NAME_LABEL]: pods.namespace },
      matchExpressions: [],
    },
    podSelector: { matchLabels: { ...pods.podLabels }, matchExpressions: [] },
  };
}

/** Which directions a default-deny isolates. */
export type DenyDirection = 'ingress' | 'egress' | 'both';

/** The peers an allow rule admits: pods (optionally in other namespaces) or address blocks. */
export interface PeerChoice {
  /** Pods to admit; undefined with a namespace selector means every pod there. */
  readonly pods?: LabelSelector;
  /** undefined: the policy's own namespace. */
  readonly namespaces?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

/**
 * What a template is asked to write, as the command line, the wizard, a diagnosis or an audit
 * fix asks it: typed data, put into flags only to be shown.
 */
export type ScaffoldRequest =
  | {
      readonly kind: 'default-deny';
      readonly namespace: string;
      readonly direction: DenyDirection;
      /** Also write allow-dns, so that denying egress keeps name lookups working. */
      readonly allowDns?: boolean;
      /** The DNS pods allow-dns admits lookups to (dnsRuleTarget); absent: UNREAD_DNS_TARGET. */
      readonly dns?: DnsRuleTarget;
      readonly name?: string;
    }
  | {
      readonly kind: 'allow-dns';
      readonly namespace: string;
      readonly pods?: LabelSelector;
      /** The DNS pods it admits lookups to (dnsRuleTarget); absent: UNREAD_DNS_TARGET. */
      readonly dns?: DnsRuleTarget;
      readonly name?: string;
    }
  | {
      readonly kind: 'allow';
      readonly namespace: string;
      readonly direction: 'ingress' | 'egress';
      /** The pods the policy selects (receivers for ingress, senders for egress). */
      readonly pods: LabelSelector;
      /** Empty: anyone. */
      readonly peers: readonly PeerChoice[];
      /** Empty: every port. */
      readonly ports: readonly PolicyPort[];
      readonly name?: string;
    }
  | {
      readonly kind: 'allow-same-namespace';
      readonly namespace: string;
      readonly pods?: LabelSelector;
      readonly name?: string;
    }
  | {
      readonly kind: 'allow-from-namespace';
      /** What the admitted namespace is for, used in the name: "ingress-controller", "monitoring". */
      readonly purpose: string;
      readonly namespace: string;
      readonly pods: LabelSelector;
      readonly from: LabelSelector;
      /** undefined: every pod of the admitted namespaces. */
      readonly fromPods?: LabelSelector;
      readonly ports: readonly PolicyPort[];
      readonly name?: string;
    };

/**
 * One egress rule per DNS server of a target, each admitting its own ports: one rule for all
 * would admit every server on every other's ports too.
 */
function dnsRules(target: DnsRuleTarget): PolicyRule[] {
  return target.servers.map((server) => ({ peers: [dnsPeer(server)], ports: server.ports }));
}

function peerOf(choice: PeerChoice): PolicyPeer {
  if (choice.ipBlock) return { ipBlock: choice.ipBlock };
  return {
    ...(choice.pods || !choice.namespaces ? { podSelector: choice.pods ?? EVERYTHING } : {}),
    ...(choice.namespaces ? { namespaceSelector: choice.namespaces } : {}),
  };
}

function policy(
  namespace: string,
  name: string,
  podSelector: LabelSelector,
  rules: { ingress?: PolicyRule[]; egress?: PolicyRule[] },
  policyTypes: PolicyType[],
): NetworkPolicy {
  return {
    namespace,
    name,
    podSelector,
    policyTypes,
    ingress: rules.ingress ?? [],
    egress: rules.egress ?? [],
  };
}

/** A selector in a name: its labels' values (or its expressions'), '' for every pod. */
function selectorName(selector: LabelSelector | undefined): string {
  const labels = Object.values(selector?.matchLabels ?? {});
  const expressions = (selector?.matchExpressions ?? []).flatMap((r) =>
    r.values.length > 0 ? r.values : [r.key],
  );
  return [...labels, ...expressions].join('-');
}

/** A peer in a name: its pods, namespaces or address block; "same-namespace" for every pod here. */
function peerName(peer: PeerChoice, namespace: string): string {
  if (peer.ipBlock) return peer.ipBlock.cidr;
  const labels = peer.namespaces?.matchLabels ?? {};
  const here =
    peer.namespaces?.matchExpressions.length === 0 &&
    Object.keys(labels).length === 1 &&
    labels[NAMESPACE_NAME_LABEL] === namespace;
  const namespaces =
    peer.namespaces && !here ? selectorName(peer.namespaces) || 'all-namespaces' : '';
  const pods = peer.pods ? selectorName(peer.pods) : '';
  if (!namespaces) return pods || 'same-namespace';
  return pods ? `${namespaces}-${pods}` : namespaces;
}

/** The name of an allow policy from what it does: `allow-web-egress-to-api-8080`. */
function allowName(request: Extract<ScaffoldRequest, { kind: 'allow' }>): string {
  const peers = request.peers.map((peer) => peerName(peer, request.namespace));
  const side = request.direction === 'ingress' ? 'from' : 'to';
  const ports = request.ports.map((p) =>
    p.port === undefined ? p.protocol : [p.port, p.endPort ?? []].flat().join('-'),
  );
  if (peers.length === 0 && ports.length === 0) {
    return policyName('allow', selectorName(request.pods) || 'all', request.direction);
  }
  return policyName(
    'allow',
    selectorName(request.pods),
    request.direction,
    side,
    ...(peers.length > 0 ? peers : ['anywhere']),
    ...ports,
  );
}

/** A DNS-1123 name from parts: lower case, runs of other characters as "-", at most 63. */
export function policyName(...parts: string[]): string {
  const name = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return name.slice(0, 63).replace(/[-.]+$/, '') || 'policy';
}

/** Builds the policies a request asks for: its own, and allow-dns beside a default-deny that keeps DNS. */
export function scaffoldPolicies(request: ScaffoldRequest): NetworkPolicy[] {
  const own = scaffoldPolicy(request);
  return request.kind === 'default-deny' && request.allowDns
    ? [
        own,
        scaffoldPolicy({
          kind: 'allow-dns',
          namespace: request.namespace,
          ...(request.dns ? { dns: request.dns } : {}),
        }),
      ]
    : [own];
}

/** Builds the request's own NetworkPolicy, with explicit policyTypes (without its companions). */
export function scaffoldPolicy(request: ScaffoldRequest): NetworkPolicy {
  switch (request.kind) {
    case 'default-deny': {
      const types: PolicyType[] =
        request.direction === 'both'
          ? ['Ingress', 'Egress']
          : request.direction === 'ingress'
            ? ['Ingress']
            : ['Egress'];
      const suffix = request.direction === 'both' ? 'all' : request.direction;
      return policy(
        request.namespace,
        request.name ?? `default-deny-${suffix}`,
        EVERYTHING,
        {},
        types,
      );
    }
    case 'allow-dns':
      return policy(
        request.namespace,
        request.name ?? policyName('allow', selectorName(request.pods), 'dns-egress'),
        request.pods ?? EVERYTHING,
        { egress: dnsRules(request.dns ?? UNREAD_DNS_TARGET) },
        ['Egress'],
      );
    case 'allow': {
      const rule: PolicyRule = { peers: request.peers.map(peerOf), ports: request.ports };
      const name = request.name ?? allowName(request);
      return request.direction === 'ingress'
        ? policy(request.namespace, name, request.pods, { ingress: [rule] }, ['Ingress'])
        : policy(request.namespace, name, request.pods, { egress: [rule] }, ['Egress']);
    }
    case 'allow-same-namespace':
      return policy(
        request.namespace,
        request.name ??
          policyName(
            'allow-same-namespace',
            ...(request.pods ? ['to', selectorName(request.pods)] : []),
          ),
        request.pods ?? EVERYTHING,
        { ingress: [{ peers: [{ podSelector: EVERYTHING }], ports: [] }] },
        ['Ingress'],
      );
    case 'allow-from-namespace': {
      const peer = peerOf({
        namespaces: request.from,
        ...(request.fromPods ? { pods: request.fromPods } : {}),
      });
      return policy(
        request.namespace,
        request.name ??
          policyName('allow', request.purpose, 'to', selectorName(request.pods) || 'all-pods'),
        request.pods,
        { ingress: [{ peers: [peer], ports: request.ports }] },
        ['Ingress'],
      );
    }
  }
}

/** A label selector as a manifest writes it: empty parts left out. */
export function selectorManifest(selector: LabelSelector): Record<string, unknown> {
  return {
    ...(Object.keys(selector.matchLabels).length > 0
      ? { matchLabels: { ...selector.matchLabels } }
      : {}),
    ...(selector.matchExpressions.length > 0
      ? {
          matchExpressions: selector.matchExpressions.map((r) => ({
            key: r.key,
            operator: r.operator,
            ...(r.values.length > 0 ? { values: [...r.values] } : {}),
          })),
        }
      : {}),
  };
}

function rulesManifest(rules: readonly PolicyRule[], peersKey: 'from' | 'to') {
  return rules.map((rule) => ({
    ...(rule.peers.length > 0
      ? {
          [peersKey]: rule.peers.map((peer) => ({
            ...(peer.podSelector ? { podSelector: selectorManifest(peer.podSelector) } : {}),
            ...(peer.namespaceSelector
              ? { namespaceSelector: selectorManifest(peer.namespaceSelector) }
              : {}),
            ...(peer.ipBlock
              ? {
                  ipBlock: {
                    cidr: peer.ipBlock.cidr,
                    ...(peer.ipBlock.except.length > 0 ? { except: [...peer.ipBlock.except] } : {}),
                  },
                }
              : {}),
          })),
        }
      : {}),
    ...(rule.ports.length > 0
      ? {
          ports: rule.ports.map((port) => ({
            protocol: port.protocol,
            ...(port.port !== undefined ? { port: port.port } : {}),
            ...(port.endPort !== undefined ? { endPort: port.endPort } : {}),
          })),
        }
      : {}),
  }));
}

/** The networking.k8s.io/v1 manifest of a policy, as kubectl would apply it. */
export function policyManifest(policy: NetworkPolicy): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: policy.name, namespace: policy.namespace },
    spec: {
      podSelector: selectorManifest(policy.podSelector),
      ...(policy.ingress.length > 0 ? { ingress: rulesManifest(policy.ingress, 'from') } : {}),
      ...(policy.egress.length > 0 ? { egress: rulesManifest(policy.egress, 'to') } : {}),
      policyTypes: [...policy.policyTypes],
    },
  };
}
