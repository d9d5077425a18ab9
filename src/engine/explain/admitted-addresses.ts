import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { PodEndpoint } from '../compile/endpoint.js';
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

/** An address of a range outside some ranges cut from it; undefined: none. */
function addressOutside(range: IpRange, cut: readonly IpRange[]): IpAddress | undefined {
  // One address per region the cuts make of the range: one of them is left, if any is.
  const starts = regionAddresses([range], cut, cut.length * 2 + 1) ?? [];
  return starts.find((address) => !cut.some((excluded) => rangeContains(excluded, address)));
}

const hostRange = ({ family, value }: IpAddress): IpRange => ({
  family,
  first: value,
  last: value,
  prefixLength: family === 4 ? 32 : 128,
});

/**
 * Per address family the backend has (both when its addresses are unknown), one address outside
 * the cluster (the pod ranges and the Nodes' addresses) and outside `cut`.
 */
function outsideAddresses(
  analysis: Analysis,
  backend: PodEndpoint,
  cut: readonly IpRange[],
): IpAddress[] {
  const families = new Set(backend.pod.ips.map((ip) => parseIpAddress(ip)?.family));
  const inCluster = [...analysis.podRange.ranges, ...nodeAddresses(analysis).map(hostRange)];
  return EVERY_ADDRESS.filter((range) => families.size === 0 || families.has(range.family))
    .map((range) => addressOutside(range, [...inCluster, ...cut]))
    .filter((address): address is IpAddress => address !== undefined);
}

/**
 * The clients outside the pods an entity of a rule's sure peers admits (cilium
 * Documentation/security/policy/language.rst, "Entities Based"): `world` "all endpoints outside
 * of the cluster"; `cluster`, and `host` with `remote-node`, the nodes; `all` both.
 */
function entityAddresses(
  analysis: Analysis,
  backend: PodEndpoint,
  entity: CiliumEntity,
): IpAddress[] {
  switch (entity) {
    case 'world':
      return outsideAddresses(analysis, backend, []);
    case 'all':
      return [...outsideAddresses(analysis, backend, []), ...nodeAddresses(analysis)];
    case 'cluster':
    case 'host':
    case 'remote-node':
      return nodeAddresses(analysis);
    default:
      return [];
  }
}

/**
 * Addresses outside the pods that peers admit, to probe a rule with: one per CIDR of an ipBlock
 * (or Cilium CIDR) outside its excepts, per Calico nets entry outside the side's notNets, per
 * family outside the cluster for a Calico side of notNets only, and for an entity its members'
 * (entityAddresses). Other peers name no address outside the pods.
 */
export function admittedAddresses(
  analysis: Analysis,
  backend: PodEndpoint,
  peers: readonly CompiledPeer[],
): IpAddress[] {
  return peers
    .flatMap((peer) => {
      switch (peer.kind) {
        case 'ip-block':
          return [addressOutside(peer.ipBlock.range, peer.ipBlock.excepts)];
        case 'cilium-entity':
          return entityAddresses(analysis, backend, peer.entity);
        case 'calico-endpoints': {
          const notNets = peer.endpoints.notNets.map((net) => net.range);
          const { nets } = peer.endpoints;
          if (nets.length > 0) return nets.map((net) => addressOutside(net.range, notNets));
          return notNets.length > 0 ? outsideAddresses(analysis, backend, notNets) : [];
        }
        default:
          return [];
      }
    })
    .filter((address): address is IpAddress => address !== undefined);
}
