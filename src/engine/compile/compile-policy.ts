import type { HostNetworkPeers } from '../cni/host-network-peers.js';
import type { CiliumEntity } from '../model/cilium-policy.js';
import type {
  LabelSelector,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyType,
} from '../model/types.js';
import { type CompiledIpBlock, compileIpBlock } from '../primitives/ip-block.js';
import type { CalicoEndpoints } from './calico-endpoints.js';

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
      /** Set where the plugin may match hostNetwork pods like any pod (see HostNetworkPeers). */
      readonly hostPodsUndecided?: true;
    }
  | {
      readonly kind: 'pods-in-selected-namespaces';
      readonly index: number;
      readonly namespaceSelector: LabelSelector;
      /** undefined: every pod of the selected namespaces. */
      readonly podSelector?: LabelSelector;
      /** Set where the plugin may match hostNetwork pods like any pod (see HostNetworkPeers). */
      readonly hostPodsUndecided?: true;
    }
  | {
      readonly kind: 'ip-block';
      readonly index: number;
      readonly ipBlock: CompiledIpBlock;
      /** Set for a cluster policy's `nodes` peer: the address of a selected node. */
      readonly node?: true;
      /**
       * Set for a Cilium CIDR peer, and for a NetworkPolicy ipBlock that Cilium enforces: it never
       * matches the cluster's pods, only outside addresses.
       */
      readonly outsideCluster?: true;
    }
  | {
      /** A Cilium endpoint selector over pods' endpoint labels (namespace, service account...). */
      readonly kind: 'cilium-endpoints';
      readonly index: number;
      readonly selector: LabelSelector;
      /** The namespace a CiliumNetworkPolicy's selector is confined to; undefined: any. */
      readonly namespace?: string;
    }
  | {
      readonly kind: 'cilium-entity';
      readonly index: number;
      readonly entity: CiliumEntity;
      /**
       * Set on `host` when the rule names `remote-node` too: together they hold every node,
       * whichever one the other side is on.
       */
      readonly anyNode?: true;
    }
  /** One side of a Calico rule: its selector, namespace and address conditions, ANDed. */
  | {
      readonly kind: 'calico-endpoints';
      readonly index: number;
      readonly endpoints: CalicoEndpoints;
    }
  /**
   * The host of the node the chain's own pod runs on, as its hostNetwork pods show it: relative
   * to that pod, so chains do not differ by node; no policy writes it, the chain of a pod
   * NetworkPolicies isolate holds it (see evaluate/node-local.ts).
   */
  | { readonly kind: 'node-host'; readonly index: number };

/** Whether a peer is a Cilium endpoint selector or entity (not a NetworkPolicy peer). */
export function isCiliumPeer(
  peer: CompiledPeer,
): peer is Extract<CompiledPeer, { kind: 'cilium-endpoints' | 'cilium-entity' }> {
  return peer.kind === 'cilium-endpoints' || peer.kind === 'cilium-entity';
}

/** The peer shapes of NetworkPolicies and cluster policies (every kind but Calico's and Cilium's). */
export type SelectorOrBlockPeer = Exclude<
  CompiledPeer,
  { kind: 'calico-endpoints' | 'cilium-endpoints' | 'cilium-entity' | 'node-host' }
>;

/** A rule ready for evaluation; empty peers or ports mean "all". */
export interface CompiledRule {
  readonly direction: Direction;
  readonly index: number;
  readonly peers: readonly SelectorOrBlockPeer[];
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

/**
 * Whether ipBlocks match the cluster's pods by their addresses. Cilium's are matched only against
 * addresses outside the cluster: its documentation lists "ipBlock set with a pod IP" among the
 * known missing features for Kubernetes Network Policy
 * (https://docs.cilium.io/en/stable/network/kubernetes/policy/, cilium/cilium#9209).
 */
export type IpBlockReach = 'pods-too' | 'outside-cluster';

/** What a cluster's network plugin makes of a NetworkPolicy's peers. */
export interface PeerReach {
  readonly ipBlocks: IpBlockReach;
  readonly hostNetworkPods: HostNetworkPeers;
}

function compilePeer(peer: PolicyPeer, index: number, reach: PeerReach): SelectorOrBlockPeer {
  if (peer.ipBlock) {
    const ipBlock = compileIpBlock(peer.ipBlock);
    return reach.ipBlocks === 'outside-cluster'
      ? { kind: 'ip-block', index, ipBlock, outsideCluster: true }
      : { kind: 'ip-block', index, ipBlock };
  }
  const hostPods =
    reach.hostNetworkPods === 'plugin-dependent' ? { hostPodsUndecided: true as const } : {};
  if (peer.namespaceSelector) {
    return {
      kind: 'pods-in-selected-namespaces',
      index,
      namespaceSelector: peer.namespaceSelector,
      ...(peer.podSelector ? { podSelector: peer.podSelector } : {}),
      ...hostPods,
    };
  }
  if (!peer.podSelector) throw new Error('internal: unvalidated empty peer');
  return { kind: 'pods-in-policy-namespace', index, podSelector: peer.podSelector, ...hostPods };
}

/**
 * Whether the network plugin enforces a port's `endPort` or cuts each range to its first port
 * (Cilium before 1.16, see CILIUM_ENDPORT_SINCE).
 */
export type EndPortReach = 'as-written' | 'ignored';

/** A rule's ports with every range cut to its first port. */
export const withoutEndPorts = (ports: readonly PolicyPort[]): readonly PolicyPort[] =>
  ports.map(({ endPort: _, ...port }) => port);

/**
 * Compiles one validated policy into matchers; `id` is its index in an Analysis, `reach` what
 * its peers match on the cluster's network plugin, `endPorts` whether it enforces endPort.
 */
export function compilePolicy(
  policy: NetworkPolicy,
  id: number,
  reach: PeerReach,
  endPorts: EndPortReach = 'as-written',
): CompiledPolicy {
  const has = (type: PolicyType) => policy.policyTypes.includes(type);
  const rules = (direction: Direction, source: NetworkPolicy['ingress']) =>
    source.map((rule, index) => ({
      direction,
      index,
      peers: rule.peers.map((peer, index) => compilePeer(peer, index, reach)),
      ports: endPorts === 'ignored' ? withoutEndPorts(rule.ports) : rule.ports,
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
