import type { CalicoAddressView } from '../compile/calico-endpoints.js';
import type { RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import type { IpBlock, Pod } from '../model/types.js';
import {
  admitsWholeFamily,
  type CompiledIpBlock,
  EVERY_ADDRESS,
  type IpAddress,
  type IpRange,
  ipBlockCoverage,
  ipBlockVerdict,
  type RangeCoverage,
  regionAddresses,
} from '../primitives/ip-block.js';

/**
 * How a peer test takes an ipBlock that admits only part of where a pod's unknown IP may lie:
 * as matching (`inside`), not (`outside`), or as it would for one possible address. A
 * namespaceSelector that may or may not select a namespace not in the input matches only `inside`.
 */
export type IpAssumption = 'inside' | 'outside' | IpAddress;

/** Beyond this many regions of the pod ranges, the unknown IP's positions are not enumerated. */
const ENUMERATED_REGIONS = 64;

/** The CIDRs a peer tests an address against: an ipBlock's, a Calico side's nets and notNets. */
export function peerIpBlocks(peer: CompiledPeer): readonly CompiledIpBlock[] {
  if (peer.kind === 'ip-block') return [peer.ipBlock];
  if (peer.kind === 'calico-endpoints') return [...peer.endpoints.nets, ...peer.endpoints.notNets];
  return [];
}

/** Whether a peer's CIDRs admit part, but not all, of where a pod's unknown IP may lie. */
export function peerDependsOnUnknownIp(
  analysis: Analysis,
  peer: CompiledPeer,
  podIdx: number,
): boolean {
  return peerIpBlocks(peer).some((block) => unknownIpCoverage(analysis, block, podIdx) === 'part');
}

/**
 * Where a pod's unknown IP lies as Calico's nets and notNets see it, under an assumption: one
 * possible address, or the CIDRs holding part of where it may lie taken as holding it
 * (`inside`: the side may match) or not (`outside`: it surely matches).
 */
export function unknownIpAddressView(
  analysis: Analysis,
  podIdx: number,
  assumption: IpAssumption,
): CalicoAddressView {
  if (typeof assumption === 'object') {
    return {
      verdict: (block) =>
        ipBlockVerdict(block, assumption).kind === 'inside' ? 'inside' : 'outside',
      optimistic: false,
      name: 'the pod IP',
    };
  }
  const verdicts = { all: 'inside', none: 'outside', part: 'maybe' } as const;
  return {
    verdict: (block) => verdicts[unknownIpCoverage(analysis, block, podIdx)],
    optimistic: assumption === 'inside',
    name: "the pod's unknown IP",
  };
}

/** Whether a pod's IP is unknown: a workload standing for its pods, or a pod with no address yet. */
export function hasUnknownIp(analysis: Analysis, podIdx: number): boolean {
  return analysis.podAddresses.of(podIdx).length === 0;
}

/**
 * How much of where a pod's unknown IP may lie an ipBlock admits: the cluster's pod ranges of
 * the block's family (a pod has one address per family the ranges have). Without known ranges,
 * or for a pod on its node's address, only a block admitting the whole family is sure.
 */
export function unknownIpCoverage(
  analysis: Analysis,
  block: CompiledIpBlock,
  podIdx: number,
): RangeCoverage {
  if (analysis.pods[podIdx]?.hostNetwork) return admitsWholeFamily(block) ? 'all' : 'part';
  return podRangeCoverage(analysis, block);
}

/**
 * How much of the cluster's pod ranges of the block's family an ipBlock admits: where a pod off
 * the host network whose IP is unknown (or that the input does not hold) may lie. Without known
 * ranges, only a block admitting the whole family is sure.
 */
export function podRangeCoverage(analysis: Analysis, block: CompiledIpBlock): RangeCoverage {
  const { ranges } = analysis.podRange;
  if (ranges.length === 0) return admitsWholeFamily(block) ? 'all' : 'part';
  const family = ranges.filter((range) => range.family === block.range.family);
  return family.length === 0 ? 'none' : ipBlockCoverage(block, family);
}

/**
 * Whether a chain's rules test addresses (ipBlocks, Calico nets): only then can where an unknown
 * IP lies change its answers. Asked before a pod's addresses are parsed, as walks over every pod
 * mostly meet chains without any.
 */
export function testsAddresses(chain: RuleChain): boolean {
  return chain.rules.some((rule) => rule.peers.some(testsAddress));
}

/** Whether peerIpBlocks lists any CIDR of a peer, asked without listing them. */
const testsAddress = (peer: CompiledPeer) =>
  peer.kind === 'ip-block' ||
  (peer.kind === 'calico-endpoints' &&
    peer.endpoints.nets.length + peer.endpoints.notNets.length > 0);

/** The ipBlocks of a chain that admit part of where the endpoint's unknown IP may lie. */
export function ipDependentBlocks(
  analysis: Analysis,
  chain: RuleChain,
  endpoint: Endpoint,
): IpBlock[] {
  if (endpoint.kind !== 'pod' || !testsAddresses(chain)) return [];
  if (!hasUnknownIp(analysis, endpoint.podIdx)) return [];
  const blocks = new Map<string, IpBlock>();
  for (const rule of chain.rules) {
    for (const peer of rule.peers) {
      for (const compiled of peerIpBlocks(peer)) {
        if (unknownIpCoverage(analysis, compiled, endpoint.podIdx) !== 'part') continue;
        const { block } = compiled;
        blocks.set(`${block.cidr} ${block.except.join(' ')}`, block);
      }
    }
  }
  return [...blocks.values()];
}

/**
 * One possible address of the endpoint's unknown IP per region that the chain's ipBlocks (with
 * their excepts) cut the cluster's pod ranges into (every address, when the pod ranges are
 * unknown or the pod is on its node's address); undefined when the regions are too many to try.
 */
export function unknownIpRegions(
  analysis: Analysis,
  chain: RuleChain,
  podIdx: number,
): IpAddress[] | undefined {
  const known = analysis.pods[podIdx]?.hostNetwork ? [] : analysis.podRange.ranges;
  return chainRegions(chain, known.length > 0 ? known : EVERY_ADDRESS);
}

/**
 * One address per region that a chain's CIDRs (ipBlocks with their excepts, Calico nets) cut
 * ranges into: the chain answers every address of a region alike. undefined when the regions
 * are too many to try.
 */
export function chainRegions(
  chain: RuleChain,
  ranges: readonly IpRange[],
): IpAddress[] | undefined {
  const cidrs: IpRange[] = [];
  for (const rule of chain.rules) {
    for (const peer of rule.peers) {
      for (const block of peerIpBlocks(peer)) cidrs.push(block.range, ...block.excepts);
    }
  }
  return regionAddresses(ranges, cidrs, ENUMERATED_REGIONS);
}

/** Why a side is UNKNOWN when the other side's unknown IP decides it. */
export function podIpLayer(
  analysis: Analysis,
  pod: Pod,
  ipBlocks: readonly IpBlock[],
): UndecidedLayer {
  return {
    kind: 'pod-ip',
    pod: pod.id,
    workload: pod.kind !== 'Pod',
    hostNetwork: pod.hostNetwork,
    ipBlocks,
    podCidrs: analysis.podRange.cidrs,
  };
}
