import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import { type IpAddress, ipBlockVerdict } from '../primitives/ip-block.js';
import { isNodeAddress } from './cilium-peer-match.js';
import type { PeerMiss } from './peer-miss.js';
import type { IpAssumption } from './unknown-ip.js';

type IpBlockPeer = Extract<CompiledPeer, { kind: 'ip-block' }>;

/** Whether a Cilium CIDR peer holds an address that is a node's (see cni/cilium-cidr-nodes.ts). */
function holdsNodeAddress(analysis: Analysis, peer: CompiledPeer, address: IpAddress): boolean {
  return (
    peer.kind === 'ip-block' &&
    peer.outsideCluster === true &&
    ipBlockVerdict(peer.ipBlock, address).kind === 'inside' &&
    isNodeAddress(analysis, address)
  );
}

/**
 * Why a Cilium CIDR peer holding an address outside the pods does not match it: a node's
 * address is matched only where cilium-config's policy-cidr-match-mode names `nodes`; where that
 * is unknown, the assumption that an uncertain peer matches decides. undefined: it matches.
 */
export function ciliumCidrNodeMiss(
  analysis: Analysis,
  peer: IpBlockPeer,
  address: IpAddress,
  assumption: IpAssumption,
): PeerMiss | undefined {
  if (!holdsNodeAddress(analysis, peer, address)) return undefined;
  const reading = analysis.ciliumCidrNodes?.kind ?? 'unknown';
  if (reading === 'matched' || (reading === 'unknown' && assumption === 'inside')) return undefined;
  return { kind: 'cilium-cidr-node', peerIndex: peer.index, cidr: peer.ipBlock.block.cidr };
}

/**
 * What leaves a side UNKNOWN when the other side is a node's address that a Cilium CIDR peer of
 * its chain holds and whether such peers match nodes is unknown; undefined otherwise.
 */
export function ciliumCidrNodeLayer(
  analysis: Analysis,
  chain: RuleChain,
  other: Endpoint,
): UndecidedLayer | undefined {
  const reading = analysis.ciliumCidrNodes;
  if (other.kind !== 'external' || reading?.kind !== 'unknown') return undefined;
  const held = chain.rules.some((rule) =>
    rule.peers.some((peer) => holdsNodeAddress(analysis, peer, other.address)),
  );
  if (!held) return undefined;
  return {
    kind: 'cilium-cidr-nodes',
    address: other.ip,
    ...(reading.unread ? { unread: reading.unread } : {}),
  };
}
