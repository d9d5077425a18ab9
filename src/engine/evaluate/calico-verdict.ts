import type { Direction } from '../compile/compile-policy.js';
import type { TierDecision } from './kernel.js';
import type { PeerMiss } from './peer-miss.js';
import type { PortMiss } from './port-match.js';

/** A Calico rule of a tier that did not match a connection, and why. */
export interface CalicoRuleMiss {
  /** The policy's kubectl name. */
  readonly policy: string;
  readonly ruleIndex: number;
  /** The other side's conditions that failed (empty: they held, the ports did not). */
  readonly peerMisses: readonly PeerMiss[];
  readonly portMisses: readonly PortMiss[];
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
  /** At the end of a tier: its Calico rules that did not match, and why. */
  readonly misses?: readonly CalicoRuleMiss[];
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
        const misses = decision.misses.flatMap(({ rule, peerMisses, portMisses }) =>
          rule.origin.kind === 'calico-rule'
            ? [
                {
                  policy: rule.origin.policy.name,
                  ruleIndex: rule.origin.rule.index,
                  peerMisses,
                  portMisses,
                },
              ]
            : [],
        );
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
            policy: `networkpolicy/${origin.policy.ref.namespace}/${origin.policy.ref.name}`,
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
