import {
  type CalicoTierIsolation,
  isIsolated,
  isolationSources,
} from '../compile/chain-isolation.js';
import type { CiliumIsolation, RuleChain } from '../compile/chains.js';
import type { Analysis, Direction, PolicyRef } from '../compile/compile.js';
import { endpointChain, type PodEndpoint, podEndpoint } from '../compile/endpoint.js';
import {
  podRestrictingTiers,
  type RestrictingTier,
  type RestrictingTiersMemo,
  restrictingTiersMemo,
} from '../evaluate/restricting-tiers.js';
import { isEmptySelector } from '../primitives/selector.js';

/**
 * How one direction of a pod stands: open (nothing denies any of it), restricted by tiers that
 * deny some of it while no policy isolates it, isolated by some policies, or on the host network.
 */
export type IsolationState =
  | { readonly kind: 'open' }
  | { readonly kind: 'host-network' }
  | { readonly kind: 'restricted'; readonly tiers: readonly RestrictingTier[] }
  | {
      readonly kind: 'isolated';
      readonly policies: readonly PolicyRef[];
      /** What puts the pod in Cilium's default-deny too, when something does. */
      readonly cilium?: CiliumIsolation;
      /** The Calico tiers whose default Deny isolates the pod too; absent when none does. */
      readonly calico?: readonly CalicoTierIsolation[];
    };

/** One pod's line of the overview. */
export interface PodSummary {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly ips: readonly string[];
  readonly ingress: IsolationState;
  readonly egress: IsolationState;
  /** The directions whose answers a layer not read or not evaluated may change (UNKNOWN). */
  readonly undecided: readonly Direction[];
}

/** One namespace of the overview. */
export interface NamespaceSummary {
  readonly name: string;
  readonly pods: number;
  readonly policies: number;
  /** Whether a policy selecting every pod isolates the direction with no rules (a default-deny). */
  readonly defaultDenyIngress: boolean;
  readonly defaultDenyEgress: boolean;
}

/** The isolation of every pod and namespace. */
export interface Overview {
  readonly namespaces: readonly NamespaceSummary[];
  readonly pods: readonly PodSummary[];
}

function isolation(
  analysis: Analysis,
  endpoint: PodEndpoint,
  direction: Direction,
  chain: RuleChain,
  memo: RestrictingTiersMemo,
): IsolationState {
  if (endpoint.pod.hostNetwork) return { kind: 'host-network' };
  if (isIsolated(chain)) return { kind: 'isolated', ...isolationSources(chain) };
  const tiers = podRestrictingTiers(analysis, endpoint, direction, memo);
  return tiers.length > 0 ? { kind: 'restricted', tiers } : { kind: 'open' };
}

const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

/** Summarises isolation per pod and per namespace, optionally for one namespace only. */
export function overview(analysis: Analysis, namespace?: string): Overview {
  const names = [...analysis.namespaces.keys()].filter((n) => !namespace || n === namespace).sort();
  const namespaces = names.map((name) => {
    const policies = analysis.policies.filter((p) => p.ref.namespace === name);
    const denyAll = (direction: 'ingress' | 'egress') =>
      policies.some(
        (p) =>
          isEmptySelector(p.policy.podSelector) &&
          (direction === 'ingress'
            ? p.isolatesIngress && p.ingress.length === 0
            : p.isolatesEgress && p.egress.length === 0),
      );
    return {
      name,
      pods: analysis.podsByNamespace.get(name)?.length ?? 0,
      policies: policies.length,
      defaultDenyIngress: denyAll('ingress'),
      defaultDenyEgress: denyAll('egress'),
    };
  });
  const memo = restrictingTiersMemo(analysis);
  const pods = names.flatMap((name) =>
    (analysis.podsByNamespace.get(name) ?? []).map((podIdx): PodSummary => {
      const endpoint = podEndpoint(analysis, podIdx);
      const { pod } = endpoint;
      const chains = {
        ingress: endpointChain(analysis, endpoint, 'ingress'),
        egress: endpointChain(analysis, endpoint, 'egress'),
      };
      return {
        id: pod.id,
        namespace: pod.namespace,
        name: pod.name,
        kind: pod.kind,
        ips: pod.ips,
        ingress: isolation(analysis, endpoint, 'ingress', chains.ingress, memo),
        egress: isolation(analysis, endpoint, 'egress', chains.egress, memo),
        undecided: DIRECTIONS.filter((direction) => chains[direction].undecided.length > 0),
      };
    }),
  );
  return { namespaces, pods };
}
