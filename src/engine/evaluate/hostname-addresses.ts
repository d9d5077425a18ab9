import type { CalicoAddressView } from '../compile/calico-endpoints.js';
import type { RuleChain } from '../compile/chains.js';
import type { CompiledPeer } from '../compile/compile.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import type { IpBlock } from '../model/types.js';
import {
  admitsWholeFamily,
  type CompiledIpBlock,
  EVERY_ADDRESS,
  ipBlockVerdict,
  regionAddresses,
} from '../primitives/ip-block.js';
import type { PeerMiss } from './peer-miss.js';
import { peerIpBlocks } from './unknown-ip.js';

/**
 * A host known only by its name has addresses only DNS knows, of either family: a name may
 * resolve to IPv4 or IPv6 addresses only. Each connection goes to one address, so an ipBlock
 * admits it for sure only when it admits every address of that address's family (`0.0.0.0/0`
 * decides IPv4 connections, `::/0` IPv6 ones; both together decide all). Other ipBlocks may or
 * may not hold it: the side is decided under every way the address can fall in them, and is
 * UNKNOWN when they disagree.
 */

/** Where a host name's address is taken to lie, for one evaluation. */
export interface NameAddress {
  readonly family: 4 | 6;
  /** The keys (`blockKey`) of the ipBlocks taken to hold the address. */
  readonly inside: ReadonlySet<string>;
}

/** The address assumed for a host name in its main reading: IPv4, in no partial ipBlock. */
export const MAIN_NAME_ADDRESS: NameAddress = { family: 4, inside: new Set() };

/** Beyond this many regions of the address space, a name's addresses are not enumerated. */
const ENUMERATED_REGIONS = 64;

type IpBlockPeer = Extract<CompiledPeer, { kind: 'ip-block' }>;

/** Identifies an ipBlock by what it admits, so equal blocks of different rules agree. */
const blockKey = (block: IpBlock) => `${block.cidr} ${block.except.join(' ')}`;

/** Whether an ipBlock peer admits a host name's address, and why not. */
export function nameBlockMiss(
  peer: IpBlockPeer,
  hostname: string,
  address: NameAddress,
): PeerMiss | undefined {
  const { block, range } = peer.ipBlock;
  // A host outside the cluster is no node of it.
  if (peer.node) return { kind: 'not-a-pod', peerIndex: peer.index };
  if (range.family !== address.family)
    return { kind: 'outside-cidr', peerIndex: peer.index, cidr: block.cidr };
  if (admitsWholeFamily(peer.ipBlock) || address.inside.has(blockKey(block))) return undefined;
  return { kind: 'name-addresses', peerIndex: peer.index, cidr: block.cidr, hostname };
}

/** Where a host name's address lies as Calico's nets and notNets see it, in one way. */
export function nameAddressView(address: NameAddress): CalicoAddressView {
  return {
    verdict: (compiled) =>
      compiled.range.family === address.family &&
      (admitsWholeFamily(compiled) || address.inside.has(blockKey(compiled.block)))
        ? 'inside'
        : 'outside',
    optimistic: false,
    name: "the host name's address",
  };
}

/** The ipBlocks of a chain (Calico's nets and notNets too), by key. */
function chainBlocks(chain: RuleChain): Map<string, CompiledIpBlock> {
  const blocks = new Map<string, CompiledIpBlock>();
  for (const rule of chain.rules) {
    for (const peer of rule.peers) {
      // A host outside the cluster is no node of it.
      if (peer.kind === 'ip-block' && peer.node) continue;
      for (const compiled of peerIpBlocks(peer)) blocks.set(blockKey(compiled.block), compiled);
    }
  }
  return blocks;
}

/** The ways a host name's address may fall in a chain's ipBlocks, and which blocks decide. */
export interface NameAddresses {
  /** The main way first. */
  readonly addresses: readonly NameAddress[];
  /** False when there were too many regions to try every way. */
  readonly exhaustive: boolean;
  /**
   * The blocks that make the ways that answer otherwise than the main one differ: those that
   * hold one of them but not the main address, or the other way round, and the whole-family
   * blocks when one of them is of the other family. Every block when not exhaustive.
   */
  deciding(differing: readonly NameAddress[]): IpBlock[];
}

/**
 * The ways a host name's address may fall in a chain's ipBlocks: one per region that the
 * blocks' CIDRs and excepts cut the address space into, so only ways some address can take
 * are tried. The main way is an IPv4 one inside the fewest blocks.
 */
export function nameAddresses(chain: RuleChain): NameAddresses {
  const blocks = chainBlocks(chain);
  const cidrs = [...blocks.values()].flatMap((compiled) => [compiled.range, ...compiled.excepts]);
  const regions = regionAddresses(EVERY_ADDRESS, cidrs, ENUMERATED_REGIONS);
  const ways = new Map<string, NameAddress>();
  for (const address of regions ?? []) {
    const inside = new Set(
      [...blocks]
        .filter(([, compiled]) => ipBlockVerdict(compiled, address).kind === 'inside')
        .map(([key]) => key),
    );
    ways.set(`${address.family} ${[...inside].sort().join(',')}`, {
      family: address.family,
      inside,
    });
  }
  const addresses = [...ways.values()].sort(
    (a, b) => a.family - b.family || a.inside.size - b.inside.size,
  );
  const main = addresses[0] ?? MAIN_NAME_ADDRESS;
  const exhaustive = regions !== undefined;
  const deciding = (differing: readonly NameAddress[]) => {
    const otherFamily = differing.some((address) => address.family !== main.family);
    return [...blocks]
      .filter(
        ([key, compiled]) =>
          !exhaustive ||
          differing.some((address) => address.inside.has(key) !== main.inside.has(key)) ||
          (otherFamily && admitsWholeFamily(compiled)),
      )
      .map(([, compiled]) => compiled.block);
  };
  return { addresses: exhaustive ? addresses : [MAIN_NAME_ADDRESS], exhaustive, deciding };
}

/** Why a side is UNKNOWN when the addresses a host name resolves to decide it. */
export function nameAddressLayer(hostname: string, ipBlocks: readonly IpBlock[]): UndecidedLayer {
  return { kind: 'hostname-addresses', hostname, ipBlocks };
}
