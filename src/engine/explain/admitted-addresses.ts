import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { endpointChain, type PodEndpoint } from '../compile/endpoint.js';
import { peerIpBlocks } from '../evaluate/unknown-ip.js';
import type { CiliumEntity } from '../model/cilium-policy.js';
import {
  EVERY_ADDRESS,
  type IpAddress,
  type IpRange,
  parseIpAddress,
  rangeContains,
  regionAddresses,
} from '../primitives/ip-block.js';

/** The Nodes' addresses in the input (status.addresses that are IPs), of a family if given. */
export function nodeAddresses(analysis: Analysis, family?: IpAddress['family']): IpAddress[] {
  return (analysis.cluster.nodes ?? [])
    .flatMap((node) => node.addresses.map(parseIpAddress))
    .filter(
      (address): address is IpAddress =>
        address !== undefined && (family === undefined || address.family === family),
    );
}

const hostRange = ({ family, value }: IpAddress): IpRange => ({
  family,
  first: value,
  last: value,
  prefixLength: family === 4 ? 32 : 128,
});

/** Beyond this many regions a range is probed by one address per region its own cuts make. */
const PROBED_REGIONS = 32;

/**
 * The ranges that may split the answers of the backend's ingress on a client's address: its
 * chain's CIDRs (excepts, nets, notNets), the pod ranges and each Node's address.
 */
function answerCuts(analysis: Analysis, backend: PodEndpoint): IpRange[] {
  const chain = endpointChain(analysis, backend, 'ingress');
  const cidrs = chain.rules.flatMap((rule) =>
    rule.peers.flatMap((peer) =>
      peerIpBlocks(peer).flatMap((block) => [block.range, ...block.excepts]),
    ),
  );
  return [...cidrs, ...analysis.podRange.ranges, ...nodeAddresses(analysis).map(hostRange)];
}

/**
 * Addresses of a range outside `excluded`: one per region that `cuts` make of it, so that an
 * earlier rule answering part of the range otherwise leaves the rest asked about; one per region
 * of `excluded` alone where they are too many.
 */
function rangeAddresses(
  range: IpRange,
  excluded: readonly IpRange[],
  cuts: readonly IpRange[],
): IpAddress[] {
  const starts =
    regionAddresses([range], [...excluded, ...cuts], PROBED_REGIONS) ??
    regionAddresses([range], excluded, excluded.length * 2 + 1) ??
    [];
  return starts.filter((address) => !excluded.some((cut) => rangeContains(cut, address)));
}

/**
 * Addresses of each family outside the cluster (the pod ranges and the Nodes' addresses) and
 * outside `excluded`, one per region `cuts` make. Both families, as check asks of a client of
 * either.
 */
function outsideAddresses(
  analysis: Analysis,
  excluded: readonly IpRange[],
  cuts: readonly IpRange[],
): IpAddress[] {
  const inCluster = [...analysis.podRange.ranges, ...nodeAddresses(analysis).map(hostRange)];
  return EVERY_ADDRESS.flatMap((range) => rangeAddresses(range, [...inCluster, ...excluded], cuts));
}

/**
 * The clients outside the pods an entity of a rule's sure peers admits (cilium
 * Documentation/security/policy/language.rst, "Entities Based"): `world` "all endpoints outside
 * of the cluster"; `cluster`, and `host` with `remote-node`, the nodes; `all` both.
 */
function entityAddresses(
  analysis: Analysis,
  entity: CiliumEntity,
  cuts: readonly IpRange[],
): IpAddress[] {
  switch (entity) {
    case 'world':
      return outsideAddresses(analysis, [], cuts);
    case 'all':
      return [...outsideAddresses(analysis, [], cuts), ...nodeAddresses(analysis)];
    case 'cluster':
    case 'host':
    case 'remote-node':
      return nodeAddresses(analysis);
    default:
      return [];
  }
}

/**
 * Addresses outside the pods that peers of the backend's ingress admit, to probe a rule with:
 * of an ipBlock (or Cilium CIDR) outside its excepts, of a Calico nets entry outside the side's
 * notNets, of each family outside the cluster for a Calico side of notNets only, one per region
 * the answers may differ on (answerCuts); for an entity its members' (entityAddresses). Other
 * peers name no address outside the pods.
 */
export function admittedAddresses(
  analysis: Analysis,
  backend: PodEndpoint,
  peers: readonly CompiledPeer[],
): IpAddress[] {
  const cuts = answerCuts(analysis, backend);
  return peers.flatMap((peer) => {
    switch (peer.kind) {
      case 'ip-block':
        return rangeAddresses(peer.ipBlock.range, peer.ipBlock.excepts, cuts);
      case 'cilium-entity':
        return entityAddresses(analysis, peer.entity, cuts);
      case 'calico-endpoints': {
        const notNets = peer.endpoints.notNets.map((net) => net.range);
        const { nets } = peer.endpoints;
        if (nets.length > 0) return nets.flatMap((net) => rangeAddresses(net.range, notNets, cuts));
        return notNets.length > 0 ? outsideAddresses(analysis, notNets, cuts) : [];
      }
      default:
        return [];
    }
  });
}
