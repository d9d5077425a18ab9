import type { RuleChain } from '../compile/chains.js';
import type { PortResolver } from '../compile/named-ports.js';
import type { PortSet } from '../primitives/port-set.js';
import { admittedPorts, type PeerTest, ruleMatchesPeer } from './kernel.js';

/** The indexes of a chain's rules whose peers match the other side the test describes. */
export function matchingRules(chain: RuleChain, test: PeerTest): number[] {
  return chain.rules.flatMap((rule, index) => (ruleMatchesPeer(rule, test) ? [index] : []));
}

/**
 * The ports each rule of a chain decides (accepts, denies or passes) when the rules at `hits`
 * (from matchingRules) match the other side, in the chain's main reading: the kernel's own
 * walk, heard through its visitor. Keyed by the rule's index in the chain; a rule that decides
 * nothing is absent.
 */
export function ruleDecisions(
  chain: RuleChain,
  hits: readonly number[],
  resolve: PortResolver,
): ReadonlyMap<number, PortSet> {
  const decided = new Map<number, PortSet>();
  admittedPorts(chain, hits, resolve, undefined, (index, ports) => decided.set(index, ports));
  return decided;
}
