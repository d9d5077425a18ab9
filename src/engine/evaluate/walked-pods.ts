import type { RuleChain } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import type { ChainAnswers } from './chain-answers.js';
import { decides } from './chain-answers.js';
import { hostPods } from './node-local.js';
import { candidatePods } from './peer-match.js';
import { PortSetTable } from './port-set-table.js';
import { hasUnknownIp, testsAddresses } from './unknown-ip.js';

/**
 * Whether a chain admits nothing to a pod none of its rules with peers matches, whatever the
 * destination: its rules without peers (a default deny) name no port, so the destination's
 * named ports cannot change what they decide.
 */
function admitsNothingUnmatched(answers: ChainAnswers, chain: RuleChain, destination: number) {
  const namesPorts = chain.rules.some(
    (rule) => rule.peers.length === 0 && rule.ports.some((entry) => typeof entry.port === 'string'),
  );
  return !namesPorts && answers.answer(chain, 0, destination) === PortSetTable.EMPTY;
}

/**
 * The pods a walk over the pods on the other side of `near` (the chain of pod `podIdx`) must
 * visit, ascending: every pod, unless the chain admits nothing from (or to) a pod none of its
 * peers matches. Then only the candidates of its peers, and the pods a peer may match where
 * objects cannot tell (a hostNetwork pod, one of a namespace not in the input, one whose unknown
 * IP an address test may hold): the others surely get nothing, and are left out of the list.
 */
export function walkedPods(
  analysis: Analysis,
  answers: ChainAnswers,
  near: RuleChain,
  podIdx: number,
): number[] {
  const count = analysis.pods.length;
  if (!decides(near) || !admitsNothingUnmatched(answers, near, podIdx)) {
    return Array.from({ length: count }, (_, idx) => idx);
  }
  const walked = new Uint8Array(count);
  const mark = (idxs: readonly number[]) => {
    for (const idx of idxs) walked[idx] = 1;
  };
  for (const rule of near.rules) {
    for (const peer of rule.peers) mark(candidatePods(analysis, peer, rule.namespace));
  }
  mark(hostPods(analysis));
  for (const namespace of analysis.namespacesNotGiven) {
    mark(analysis.podsByNamespace.get(namespace) ?? []);
  }
  const addressTests = testsAddresses(near);
  const list: number[] = [];
  for (let idx = 0; idx < count; idx++) {
    if (walked[idx] === 1 || (addressTests && hasUnknownIp(analysis, idx))) list.push(idx);
  }
  return list;
}
