import type { Direction } from '../compile/compile-policy.js';
import { calicoKubernetesPolicyName } from '../model/calico-policy.js';
import type { PolicyPort } from '../model/types.js';
import type { TierDecision, TracedMiss } from './kernel.js';
import type { RuleMiss } from './rule-miss.js';

/** Why one rule of a Calico tier did not match a connection the tier's end then decided. */
export interface CalicoRuleMiss extends Omit<RuleMiss, 'policy'> {
  /** The policy's kubectl name (a Kubernetes NetworkPolicy as `networkpolicy/NS/NAME`). */
  readonly policy: string;
  /** The rule's port entries, which `portMisses` index. */
  readonly ports: readonly PolicyPort[];
}

/** What one Calico tier did with a side: the rule (or the tier's end) that decided it, or none. */
export interface CalicoTierStep {
  readonly tier: string;
  /** `none`: no policy of the tier matched and the tier does not apply (or it passed nothing). */
  readonly action: 'Allow' | 'Deny' | 'Pass' | 'none';
  /** The deciding policy's kubectl name (a Kubernetes NetworkPolicy as `networkpolicy/NS/NAME`). */
  readonly policy?: string;
  readonly direction: Direction;
  /** The deciding rule's index; undefined at the end of the tier. */
  readonly ruleIndex?: number;
  /** Whether the tier's default action decided: no policy of the tier matched. */
  readonly endOfTier: boolean;
  /** At the end of a tier: the tier's policies that apply to the endpoint. */
  readonly policies?: readonly string[];
  /**
   * At the end of a tier: why each of its rules evaluated did not match (Log rules, and rules
   * whose conditions on the endpoint itself fail, are not among them).
   */
  readonly misses?: readonly CalicoRuleMiss[];
}

/** The miss of a Calico or Kubernetes NetworkPolicy rule of a tier; undefined for other rules. */
function ruleMiss({ rule, peerMisses, portMisses }: TracedMiss): CalicoRuleMiss | undefined {
  const { origin } = rule;
  const misses = { ports: rule.ports, peerMisses, portMisses };
  if (origin.kind === 'calico-rule') {
    const { direction, index } = origin.rule;
    return { policy: origin.policy.name, direction, ruleIndex: index, ...misses };
  }
  if (origin.kind !== 'networkpolicy-rule') return undefined;
  const { direction, index } = origin.rule;
  return {
    policy: calicoKubernetesPolicyName(origin.policy.ref),
    direction,
    ruleIndex: index,
    ...misses,
  };
}

const ACTION = { accept: 'Allow', deny: 'Deny', pass: 'Pass' } as const;

/** Whether a kernel tier is one of Calico's. */
export const isCalicoTier = (tier: string) => tier.startsWith('calico:');

/** What each Calico tier did with a side, in order. */
export function calicoTierSteps(
  decisions: readonly TierDecision[],
  direction: Direction,
): CalicoTierStep[] {
  return decisions.flatMap((decision): CalicoTierStep[] => {
    if (!isCalicoTier(decision.tier)) return [];
    const tier = decision.tier.slice('calico:'.length);
    const origin = decision.matches[0]?.rule.origin;
    if (decision.action === 'none' || !origin) {
      return [{ tier, action: 'none', direction, endOfTier: false }];
    }
    const action = ACTION[decision.action];
    switch (origin.kind) {
      case 'calico-rule':
        return [
          {
            tier,
            action,
            policy: origin.policy.name,
            direction,
            ruleIndex: origin.rule.index,
            endOfTier: false,
          },
        ];
      case 'calico-tier-end': {
        const misses = decision.misses.flatMap((miss) => ruleMiss(miss) ?? []);
        return [
          {
            tier,
            action,
            direction,
            endOfTier: true,
            policies: origin.policies,
            ...(misses.length > 0 ? { misses } : {}),
          },
        ];
      }
      case 'networkpolicy-rule':
        return [
          {
            tier,
            action,
            policy: calicoKubernetesPolicyName(origin.policy.ref),
            direction,
            ruleIndex: origin.rule.index,
            endOfTier: false,
          },
        ];
      default:
        return [];
    }
  });
}
