import {
  type Cluster,
  type LabelSelector,
  NAMESPACE_NAME_LABEL,
  type Namespace,
  type NetworkPolicy,
  type Pod,
  type PolicyPeer,
  type PolicyPort,
  type PolicyType,
  type Service,
} from '../model/types.js';
import {
  type CompiledIpBlock,
  compileIpBlock,
  type IpAddress,
  parseIpAddress,
} from '../primitives/ip-block.js';
import { selectorMatches } from '../primitives/selector.js';

/** The two directions a rule can govern. */
export type Direction = 'ingress' | 'egress';

/** Identifies a policy in explanations. */
export interface PolicyRef {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The shapes a peer can take. A podSelector alone looks in the policy's own namespace;
 * a namespaceSelector (even an empty one) widens the search to the namespaces it selects.
 */
export type CompiledPeer =
  | {
      readonly kind: 'pods-in-policy-namespace';
      readonly index: number;
      readonly podSelector: LabelSelector;
    }
  | {
      readonly kind: 'pods-in-selected-namespaces';
      readonly index: number;
      readonly namespaceSelector: LabelSelector;
      /** undefined: every pod of the selected namespaces. */
      readonly podSelector?: LabelSelector;
    }
  | { readonly kind: 'ip-block'; readonly index: number; readonly ipBlock: CompiledIpBlock };

/** A rule ready for evaluation; empty peers or ports mean "all". */
export interface CompiledRule {
  readonly direction: Direction;
  readonly index: number;
  readonly peers: readonly CompiledPeer[];
  readonly ports: readonly PolicyPort[];
}

/** A policy ready for evaluation. */
export interface CompiledPolicy {
  readonly id: number;
  readonly ref: PolicyRef;
  readonly policy: NetworkPolicy;
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

/** A cluster compiled once for many questions. */
export interface Analysis {
  readonly cluster: Cluster;
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly pods: readonly Pod[];
  readonly podIndex: ReadonlyMap<string, number>;
  /** Parsed addresses of each pod, by pod index. */
  readonly podAddresses: readonly (readonly IpAddress[])[];
  readonly policies: readonly CompiledPolicy[];
  /** Ids of the policies isolating each pod for ingress, by pod index. */
  readonly ingressPolicies: readonly (readonly number[])[];
  /** Ids of the policies isolating each pod for egress, by pod index. */
  readonly egressPolicies: readonly (readonly number[])[];
  readonly podsByNamespace: ReadonlyMap<string, readonly number[]>;
  readonly services: ReadonlyMap<string, Service>;
}

function compilePeer(peer: PolicyPeer, index: number): CompiledPeer {
  if (peer.ipBlock) return { kind: 'ip-block', index, ipBlock: compileIpBlock(peer.ipBlock) };
  if (peer.namespaceSelector) {
    return {
      kind: 'pods-in-selected-namespaces',
      index,
      namespaceSelector: peer.namespaceSelector,
      ...(peer.podSelector ? { podSelector: peer.podSelector } : {}),
    };
  }
  if (!peer.podSelector) throw new Error('internal: unvalidated empty peer');
  return { kind: 'pods-in-policy-namespace', index, podSelector: peer.podSelector };
}

/** Compiles one validated policy into matchers; `id` is its index in an Analysis. */
export function compilePolicy(policy: NetworkPolicy, id: number): CompiledPolicy {
  const has = (type: PolicyType) => policy.policyTypes.includes(type);
  const rules = (direction: Direction, source: NetworkPolicy['ingress']) =>
    source.map((rule, index) => ({
      direction,
      index,
      peers: rule.peers.map(compilePeer),
      ports: rule.ports,
    }));
  return {
    id,
    ref: { namespace: policy.namespace, name: policy.name },
    policy,
    isolatesIngress: has('Ingress'),
    isolatesEgress: has('Egress'),
    ingress: has('Ingress') ? rules('ingress', policy.ingress) : [],
    egress: has('Egress') ? rules('egress', policy.egress) : [],
  };
}

function namespaceTable(cluster: Cluster): Map<string, Namespace> {
  const table = new Map<string, Namespace>();
  const ensure = (name: string) => {
    if (!table.has(name)) table.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name } });
  };
  for (const namespace of cluster.namespaces) {
    table.set(namespace.name, {
      name: namespace.name,
      labels: { ...namespace.labels, [NAMESPACE_NAME_LABEL]: namespace.name },
    });
  }
  for (const pod of cluster.pods) ensure(pod.namespace);
  for (const policy of cluster.policies) ensure(policy.namespace);
  for (const service of cluster.services) ensure(service.namespace);
  return table;
}

/** Compiles a validated cluster: policies into matchers, and which policies isolate each pod. */
export function compileCluster(cluster: Cluster): Analysis {
  const pods = cluster.pods;
  const podIndex = new Map(pods.map((pod, index) => [pod.id, index]));
  const podsByNamespace = new Map<string, number[]>();
  pods.forEach((pod, index) => {
    const list = podsByNamespace.get(pod.namespace);
    if (list) list.push(index);
    else podsByNamespace.set(pod.namespace, [index]);
  });
  const policies = cluster.policies.map(compilePolicy);
  const ingressPolicies: number[][] = pods.map(() => []);
  const egressPolicies: number[][] = pods.map(() => []);
  for (const compiled of policies) {
    for (const podIdx of podsByNamespace.get(compiled.ref.namespace) ?? []) {
      const pod = pods[podIdx] as Pod;
      if (!selectorMatches(compiled.policy.podSelector, pod.labels)) continue;
      if (compiled.isolatesIngress) ingressPolicies[podIdx]?.push(compiled.id);
      if (compiled.isolatesEgress) egressPolicies[podIdx]?.push(compiled.id);
    }
  }
  return {
    cluster,
    namespaces: namespaceTable(cluster),
    pods,
    podIndex,
    podAddresses: pods.map((pod) =>
      pod.ips.flatMap((ip) => {
        const address = parseIpAddress(ip);
        return address ? [address] : [];
      }),
    ),
    policies,
    ingressPolicies,
    egressPolicies,
    podsByNamespace,
    services: new Map(cluster.services.map((svc) => [`${svc.namespace}/${svc.name}`, svc])),
  };
}

/** The policies that select a pod in one direction. */
export function policiesSelecting(
  analysis: Analysis,
  podIdx: number,
  direction: Direction,
): readonly CompiledPolicy[] {
  const ids = direction === 'ingress' ? analysis.ingressPolicies : analysis.egressPolicies;
  return (ids[podIdx] ?? []).map((id) => analysis.policies[id] as CompiledPolicy);
}
