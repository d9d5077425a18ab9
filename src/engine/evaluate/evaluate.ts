import type {
  Analysis,
  CompiledPolicy,
  CompiledRule,
  Direction,
  PolicyRef,
} from '../compile/compile.js';
import { policiesSelecting } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { ContainerPort, Protocol } from '../model/types.js';
import { type PeerMiss, peerMiss } from './peer-match.js';
import { type PortMiss, portMiss } from './port-match.js';

/** Why a direction places no restriction on a connection. */
export type UnrestrictedReason =
  /** No policy selects the pod for this direction. */
  | 'no-policy'
  /** Policies do not apply to pods in the host network namespace. */
  | 'host-network'
  /** The endpoint is not a pod of the cluster; its own side is not governed by policies. */
  | 'outside-cluster'
  /** A pod can always reach itself. */
  | 'self';

/** One (policy, rule, peer, port) combination that allows a connection; null index: "all". */
export interface RuleMatch {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  readonly ruleIndex: number;
  readonly peerIndex: number | null;
  readonly portIndex: number | null;
}

/** Why one rule of an isolating policy did not allow a connection. */
export interface RuleMiss {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  readonly ruleIndex: number;
  /** Why each peer failed; empty when a peer (or the absence of peers) matched. */
  readonly peerMisses: readonly PeerMiss[];
  /** Why each port entry failed; empty when a port entry (or the absence of ports) matched. */
  readonly portMisses: readonly PortMiss[];
}

/** A policy that isolates the pod in a direction and has no rules at all for it. */
export interface RulelessPolicy {
  readonly policy: PolicyRef;
  readonly direction: Direction;
}

/** The outcome of one direction (the source's egress or the destination's ingress). */
export type DirectionVerdict =
  | { readonly kind: 'unrestricted'; readonly reason: UnrestrictedReason }
  | {
      readonly kind: 'allowed';
      readonly isolatedBy: readonly PolicyRef[];
      readonly matches: readonly RuleMatch[];
    }
  | {
      readonly kind: 'denied';
      readonly isolatedBy: readonly PolicyRef[];
      readonly misses: readonly RuleMiss[];
      readonly rulelessPolicies: readonly RulelessPolicy[];
    };

/** The verdict on one connection, with the reasons of both sides. */
export interface FlowVerdict {
  readonly allowed: boolean;
  readonly protocol: Protocol;
  readonly port: number;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

interface Question {
  readonly analysis: Analysis;
  readonly peer: Endpoint;
  readonly destinationPorts: readonly ContainerPort[] | undefined;
  readonly protocol: Protocol;
  readonly port: number;
}

function evaluateRule(
  question: Question,
  policy: CompiledPolicy,
  rule: CompiledRule,
): { matches: RuleMatch[]; miss?: RuleMiss } {
  const { analysis, peer, destinationPorts, protocol, port } = question;
  const peerMisses: PeerMiss[] = [];
  const peerHits: (number | null)[] = rule.peers.length === 0 ? [null] : [];
  for (const compiled of rule.peers) {
    const miss = peerMiss(analysis, compiled, policy.ref.namespace, peer);
    if (miss) peerMisses.push(miss);
    else peerHits.push(compiled.index);
  }
  const portMisses: PortMiss[] = [];
  const portHits: (number | null)[] = rule.ports.length === 0 ? [null] : [];
  rule.ports.forEach((entry, index) => {
    const miss = portMiss(entry, index, destinationPorts, protocol, port);
    if (miss) portMisses.push(miss);
    else portHits.push(index);
  });
  if (peerHits.length > 0 && portHits.length > 0) {
    const matches = peerHits.flatMap((peerIndex) =>
      portHits.map((portIndex) => ({
        policy: policy.ref,
        direction: rule.direction,
        ruleIndex: rule.index,
        peerIndex,
        portIndex,
      })),
    );
    return { matches };
  }
  return {
    matches: [],
    miss: {
      policy: policy.ref,
      direction: rule.direction,
      ruleIndex: rule.index,
      peerMisses: peerHits.length > 0 ? [] : peerMisses,
      portMisses: portHits.length > 0 ? [] : portMisses,
    },
  };
}

/** Evaluates the rules of the policies isolating a pod in one direction. */
function evaluateIsolated(
  question: Question,
  policies: readonly CompiledPolicy[],
  direction: Direction,
): DirectionVerdict {
  const matches: RuleMatch[] = [];
  const misses: RuleMiss[] = [];
  const rulelessPolicies: RulelessPolicy[] = [];
  for (const policy of policies) {
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    if (rules.length === 0) rulelessPolicies.push({ policy: policy.ref, direction });
    for (const rule of rules) {
      const result = evaluateRule(question, policy, rule);
      matches.push(...result.matches);
      if (result.miss) misses.push(result.miss);
    }
  }
  const isolatedBy = policies.map((policy) => policy.ref);
  return matches.length > 0
    ? { kind: 'allowed', isolatedBy, matches }
    : { kind: 'denied', isolatedBy, misses, rulelessPolicies };
}

function evaluateSide(
  analysis: Analysis,
  direction: Direction,
  subject: Endpoint,
  question: Question,
): DirectionVerdict {
  if (subject.kind === 'external') return { kind: 'unrestricted', reason: 'outside-cluster' };
  if (subject.pod.hostNetwork) return { kind: 'unrestricted', reason: 'host-network' };
  const policies = policiesSelecting(analysis, subject.podIdx, direction);
  if (policies.length === 0) return { kind: 'unrestricted', reason: 'no-policy' };
  return evaluateIsolated(question, policies, direction);
}

const SELF: DirectionVerdict = { kind: 'unrestricted', reason: 'self' };

/** True when a verdict of one direction lets the connection through. */
export function directionAllows(verdict: DirectionVerdict): boolean {
  return verdict.kind !== 'denied';
}

/**
 * Whether source may open a connection to destination on protocol/port: the source's egress
 * and the destination's ingress must both allow it. A pod may always reach itself.
 */
export function evaluateFlow(
  analysis: Analysis,
  source: Endpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
): FlowVerdict {
  if (source.kind === 'pod' && destination.kind === 'pod' && source.podIdx === destination.podIdx) {
    return { allowed: true, protocol, port, egress: SELF, ingress: SELF };
  }
  const destinationPorts = destination.kind === 'pod' ? destination.pod.ports : undefined;
  const egress = evaluateSide(analysis, 'egress', source, {
    analysis,
    peer: destination,
    destinationPorts,
    protocol,
    port,
  });
  const ingress = evaluateSide(analysis, 'ingress', destination, {
    analysis,
    peer: source,
    destinationPorts,
    protocol,
    port,
  });
  return {
    allowed: directionAllows(egress) && directionAllows(ingress),
    protocol,
    port,
    egress,
    ingress,
  };
}
