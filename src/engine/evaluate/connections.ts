import type {
  Analysis,
  CompiledPeer,
  CompiledPolicy,
  CompiledRule,
  Direction,
} from '../compile/compile.js';
import { policiesSelecting } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { ContainerPort } from '../model/types.js';
import { EMPTY_PORT_SET, type PortSet, unionPortSets } from '../primitives/port-set.js';
import { peerMatchesPod, peerMiss } from './peer-match.js';
import { resolveNamedPort, rulePortSet } from './port-match.js';
import { PortSetTable } from './port-set-table.js';

/** Tells whether a peer of a policy matches the other side of a connection. */
export type PeerPredicate = (policy: CompiledPolicy, peer: CompiledPeer) => boolean;

/** The policies restricting an endpoint in a direction; empty when it is unrestricted. */
export function restrictingPolicies(
  analysis: Analysis,
  endpoint: Endpoint,
  direction: Direction,
): readonly CompiledPolicy[] {
  if (endpoint.kind === 'external' || endpoint.pod.hostNetwork) return [];
  return policiesSelecting(analysis, endpoint.podIdx, direction);
}

/** The predicate "this peer matches that endpoint", evaluated directly. */
export function endpointPeerPredicate(analysis: Analysis, endpoint: Endpoint): PeerPredicate {
  return endpoint.kind === 'pod'
    ? (policy, peer) => peerMatchesPod(analysis, peer, policy.ref.namespace, endpoint.podIdx)
    : (policy, peer) => !peerMiss(analysis, peer, policy.ref.namespace, endpoint);
}

/**
 * Computes allowed connections as interned port sets. One side's answer depends only on the
 * policies restricting it, on which of their rules match the other side, and on how the
 * named ports of those rules resolve on the destination, so answers are memoised on that.
 */
export class ConnectionEvaluator {
  /** Interned port sets of every answer. */
  readonly table: PortSetTable;
  private readonly memo = new Map<string, number>();

  constructor(
    readonly analysis: Analysis,
    table?: PortSetTable,
  ) {
    this.table = table ?? new PortSetTable();
  }

  /**
   * The interned ports that the policies restricting `subject` in `direction` admit, where
   * `peerMatches` says which of their peers match the other side and `destinationPorts`
   * are the destination's container ports (undefined outside the cluster).
   */
  side(
    direction: Direction,
    subject: Endpoint,
    peerMatches: PeerPredicate,
    destinationPorts: readonly ContainerPort[] | undefined,
  ): number {
    const policies = restrictingPolicies(this.analysis, subject, direction);
    if (policies.length === 0) return PortSetTable.FULL;
    let key = `${direction}:`;
    const hitRules: CompiledRule[] = [];
    for (const policy of policies) {
      key += `${policy.id}:`;
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        const hit = rule.peers.length === 0 || rule.peers.some((peer) => peerMatches(policy, peer));
        key += hit ? '1' : '0';
        if (!hit) continue;
        for (const port of rule.ports) {
          if (typeof port.port === 'string') {
            key += `(${resolveNamedPort(port.port, port.protocol, destinationPorts) ?? ''})`;
          }
        }
        hitRules.push(rule);
      }
      key += ';';
    }
    let id = this.memo.get(key);
    if (id === undefined) {
      const sets = hitRules.map((rule) => rulePortSet(rule.ports, destinationPorts));
      id = this.table.intern(sets.length === 0 ? EMPTY_PORT_SET : unionPortSets(sets));
      this.memo.set(key, id);
    }
    return id;
  }

  /** The interned connections from source to destination: egress AND ingress; self is open. */
  connectionId(source: Endpoint, destination: Endpoint): number {
    if (
      source.kind === 'pod' &&
      destination.kind === 'pod' &&
      source.podIdx === destination.podIdx
    ) {
      return PortSetTable.FULL;
    }
    const destinationPorts = destination.kind === 'pod' ? destination.pod.ports : undefined;
    const egress = this.side(
      'egress',
      source,
      endpointPeerPredicate(this.analysis, destination),
      destinationPorts,
    );
    if (egress === PortSetTable.EMPTY) return egress;
    const ingress = this.side(
      'ingress',
      destination,
      endpointPeerPredicate(this.analysis, source),
      destinationPorts,
    );
    return this.table.intersect(egress, ingress);
  }
}

/** Every protocol and port on which source may connect to destination. */
export function allowedConnections(
  analysis: Analysis,
  source: Endpoint,
  destination: Endpoint,
): PortSet {
  const evaluator = new ConnectionEvaluator(analysis);
  return evaluator.table.get(evaluator.connectionId(source, destination));
}
