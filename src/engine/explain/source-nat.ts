import type { Analysis } from '../compile/compile.js';
import type { DirectionVerdict, FlowVerdict } from '../evaluate/evaluate.js';
import type { PeerMiss } from '../evaluate/peer-miss.js';
import { admitsWholeFamily } from '../primitives/ip-block.js';
import { ipBlockPeer } from './service-ip-caveats.js';

/** Misses of peers that another address could match: blocks, CIDRs, entities, Calico nets. */
const ADDRESS_MISSES: ReadonlySet<PeerMiss['kind']> = new Set<PeerMiss['kind']>([
  'ip-unknown',
  'outside-pod-range',
  'outside-cidr',
  'name-addresses',
  'calico-condition',
  'excepted',
  'cilium-entity',
  'node-host',
  'cilium-cidr-pod',
  'cilium-cidr-node',
]);

/** Whether a side's answer for an address outside the pods may differ for a node's address. */
function sideDependsOnAddress(analysis: Analysis, side: DirectionVerdict): boolean {
  if (side.clusterTiers?.length || side.calicoTiers?.length) return true;
  switch (side.kind) {
    case 'unrestricted':
      return false;
    case 'allowed':
      // A rule with no peers, or an ipBlock of a whole family, admits every address; except on
      // Cilium, where a node's address is the host or remote-node identity, which CIDR selectors
      // "do not match" unless policy-cidr-match-mode says so (cni/cilium-cidr-nodes.ts).
      return (
        side.ciliumMatches !== undefined ||
        !side.matches.some(({ peerIndex, ...rule }) => {
          if (peerIndex === null) return true;
          const block = ipBlockPeer(analysis, { ...rule, peerIndex });
          return block !== undefined && !block.outsideCluster && admitsWholeFamily(block.ipBlock);
        })
      );
    case 'denied':
      return (
        side.ciliumIsolation !== undefined ||
        side.misses.some((miss) => miss.peerMisses.some((peer) => ADDRESS_MISSES.has(peer.kind)))
      );
    default:
      return true;
  }
}

/**
 * Whether a verdict on a connection from an address outside the pods may change when the
 * backend's policies see a node's address instead: its ingress side (over each family) was
 * decided by what the address is.
 */
export function verdictDependsOnSourceAddress(analysis: Analysis, verdict: FlowVerdict): boolean {
  const sides = verdict.families
    ? Object.values(verdict.families).map((family) => family.ingress)
    : [verdict.ingress];
  return sides.some((side) => sideDependsOnAddress(analysis, side));
}
