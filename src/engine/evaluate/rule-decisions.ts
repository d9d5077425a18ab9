import type { RuleChain } from '../compile/chains.js';
import type { PortResolver } from '../compile/named-ports.js';
import type { PortSet } from '../primitives/port-set.js';
import { admittedPorts, type PeerTest, ruleMatchesPeer } from './kernel.js';

/**
 * The ports each rule of a chain decides (accepts, denies or passes) for the other side the
 * test describes, in the chain's main reading: the kernel's own walk, heard through its visitor.
 * Keyed by the rule's index in the chain; a rule that decides nothing is absent.
 */
export function ruleDecisions(
  chain: RuleChain,
  test: PeerTest,
  resolve: PortResolver,
): ReadonlyMap<number, PortSet> {
  const hits = chain.rules.flatMap((rule, index) => (ruleMatchesPeer(rule, test) ? [index] : []));
  const decided = new Map<number, PortSet>();
  admittedPorts(chain, hits, resolve, undefined, (index, ports) => decided.set(index, ports));
  return decided;
}
