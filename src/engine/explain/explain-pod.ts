import {
  type CalicoCatchAll,
  type CalicoTierIsolation,
  calicoCatchAlls,
  calicoPolicies,
  isIsolated,
  isolationSources,
} from '../compile/chain-isolation.js';
import { byEvaluationOrder, type CiliumIsolation, type RuleChain } from '../compile/chains.js';
import type {
  Analysis,
  CompiledPeer,
  CompiledPolicy,
  Direction,
  PolicyRef,
} from '../compile/compile.js';
import {
  type Endpoint,
  endpointChain,
  type PodEndpoint,
  podEndpoint,
} from '../compile/endpoint.js';
import { type ServiceAddresses, servicesInIpBlock } from '../compile/services.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import { restrictingPolicies } from '../evaluate/connections.js';
import type { ConnectivityMatrix } from '../evaluate/matrix.js';
import type { PeerIndex } from '../evaluate/peer-index.js';
import { candidatePods, peerMatchesPod } from '../evaluate/peer-match.js';
import { PortSetTable } from '../evaluate/port-set-table.js';
import {
  pairReach,
  type ReachablePod,
  reachablePod,
  reachablePods,
} from '../evaluate/reachable.js';
import {
  podRestrictingTiers,
  type RestrictingTier,
  type RestrictingTiersMemo,
} from '../evaluate/restricting-tiers.js';
import { podsMaybeMatching } from '../evaluate/undecided-peers.js';
import {
  type ClusterPolicyRule,
  type ClusterPolicyTier,
  clusterPolicyName,
} from '../model/cluster-policy.js';
import {
  isSinglePod,
  type Pod,
  type PolicyPeer,
  type PolicyPort,
  type Service,
} from '../model/types.js';
import { type MaskedClientDoubt, maskedClientDoubts, maskingServices } from './masked-grants.js';
import { type PluginRuleGrant, pluginRuleGrants, type RuleDoubts } from './plugin-rules.js';

/** One peer of one rule that lets traffic through in a direction. */
export interface PeerGrant {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  readonly ruleIndex: number;
  /** null when the rule names no peers and so admits every source or destination. */
  readonly peerIndex: number | null;
  readonly peer: PolicyPeer | null;
  /** The rule's ports; empty means every port. Named ports resolve on the destination. */
  readonly ports: readonly PolicyPort[];
  /** Ids of the pods this peer covers (for an ipBlock: the pods whose address is inside). */
  readonly matchedPods: readonly string[];
  /**
   * For an ipBlock: the Services whose ClusterIPs it contains (policies usually see their
   * backends instead); absent when none.
   */
  readonly services?: readonly ServiceAddresses[];
  /**
   * Ids of the pods it may or may not cover: for an ipBlock, by their unknown IP; for a
   * namespaceSelector, by the labels of their namespace, not in the input. Absent when none.
   */
  readonly maybePods?: readonly string[];
  /**
   * For an ingress ipBlock: the doubt that a Service fronting the pod puts on its clients, who
   * may reach the pod from a node's address instead (as `check CLIENT svc/NAME` says); absent
   * when none. Straight to the pod's address the grant stands.
   */
  readonly routeDoubts?: readonly MaskedClientDoubt[];
}

/** A rule of a cluster policy governing a pod, listed in evaluation order. */
export interface ClusterRuleGrant {
  /** `cnp/NAME` (`anp/`, `banp/` for the deprecated kinds). */
  readonly policy: string;
  readonly tier: ClusterPolicyTier;
  readonly priority: number;
  readonly direction: Direction;
  readonly ruleIndex: number;
  readonly rule: ClusterPolicyRule;
}

/** How a pod is restricted in one direction. */
export type Restriction =
  | { readonly kind: 'unrestricted'; readonly reason: 'no-policy' }
  /** No policy isolates the pod, but these tiers deny some of its connections. */
  | { readonly kind: 'restricted'; readonly tiers: readonly RestrictingTier[] }
  | {
      readonly kind: 'unrestricted';
      readonly reason: 'host-network';
      /**
       * The NetworkPolicies selecting the pod where the plugin may apply them to hostNetwork
       * pods: they isolate it in that reading only. Absent: none does, or the plugin is known
       * never to.
       */
      readonly selectedBy?: readonly PolicyRef[];
    }
  | {
      readonly kind: 'isolated';
      readonly policies: readonly PolicyRef[];
      /** What puts the pod in Cilium's default-deny too, when something does. */
      readonly cilium?: CiliumIsolation;
      /** The Calico tiers whose default Deny isolates the pod too; absent when none does. */
      readonly calico?: readonly CalicoTierIsolation[];
    };

/** What a pod may receive (ingress) or send (egress). */
export interface DirectionExposure {
  readonly direction: Direction;
  readonly restriction: Restriction;
  /** Each rule peer that admits traffic; empty when unrestricted or when no rule exists. */
  readonly grants: readonly PeerGrant[];
  /** Pods actually allowed on the other side, considering both sides' policies. */
  readonly pods: readonly ReachablePod[];
  /** What could change this side's answers (it is UNKNOWN then); absent when nothing. */
  readonly undecided?: readonly UndecidedLayer[];
  /**
   * The rules of the cluster policies governing the pod, Admin tier first (by priority, then
   * rule order), then Baseline; absent when none governs it.
   */
  readonly clusterRules?: readonly ClusterRuleGrant[];
  /** The Calico policies governing the pod (kubectl names, in evaluation order); absent: none. */
  readonly calicoPolicies?: readonly string[];
  /**
   * The Calico tiers that allow or pass on every connection their earlier rules leave, by the
   * rule that does (their end is never reached); absent: none.
   */
  readonly calicoOpenTiers?: readonly CalicoCatchAll[];
  /** The Cilium and Calico rules of the pod's chain, in evaluation order; absent: none. */
  readonly pluginRules?: readonly PluginRuleGrant[];
  /**
   * Traffic with the host of the pod's node, always allowed to a pod NetworkPolicies isolate:
   * the node (absent: not known), and the plugin whose own policies may apply to it too.
   */
  readonly nodeLocal?: { readonly node?: string; readonly plugin?: 'Cilium' | 'Calico' };
}

/**
 * The node-local rule of a pod's chain, as explanations show it, with the pod's node; undefined
 * when it has none.
 */
function nodeLocalOf(chain: RuleChain, node: string | undefined): DirectionExposure['nodeLocal'] {
  const rule = chain.rules.find(({ origin }) => origin.kind === 'node-local');
  if (!rule) return undefined;
  const plugin =
    rule.unreadLayer?.kind === 'node-local-plugin' ? rule.unreadLayer.plugin : undefined;
  return { ...(node === undefined ? {} : { node }), ...(plugin ? { plugin } : {}) };
}

const TIER_ORDER: readonly ClusterPolicyTier[] = ['Admin', 'Baseline'];

/** The rules of a chain's cluster policies, in the order the kernel evaluates them. */
function clusterRulesOf(chain: RuleChain, direction: Direction): ClusterRuleGrant[] {
  return TIER_ORDER.flatMap((tier) =>
    chain.clusterPolicies
      .filter(({ policy }) => policy.tier === tier)
      .sort(byEvaluationOrder)
      .flatMap(({ policy }) =>
        (direction === 'ingress' ? policy.ingress : policy.egress).map((rule, ruleIndex) => ({
          policy: clusterPolicyName(policy),
          tier,
          priority: policy.priority,
          direction,
          ruleIndex,
          rule,
        })),
      ),
  );
}

/** Everything one pod is exposed to and may reach. */
export interface PodExposure {
  readonly pod: Pod;
  readonly ingress: DirectionExposure;
  readonly egress: DirectionExposure;
}

/**
 * Pods a peer matches, and those it may match by their unknown IP or namespace labels: from the
 * index when there is one, else among the pods it can see.
 */
function podsMatching(
  analysis: Analysis,
  peer: CompiledPeer,
  policy: CompiledPolicy,
  index?: PeerIndex,
): { sure: readonly number[]; maybe: readonly number[] } {
  const id = index?.idOf.get(peer) ?? -1;
  const indexed = index?.podsOf[id];
  if (indexed) return { sure: indexed, maybe: index?.partlyOf[id] ?? [] };
  const namespace = policy.ref.namespace;
  const candidates = candidatePods(analysis, peer, namespace);
  const sure = candidates.filter((idx) => peerMatchesPod(analysis, peer, namespace, idx));
  const maybe =
    peer.kind === 'ip-block'
      ? candidates.filter(
          (idx) =>
            !peerMatchesPod(analysis, peer, namespace, idx) &&
            peerMatchesPod(analysis, peer, namespace, idx, 'inside'),
        )
      : podsMaybeMatching(analysis, peer, namespace);
  return { sure, maybe };
}

function grantsOf(
  analysis: Analysis,
  subject: PodEndpoint,
  policies: readonly CompiledPolicy[],
  direction: Direction,
  index: PeerIndex | undefined,
  services: () => readonly Service[],
): PeerGrant[] {
  const grants: PeerGrant[] = [];
  for (const policy of policies) {
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    const raw = direction === 'ingress' ? policy.policy.ingress : policy.policy.egress;
    for (const rule of rules) {
      const base = { policy: policy.ref, direction, ruleIndex: rule.index, ports: rule.ports };
      if (rule.peers.length === 0) {
        grants.push({
          ...base,
          peerIndex: null,
          peer: null,
          matchedPods: analysis.pods.map((p) => p.id),
        });
        continue;
      }
      for (const peer of rule.peers) {
        const { sure, maybe } = podsMatching(analysis, peer, policy, index);
        const ids = (idxs: readonly number[]) => idxs.map((idx) => (analysis.pods[idx] as Pod).id);
        const rawPeer = raw[rule.index]?.peers[peer.index] ?? null;
        const inBlock = peer.kind === 'ip-block' ? servicesInIpBlock(analysis, peer.ipBlock) : [];
        const ref = {
          kind: 'networkpolicy' as const,
          policy: policy.ref,
          ruleIndex: rule.index,
          peerIndex: peer.index,
        };
        const doubts =
          direction === 'ingress'
            ? maskedClientDoubts(analysis, subject, ref, [peer], services)
            : [];
        grants.push({
          ...base,
          peerIndex: peer.index,
          peer: rawPeer,
          matchedPods: ids(sure),
          ...(inBlock.length > 0 ? { services: inBlock } : {}),
          ...(maybe.length > 0 ? { maybePods: ids(maybe) } : {}),
          ...(doubts.length > 0 ? { routeDoubts: doubts } : {}),
        });
      }
    }
  }
  return grants;
}

function restrictionOf(
  analysis: Analysis,
  subject: Endpoint,
  direction: Direction,
  memo: RestrictingTiersMemo | undefined,
): Restriction {
  const chain = endpointChain(analysis, subject, direction);
  if (subject.kind === 'pod' && subject.pod.hostNetwork) {
    const selecting = chain.hostNetworkSelecting;
    return {
      kind: 'unrestricted',
      reason: 'host-network',
      ...(selecting ? { selectedBy: selecting.map((policy) => policy.ref) } : {}),
    };
  }
  if (isIsolated(chain)) return { kind: 'isolated', ...isolationSources(chain) };
  const tiers =
    subject.kind === 'pod' ? podRestrictingTiers(analysis, subject, direction, memo) : [];
  return tiers.length > 0
    ? { kind: 'restricted', tiers }
    : { kind: 'unrestricted', reason: 'no-policy' };
}

/** Precomputed structures that make explaining many pods cheap (the TUI keeps them). */
export interface ExplainContext {
  /** A matrix over all pods of the analysis: reachable pods are read from its row and column. */
  readonly matrix?: ConnectivityMatrix;
  readonly peerIndex?: PeerIndex;
  /** The Deny rules' reach, kept from the pods explained before (of the same analysis). */
  readonly restrictingTiers?: RestrictingTiersMemo;
}

/** Each pod's position in the matrix, when the matrix covers every pod of the analysis. */
function matrixPositions(analysis: Analysis, matrix: ConnectivityMatrix | undefined) {
  if (!matrix || matrix.podIdxs.length !== analysis.pods.length) return undefined;
  const positions = new Int32Array(analysis.pods.length).fill(-1);
  matrix.podIdxs.forEach((podIdx, position) => {
    positions[podIdx] = position;
  });
  return positions.includes(-1) ? undefined : { matrix, positions };
}

function reachableFromMatrix(
  analysis: Analysis,
  { matrix, positions }: { matrix: ConnectivityMatrix; positions: Int32Array },
  podIdx: number,
  direction: Direction,
): ReachablePod[] {
  const pods: ReachablePod[] = [];
  const self = positions[podIdx] as number;
  analysis.pods.forEach((pod, other) => {
    if (other === podIdx && isSinglePod(pod)) return;
    const position = positions[other] as number;
    const [from, to] = direction === 'ingress' ? [position, self] : [self, position];
    const id = matrix.connectionId(from, to);
    const families = matrix.familyIds?.(from, to);
    if (id === PortSetTable.EMPTY && !families) return;
    const reaches = families && {
      IPv4: pairReach(matrix, families.IPv4),
      IPv6: pairReach(matrix, families.IPv6),
    };
    pods.push(
      reachablePod(pod.id, matrix.portSet(id), matrix.undecidedConnections(from, to), reaches),
    );
  });
  return pods;
}

/**
 * Explains one pod: the policies isolating it per direction, the rule peers that admit
 * traffic, and the pods actually allowed to reach it and that it may reach.
 */
export function explainPod(
  analysis: Analysis,
  podIdx: number,
  context: ExplainContext = {},
): PodExposure {
  const { matrix, peerIndex, restrictingTiers } = context;
  const fullMatrix = matrixPositions(analysis, matrix);
  const subject = podEndpoint(analysis, podIdx);
  let fronting: readonly Service[] | undefined;
  const services = () => {
    fronting ??= maskingServices(analysis, subject);
    return fronting;
  };
  const exposure = (direction: Direction): DirectionExposure => {
    const restriction = restrictionOf(analysis, subject, direction, restrictingTiers);
    const policies = restrictingPolicies(analysis, subject, direction);
    const chain = endpointChain(analysis, subject, direction);
    const { undecided } = chain;
    const clusterRules = clusterRulesOf(chain, direction);
    const calico = calicoPolicies(chain);
    const openTiers = calicoCatchAlls(chain).filter((tier) => tier.action !== 'deny');
    const doubts: RuleDoubts | undefined =
      direction === 'ingress'
        ? (grant, peers) => maskedClientDoubts(analysis, subject, grant, peers, services)
        : undefined;
    const pluginRules = subject.pod.hostNetwork ? [] : pluginRuleGrants(analysis, chain, doubts);
    const nodeLocal = nodeLocalOf(chain, subject.pod.nodeName);
    return {
      direction,
      restriction,
      ...(undecided.length > 0 ? { undecided } : {}),
      ...(clusterRules.length > 0 ? { clusterRules } : {}),
      ...(calico.length > 0 ? { calicoPolicies: calico } : {}),
      ...(openTiers.length > 0 ? { calicoOpenTiers: openTiers } : {}),
      ...(pluginRules.length > 0 ? { pluginRules } : {}),
      ...(nodeLocal ? { nodeLocal } : {}),
      grants: grantsOf(analysis, subject, policies, direction, peerIndex, services),
      pods: fullMatrix
        ? reachableFromMatrix(analysis, fullMatrix, podIdx, direction)
        : reachablePods(analysis, podIdx, direction, peerIndex),
    };
  };
  return { pod: subject.pod, ingress: exposure('ingress'), egress: exposure('egress') };
}
