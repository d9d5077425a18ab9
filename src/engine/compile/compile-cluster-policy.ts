import type { ClusterPolicySupportUnknown } from '../cni/cluster-policy-support.js';
import type {
  ClusterNetworkPolicy,
  ClusterNode,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterRuleAction,
} from '../model/cluster-policy.js';
import { type Labels, type Pod, type PolicyPort, PROTOCOLS } from '../model/types.js';
import { compileIpBlock, hostCidr } from '../primitives/ip-block.js';
import { selectorMatches } from '../primitives/selector.js';
import type { Direction, SelectorOrBlockPeer } from './compile-policy.js';

/** A cluster policy rule ready for the kernel. */
export interface CompiledClusterRule {
  readonly direction: Direction;
  readonly index: number;
  readonly action: ClusterRuleAction;
  /**
   * The peers as the kernel matches them: pods and namespaces as selectors, networks as
   * ipBlocks, nodes as the addresses of the selected nodes. Empty: the rule matches no one known.
   */
  readonly peers: readonly SelectorOrBlockPeer[];
  readonly ports: readonly PolicyPort[];
  /** For each entry of `ports`, the index of the policy's port entry it comes from. */
  readonly portOrigins: readonly number[];
  /**
   * The names of the rule's domainNames peers: they may match addresses beyond the peers above,
   * which objects cannot tell, and match a destination known by name exactly. Empty: none.
   */
  readonly domainNames: readonly string[];
  /** Whether a nodes peer needs Node objects. */
  readonly nodes: boolean;
}

/** A cluster policy ready for the kernel; `id` is its index in an Analysis. */
export interface CompiledClusterPolicy {
  readonly id: number;
  readonly policy: ClusterNetworkPolicy;
  readonly ingress: readonly CompiledClusterRule[];
  readonly egress: readonly CompiledClusterRule[];
  /** Why the network plugin may not enforce it (taken as enforced, weighed without it). */
  readonly doubt?: ClusterPolicySupportUnknown;
}

/** A named port matches a container port of that name whatever its protocol. */
function compilePort(port: ClusterPolicyPort): PolicyPort[] {
  if (port.kind === 'named') return PROTOCOLS.map((protocol) => ({ protocol, port: port.name }));
  if (port.kind === 'number') return [{ protocol: port.protocol, port: port.port }];
  return [{ protocol: port.protocol, port: port.start, endPort: port.end }];
}

/** The CIDRs standing for one peer's addresses, as ipBlocks match them. */
function peerCidrs(peer: ClusterPolicyPeer, nodes: readonly ClusterNode[]): string[] {
  if (peer.kind === 'networks') return [...peer.cidrs];
  if (peer.kind !== 'nodes') return [];
  return nodes
    .filter((node) => selectorMatches(peer.nodeSelector, node.labels))
    .flatMap((node) => node.addresses.flatMap((address) => hostCidr(address) ?? []));
}

function compilePeer(
  peer: ClusterPolicyPeer,
  index: number,
  nodes: readonly ClusterNode[],
): SelectorOrBlockPeer[] {
  if (peer.kind === 'pods') {
    return [
      {
        kind: 'pods-in-selected-namespaces',
        index,
        namespaceSelector: peer.namespaceSelector,
        ...(peer.podSelector ? { podSelector: peer.podSelector } : {}),
      },
    ];
  }
  return peerCidrs(peer, nodes).map((cidr) => ({
    kind: 'ip-block',
    index,
    ipBlock: compileIpBlock({ cidr, except: [] }),
    ...(peer.kind === 'nodes' ? { node: true as const } : {}),
  }));
}

/** Compiles one validated cluster policy, resolving `nodes` peers on the Node objects known. */
export function compileClusterPolicy(
  policy: ClusterNetworkPolicy,
  id: number,
  nodes: readonly ClusterNode[],
): CompiledClusterPolicy {
  const rules = (direction: Direction, source: ClusterNetworkPolicy['ingress']) =>
    source.map(
      (rule, index): CompiledClusterRule => ({
        direction,
        index,
        action: rule.action,
        peers: rule.peers.flatMap((peer, peerIndex) => compilePeer(peer, peerIndex, nodes)),
        ports: rule.ports.flatMap(compilePort),
        portOrigins: rule.ports.flatMap((port, portIndex) =>
          compilePort(port).map(() => portIndex),
        ),
        domainNames: rule.peers.flatMap((peer) =>
          peer.kind === 'domain-names' ? peer.domainNames : [],
        ),
        nodes: rule.peers.some((peer) => peer.kind === 'nodes'),
      }),
    );
  return {
    id,
    policy,
    ingress: rules('ingress', policy.ingress),
    egress: rules('egress', policy.egress),
  };
}

/** Whether a cluster policy's subject selects a pod; hostNetwork pods are never subjects. */
export function subjectSelects(
  policy: ClusterNetworkPolicy,
  pod: Pod,
  namespaceLabels: Labels,
): boolean {
  const { namespaceSelector, podSelector } = policy.subject;
  return (
    !pod.hostNetwork &&
    selectorMatches(namespaceSelector, namespaceLabels) &&
    (!podSelector || selectorMatches(podSelector, pod.labels))
  );
}
