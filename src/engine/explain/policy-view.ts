import type { Analysis, Direction } from '../compile/compile.js';
import type { ScaledToZeroWorkload } from '../compile/scaled-to-zero.js';
import type { Cluster, NetworkPolicy, PolicyPeer, PolicyPort } from '../model/types.js';
import { closestNames } from '../primitives/closest-names.js';
import { type PolicyEffect, policyEffect } from '../scaffold/effect.js';
import { policyFootprint } from './footprint.js';

/** How many names a view lists per group before counting the rest. */
const LISTED_NAMES = 5;

/** A group of pods: how many, and the first few ids. */
export interface PodSample {
  readonly count: number;
  readonly first: readonly string[];
}

/** One peer of a rule and what it matches in the snapshot (null peer: the rule names none). */
export interface PeerView {
  readonly peer: PolicyPeer | null;
  /** Pods the peer matches now; absent for an ipBlock peer, which matches addresses. */
  readonly pods?: PodSample;
  /** Namespaces holding matched pods. */
  readonly namespaces?: readonly string[];
  /** The workloads scaled to zero whose pods it matches once they run. */
  readonly scaledToZero?: readonly ScaledToZeroWorkload[];
}

/** One rule of the policy: its ports and each peer's matches. */
export interface RuleView {
  readonly direction: Direction;
  readonly index: number;
  readonly ports: readonly PolicyPort[];
  readonly peers: readonly PeerView[];
}

/** What one NetworkPolicy does in a snapshot. */
export interface PolicyView {
  readonly namespace: string;
  readonly name: string;
  /** Pods the policy selects, and the directions it isolates them in. */
  readonly selected: PodSample;
  /** The workloads scaled to zero whose pods it selects once they run. */
  readonly selectedScaledToZero?: readonly ScaledToZeroWorkload[];
  readonly isolates: readonly Direction[];
  readonly rules: readonly RuleView[];
  /**
   * Flows it alone allows (opened) and flows it blocks (closed), against the snapshot without
   * it; the workloads scaled to zero it selects are `selectedScaledToZero`, not repeated here.
   */
  readonly effect: Omit<PolicyEffect, 'scaledToZero'>;
}

/** Why a named policy has no view: it is absent, with the closest names. */
export interface MissingPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly suggestions: readonly string[];
}

/** The first few ids of pods, and their count. */
export function podSample(analysis: Analysis, pods: readonly number[]): PodSample {
  return {
    count: pods.length,
    first: pods.slice(0, LISTED_NAMES).map((idx) => analysis.pods[idx]?.id ?? ''),
  };
}

/** The cluster with one NetworkPolicy taken out. */
function withoutPolicy(cluster: Cluster, policy: NetworkPolicy): Cluster {
  return { ...cluster, policies: cluster.policies.filter((p) => p !== policy) };
}

/**
 * Finds a NetworkPolicy by namespace and name: the policy, or the closest names in its
 * namespace (or across namespaces when its namespace has none).
 */
export function findPolicy(
  cluster: Cluster,
  namespace: string,
  name: string,
): { ok: true; policy: NetworkPolicy } | { ok: false; missing: MissingPolicy } {
  const policy = cluster.policies.find((p) => p.namespace === namespace && p.name === name);
  if (policy) return { ok: true, policy };
  const sameNamespace = cluster.policies.filter((p) => p.namespace === namespace);
  const candidates =
    sameNamespace.length > 0
      ? sameNamespace.map((p) => p.name)
      : cluster.policies.map((p) => `${p.namespace}/${p.name}`);
  return { ok: false, missing: { namespace, name, suggestions: closestNames(name, candidates) } };
}

/**
 * What a NetworkPolicy of the snapshot selects, what each rule's peers match, and the flows
 * that exist only because of it or that it blocks: the effect of adding it to the snapshot
 * without it, computed with the one kernel.
 */
export function policyView(analysis: Analysis, policy: NetworkPolicy): PolicyView {
  const footprint = policyFootprint(analysis, policy);
  const isolates = (['ingress', 'egress'] as const).filter((direction) =>
    policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress'),
  );
  const rules = isolates.flatMap((direction) =>
    policy[direction].map((rule, index): RuleView => {
      const matched = footprint.peers.filter(
        (p) => p.direction === direction && p.ruleIndex === index,
      );
      const peers: PeerView[] =
        rule.peers.length === 0
          ? [{ peer: null }]
          : rule.peers.map((peer, peerIndex) => {
              if (peer.ipBlock) return { peer };
              const found = matched.find((p) => p.peerIndex === peerIndex);
              const pods = found?.pods ?? [];
              const namespaces = [
                ...new Set(pods.map((idx) => analysis.pods[idx]?.namespace ?? '')),
              ].sort();
              const idle = found?.scaledToZero ?? [];
              return {
                peer,
                pods: podSample(analysis, pods),
                namespaces,
                ...(idle.length > 0 ? { scaledToZero: idle } : {}),
              };
            });
      return { direction, index, ports: rule.ports, peers };
    }),
  );
  // The workloads scaled to zero it selects are named once, by the selection: the effect's
  // list of them (what a scaffold's preview names) would repeat it.
  const { scaledToZero: _selected, ...effect } = policyEffect(
    withoutPolicy(analysis.cluster, policy),
    [policy],
    analysis.cni,
  );
  return {
    namespace: policy.namespace,
    name: policy.name,
    selected: podSample(analysis, footprint.selected),
    ...(footprint.scaledToZero.length > 0 ? { selectedScaledToZero: footprint.scaledToZero } : {}),
    isolates,
    rules,
    effect,
  };
}
