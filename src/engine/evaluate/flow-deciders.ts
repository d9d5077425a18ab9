import type { CiliumSctpDrop } from '../compile/chains.js';
import type { Analysis, Direction, PolicyRef } from '../compile/compile.js';
import { podEndpoint } from '../compile/endpoint.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import type { ClusterRuleAction } from '../model/cluster-policy.js';
import { PROTOCOLS, type Protocol } from '../model/types.js';
import type { PortSet } from '../primitives/port-set.js';
import { type FamilyName, namedFamilyView } from './address-families.js';
import type { CalicoTierStep } from './calico-verdict.js';
import {
  type DirectionVerdict,
  directionAllows,
  evaluateFlow,
  type Outcome,
  type UnrestrictedReason,
} from './evaluate.js';

/** What decides one side of a flow, in short: a rule, an isolation no rule lifts, or what is unseen. */
export type SideDecider = { readonly direction: Direction } & (
  | { readonly kind: 'unrestricted'; readonly reason: UnrestrictedReason }
  /** A NetworkPolicy rule admitting the flow. */
  | { readonly kind: 'rule'; readonly policy: PolicyRef; readonly ruleIndex: number }
  | {
      readonly kind: 'cluster-rule';
      readonly policy: string;
      readonly ruleIndex: number;
      readonly ruleName?: string;
      readonly action: ClusterRuleAction;
    }
  /** A Cilium rule admitting or denying the flow. */
  | {
      readonly kind: 'cilium-rule';
      readonly policy: string;
      readonly ruleIndex: number;
      readonly action: 'allow' | 'deny';
    }
  /** A Calico policy rule, or the end of a Calico tier, decided the flow. */
  | { readonly kind: 'calico'; readonly step: CalicoTierStep }
  /** Cilium's datapath drops the flow (SCTP) before any policy. */
  | { readonly kind: 'cilium-datapath'; readonly sctp: CiliumSctpDrop }
  /** The other side is the host of the pod's node: always allowed (node absent: assumed). */
  | { readonly kind: 'node-local'; readonly node?: string }
  /** Isolated by these NetworkPolicies, and none of their rules admits the flow. */
  | { readonly kind: 'isolation'; readonly policies: readonly PolicyRef[] }
  | { readonly kind: 'undecided'; readonly layers: readonly UndecidedLayer[] }
);

/** What decides a flow on one port, side by side. */
export interface FlowDecision {
  readonly protocol: Protocol;
  readonly port: number;
  readonly outcome: Outcome;
  /** The sides behind the outcome: both when allowed, the denying or undecided ones otherwise. */
  readonly sides: readonly SideDecider[];
}

/** The short form of what decides a side. */
function sideDecider(direction: Direction, verdict: DirectionVerdict): SideDecider {
  if (verdict.undecided) return { direction, kind: 'undecided', layers: verdict.undecided };
  switch (verdict.kind) {
    case 'unrestricted':
      return { direction, kind: 'unrestricted', reason: verdict.reason };
    case 'cluster-policy': {
      const { policy, ruleIndex, ruleName, action } = verdict.match;
      return {
        direction,
        kind: 'cluster-rule',
        policy,
        ruleIndex,
        ...(ruleName ? { ruleName } : {}),
        action,
      };
    }
    case 'cilium-policy': {
      const [match] = verdict.matches;
      if (!match) return { direction, kind: 'isolation', policies: verdict.isolatedBy };
      const { policy, ruleIndex, action } = match;
      return { direction, kind: 'cilium-rule', policy, ruleIndex, action };
    }
    case 'allowed': {
      const [match] = verdict.matches;
      if (!match) return { direction, kind: 'isolation', policies: verdict.isolatedBy };
      return { direction, kind: 'rule', policy: match.policy, ruleIndex: match.ruleIndex };
    }
    case 'calico':
      return { direction, kind: 'calico', step: verdict.match };
    case 'cilium-datapath':
      return { direction, kind: 'cilium-datapath', sctp: verdict.sctp };
    case 'node-local':
      return { direction, kind: 'node-local', ...(verdict.node ? { node: verdict.node } : {}) };
    case 'denied':
      return { direction, kind: 'isolation', policies: verdict.isolatedBy };
  }
}

/** The first port of a non-empty port set, in protocol order. */
function firstPort(ports: PortSet): { protocol: Protocol; port: number } | undefined {
  const protocol = PROTOCOLS.find((p) => ports[p].length > 0);
  const range = protocol ? ports[protocol][0] : undefined;
  return protocol && range ? { protocol, port: range[0] } : undefined;
}

/**
 * What decides the flow between two pods of the analysis on the first port of `ports`,
 * through the engine's flow evaluation; with `family`, over that address family alone.
 * Undefined when a pod is not in the analysis.
 */
export function flowDecision(
  analysis: Analysis,
  from: string,
  to: string,
  ports: PortSet,
  family?: FamilyName,
): FlowDecision | undefined {
  const source = analysis.podIndex.get(from);
  const destination = analysis.podIndex.get(to);
  const first = firstPort(ports);
  if (source === undefined || destination === undefined || !first) return undefined;
  const verdict = evaluateFlow(
    family ? namedFamilyView(analysis, family) : analysis,
    podEndpoint(analysis, source),
    podEndpoint(analysis, destination),
    first.protocol,
    first.port,
  );
  const sides = (['egress', 'ingress'] as const).flatMap((direction) => {
    const side = verdict[direction];
    const relevant =
      verdict.verdict === 'ALLOWED' ||
      (verdict.verdict === 'UNKNOWN' ? side.undecided !== undefined : !directionAllows(side));
    return relevant ? [sideDecider(direction, side)] : [];
  });
  return { ...first, outcome: verdict.verdict, sides };
}
