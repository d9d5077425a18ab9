import type { Pod, PolicyPort } from '../model/types.js';
import type { CompiledPeer, CompiledPolicy, CompiledRule, Direction } from './compile-policy.js';
import type { Undecided, UndecidedLayer } from './undecided.js';

/** What a rule does with the connections it matches: pass leaves them to the next tier. */
export type RuleAction = 'accept' | 'deny' | 'pass';

/**
 * The policy layers a cluster evaluates, in this order: the Admin tier of cluster network
 * policies, NetworkPolicy, then the Baseline tier. Only NetworkPolicy is read yet; the other
 * tiers, and a network plugin's own policies, join chains as data.
 */
export type TierName = 'admin' | 'networkpolicy' | 'baseline';

/** Where a rule of a chain comes from, for explanations. */
export type RuleOrigin =
  | {
      readonly kind: 'networkpolicy-rule';
      readonly policy: CompiledPolicy;
      readonly rule: CompiledRule;
    }
  /** Isolation: a pod selected by a NetworkPolicy is denied what no rule allows. */
  | { readonly kind: 'networkpolicy-isolation' };

/** One rule of a chain, with its action and its place in its tier. */
export interface ChainRule {
  readonly tier: TierName;
  readonly action: RuleAction;
  /**
   * Within a tier, the rules of the lowest rank that match decide, together; rules of one
   * rank share their action.
   */
  readonly rank: number;
  /** The namespace a bare podSelector peer looks in. */
  readonly namespace: string;
  /** Peers the other side must match; empty: anyone. */
  readonly peers: readonly CompiledPeer[];
  /** Port entries; empty: every port. */
  readonly ports: readonly PolicyPort[];
  readonly origin: RuleOrigin;
}

/**
 * Everything that governs one direction of a pod, as rules in evaluation order (by tier, then
 * rank). Connections no rule decides are allowed. Pods governed alike share one chain.
 */
export interface RuleChain {
  /** Unique among the chains of an analysis: the memo key of answers. */
  readonly id: number;
  readonly direction: Direction;
  /** The NetworkPolicies selecting the pod in this direction (it is isolated when any does). */
  readonly isolatedBy: readonly CompiledPolicy[];
  readonly rules: readonly ChainRule[];
  /** Whether a rule names a port: answers then depend on the destination's container ports. */
  readonly namedPorts: boolean;
  /**
   * What the engine could not read or does not evaluate that could change this side's answers:
   * when not empty, the side is UNKNOWN whatever its rules say.
   */
  readonly undecided: readonly UndecidedLayer[];
}

/** The chains of every pod, and those of addresses outside the known pods. */
export interface PodChains {
  readonly ingress: readonly RuleChain[];
  readonly egress: readonly RuleChain[];
  readonly external: Readonly<Record<Direction, RuleChain>>;
}

const hasNamespaceSelector = (rules: readonly ChainRule[]) =>
  rules.some((rule) => rule.peers.some((peer) => peer.kind === 'pods-in-selected-namespaces'));

function networkPolicyTier(policies: readonly CompiledPolicy[], direction: Direction): ChainRule[] {
  if (policies.length === 0) return [];
  const tier = 'networkpolicy';
  const allows = policies.flatMap((policy) =>
    (direction === 'ingress' ? policy.ingress : policy.egress).map(
      (rule): ChainRule => ({
        tier,
        action: 'accept',
        rank: 0,
        namespace: policy.ref.namespace,
        peers: rule.peers,
        ports: rule.ports,
        origin: { kind: 'networkpolicy-rule', policy, rule },
      }),
    ),
  );
  const isolation: ChainRule = {
    tier,
    action: 'deny',
    rank: 1,
    namespace: policies[0]?.ref.namespace ?? '',
    peers: [],
    ports: [],
    origin: { kind: 'networkpolicy-isolation' },
  };
  return [...allows, isolation];
}

/**
 * Builds the chain of every pod in both directions from the policies isolating it (by policy
 * id, per pod) and what could not be seen. Policies do not apply to hostNetwork pods.
 */
export function buildChains(
  pods: readonly Pod[],
  policies: readonly CompiledPolicy[],
  isolating: Readonly<Record<Direction, readonly (readonly number[])[]>>,
  undecided: Undecided,
): PodChains {
  let nextId = 0;
  const chainOf = (
    direction: Direction,
    selecting: readonly CompiledPolicy[],
    layers: readonly UndecidedLayer[],
  ): RuleChain => {
    const rules = networkPolicyTier(selecting, direction);
    return {
      id: nextId++,
      direction,
      isolatedBy: selecting,
      rules,
      namedPorts: rules.some((rule) => rule.ports.some((port) => typeof port.port === 'string')),
      undecided:
        undecided.namespaceLabels.length > 0 && hasNamespaceSelector(rules)
          ? [...layers, ...undecided.namespaceLabels]
          : layers,
    };
  };
  // Layers depend only on the namespace and hostNetwork: computed once per such group.
  const layersByGroup = new Map<string, readonly UndecidedLayer[]>();
  const groups = pods.map((pod) => {
    const group = `${pod.hostNetwork}/${pod.namespace}`;
    if (!layersByGroup.has(group)) layersByGroup.set(group, undecided.forPod(pod));
    return group;
  });
  const chainsFor = (direction: Direction) => {
    const interned = new Map<string, RuleChain>();
    return pods.map((pod, podIdx) => {
      const ids = pod.hostNetwork ? [] : (isolating[direction][podIdx] ?? []);
      const group = groups[podIdx] as string;
      const layers = layersByGroup.get(group) ?? [];
      // Pods alike in policies (and, when something is undecided, in group) share a chain.
      const key = layers.length === 0 ? ids.join(',') : `${ids.join(',')}|${group}`;
      let chain = interned.get(key);
      if (!chain) {
        const selecting = ids.map((id) => policies[id] as CompiledPolicy);
        chain = chainOf(direction, selecting, layers);
        interned.set(key, chain);
      }
      return chain;
    });
  };
  return {
    ingress: chainsFor('ingress'),
    egress: chainsFor('egress'),
    external: {
      ingress: chainOf('ingress', [], undecided.addresses),
      egress: chainOf('egress', [], undecided.addresses),
    },
  };
}
