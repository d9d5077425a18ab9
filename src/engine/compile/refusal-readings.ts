import { type CiliumRefusalDoubt, refusalDoubtKey } from '../cni/cilium-refusals.js';
import type { UndecidedLayer } from './undecided.js';

/** A policy the Cilium agent may refuse whole, by kubectl name, with why it may. */
export interface RefusablePolicy {
  readonly policy: string;
  readonly doubts: readonly CiliumRefusalDoubt[];
}

/**
 * A chain rule as far as refusals go: `refusable` lists the policies it stands on when each of
 * them may be refused (a policy's own rule stands on that policy; isolation, on every policy
 * isolating the side). It goes when all of them are refused.
 */
interface RefusableRule {
  readonly refusable?: readonly RefusablePolicy[];
}

/** Every non-empty subset of a list (the doubts of one chain: at most two kinds). */
function subsets<T>(items: readonly T[]): T[][] {
  const sets: T[][] = [[]];
  for (const item of items) {
    for (const set of sets.slice()) sets.push([...set, item]);
  }
  return sets.slice(1);
}

/**
 * The readings of a chain where the policies of some doubts are refused (policies of one doubt
 * go together, doubts are independent): every rule standing only on refused policies left out of
 * the main reading. None when no rule of the main reading stands on a refusable policy.
 */
export function refusalReadings(
  rules: readonly RefusableRule[],
  main: readonly number[],
): { layer: UndecidedLayer; order: number[] }[] {
  const doubts = new Map<string, CiliumRefusalDoubt>();
  for (const index of main)
    for (const entry of rules[index]?.refusable ?? [])
      for (const doubt of entry.doubts) doubts.set(refusalDoubtKey(doubt), doubt);
  return subsets([...doubts.values()]).map((granted) => {
    const keys = new Set(granted.map(refusalDoubtKey));
    const refused = (entry: RefusablePolicy) =>
      entry.doubts.some((doubt) => keys.has(refusalDoubtKey(doubt)));
    const policies = new Set<string>();
    const order = main.filter((index) => {
      const refusable = rules[index]?.refusable;
      if (!refusable?.every(refused)) return true;
      for (const entry of refusable) policies.add(entry.policy);
      return false;
    });
    return {
      layer: { kind: 'cilium-refusal-unknown', doubts: granted, policies: [...policies].sort() },
      order,
    };
  });
}
