import type { RuleChain } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import type { Pod } from '../model/types.js';
import type { ChainAnswers } from './chain-answers.js';
import { peerMatchesPod } from './peer-match.js';
import { PortSetTable } from './port-set-table.js';
import { dependsOnUndecidedPeers } from './undecided-peers.js';
import {
  hasUnknownIp,
  peerDependsOnUnknownIp,
  testsAddresses,
  unknownIpRegions,
} from './unknown-ip.js';

/** Interned ports a side admits for every address of a pod's unknown IP, and for some. */
export interface RegionAnswers {
  readonly sure: number;
  readonly possible: number;
}

/**
 * Whether a chain's answer for a pod whose IP is unknown needs every region of that IP tried:
 * a rule that does not accept has an ipBlock that may or may not hold the IP. (With accepting
 * rules only, matching more only admits more, so IP inside and outside bound every answer.)
 */
function needsRegions(analysis: Analysis, chain: RuleChain, podIdx: number): boolean {
  return chain.rules.some(
    (rule) =>
      rule.action !== 'accept' &&
      rule.peers.some((peer) => peerDependsOnUnknownIp(analysis, peer, podIdx)),
  );
}

/** Every port possible and none sure: the answer is UNKNOWN. */
const NOTHING_SURE: RegionAnswers = { sure: PortSetTable.EMPTY, possible: PortSetTable.FULL };

/**
 * What a chain admits towards (or from) pod `podIdx` for every and for some address its
 * unknown IP may have, through the kernel once per region; undefined when the regions are not
 * needed (then the IP-inside and IP-outside answers stand). When they are too many to try, or
 * the pod's namespace labels (not in the input) decide a rule that does not accept or its
 * regions, nothing is sure and every port possible, as check answers UNKNOWN then. `subject`
 * is the chain's own pod, which node-host peers are relative to (absent: its node is unknown).
 */
export function regionAnswers(
  analysis: Analysis,
  answers: ChainAnswers,
  chain: RuleChain,
  podIdx: number,
  destination: number,
  subject?: Pod,
): RegionAnswers | undefined {
  const byNamespace = dependsOnUndecidedPeers(analysis, chain, podIdx);
  if (byNamespace === 'not-only-accepts') return NOTHING_SURE;
  if (!testsAddresses(chain) || !hasUnknownIp(analysis, podIdx)) return undefined;
  if (!needsRegions(analysis, chain, podIdx)) return undefined;
  // Regions try addresses only: with namespace labels unknown too, nothing is sure (as check).
  const regions = byNamespace ? undefined : unknownIpRegions(analysis, chain, podIdx);
  if (!regions) return NOTHING_SURE;
  let sure = PortSetTable.FULL;
  let possible = PortSetTable.EMPTY;
  for (const address of regions) {
    const node = answers.hitsOf(chain, (peer, namespace) =>
      peerMatchesPod(analysis, peer, namespace, podIdx, address, subject),
    );
    sure = answers.table.intersect(sure, answers.agreed(chain, node, destination));
    possible = answers.table.union(possible, answers.answer(chain, node, destination));
  }
  return { sure, possible };
}
