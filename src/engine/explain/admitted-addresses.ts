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

/** Beyond this many regions a range is probed by one address outside its own cuts. */
const PROBED_REGIONS = 32;

/** The CIDRs of the backend's ingress chain: ipBlocks and their excepts, nets and notNets. */
function chainCidrs(analysis: Analysis, backend: PodEndpoint): IpRange[] {
  return endpointChain(analysis, backend, 'ingress').rules.flatMap((rule) =>
    rule.peers.flatMap((peer) =>
      peerIpBlocks(peer).flatMap((block) => [block.range, ...block.excepts]),
    ),
  );
}

/**
 * The Nodes' addresses the kernel may answer differently: the backend's own node's, and one per
 * family and set of the chain's CIDRs holding it (a cluster's hundreds of Nodes are not all
 * asked about).
 */
function nodeProbes(analysis: Analysis, backend: PodEndpoint, cidrs: readonly IpRange[]) {
  const own = analysis.cluster.nodes?.find((node) => node.name === backend.pod.nodeName);
  const ownAddresses = new Set(own?.addresses ?? []);
  const seen = new Set<string>();
  return (analysis.cluster.nodes ?? []).flatMap((node) =>
    node.addresses.flatMap((text) => {
      const address = parseIpAddress(text);
      if (!address) return [];
      const holding = cidrs.map((cidr) => (rangeContains(cidr, address) ? 1 : 0)).join('');
      const key = `${address.family}:${holding}`;
      if (!ownAddresses.has(text) && seen.has(key)) return [];
      seen.add(key);
      return [address];
    }),
  );
}

/** What probing a pod's rules needs: where answers may differ, which addresses are the cluster's. */
interface ProbeContext {
  /** The ranges that may split the answers of the backend's ingress on a client's address. */
  readonly cuts: readonly IpRange[];
  /** The Nodes' addresses to ask about (nodeProbes). */
  readonly nodes: readonly IpAddress[];
  /** Whether an address is in the cluster: a pod range's or a Node's. */
  readonly inCluster: (address: IpAddress) => boolean;
}

function probeContext(analysis: Analysis, backend: PodEndpoint): ProbeContext {
  const cidrs = chainCidrs(analysis, backend);
  const nodes = nodeProbes(analysis, backend, cidrs);
  const keyOf = ({ family, value }: IpAddress) => `${family}:${value}`;
  const nodeKeys = new Set(nodeAddresses(analysis).map(keyOf));
  const podRanges = analysis.podRange.ranges;
  return {
    cuts: [...cidrs, ...podRanges, ...nodes.map(hostRange)],
    nodes,
    inCluster: (address) =>
      nodeKeys.has(keyOf(address)) || podRanges.some((range) => rangeContains(range, address)),
  };
}

/**
 * Addresses of a range outside `excluded`: one per region that `cuts` make of it, so that an
 * earlier rule answering part of the range otherwise leaves the rest asked about; one address
 * where the regions are too many.
 */
function rangeAddresses(
  range: IpRange,
  excluded: readonly IpRange[],
  cuts: readonly IpRange[],
): IpAddress[] {
  const outside = (address: IpAddress) => !excluded.some((cut) => rangeContains(cut, address));
  const starts = regionAddresses([range], [...excluded, ...cuts], PROBED_REGIONS);
  if (starts) return starts.filter(outside);
  const first = (regionAddresses([range], excluded, excluded.length * 2 + 1) ?? []).find(outside);
  return first ? [first] : [];
}

/**
 * Addresses of each family outside the cluster and outside `excluded`, one per region the
 * context's cuts make. Both families, as check asks of a client of either.
 */
function outsideAddresses(context: ProbeContext, excluded: readonly IpRange[]): IpAddress[] {
  return EVERY_ADDRESS.flatMap((range) => rangeAddresses(range, excluded, context.cuts)).filter(
    (address) => !context.inCluster(address),
  );
}

/**
 * The clients outside the pods an entity of a rule's sure peers admits (cilium
 * Documentation/security/policy/language.rst, "Entities Based"): `world` "all endpoints outside
 * of the cluster"; `cluster`, and `host` with `remote-node`, the nodes; `all` both.
 */
function entityAddresses(context: ProbeContext, entity: CiliumEntity): readonly IpAddress[] {
  switch (entity) {
    case 'world':
      return outsideAddresses(context, []);
    case 'all':
      return [...outsideAddresses(context, []), ...context.nodes];
    case 'cluster':
    case 'host':
    case 'remote-node':
      return context.nodes;
    default:
      return [];
  }
}

/**
 * Addresses outside the pods that peers of the backend's ingress admit, to probe a rule with:
 * of an ipBlock (or Cilium CIDR) outside its excepts, of a Calico nets entry outside the side's
 * notNets, of each family outside the cluster for a Calico side of notNets only, one per region
 * the answers may differ on (probeContext); for an entity its members' (entityAddresses). Other
 * peers name no address outside the pods.
 */
export function admittedAddresses(
  analysis: Analysis,
  backend: PodEndpoint,
  peers: readonly CompiledPeer[],
): IpAddress[] {
  const context = probeContext(analysis, backend);
  const { cuts } = context;
  return peers.flatMap((peer) => {
    switch (peer.kind) {
      case 'ip-block':
        return rangeAddresses(peer.ipBlock.range, peer.ipBlock.excepts, cuts);
      case 'cilium-entity':
        return entityAddresses(context, peer.entity);
      case 'calico-endpoints': {
        const notNets = peer.endpoints.notNets.map((net) => net.range);
        const { nets } = peer.endpoints;
        if (nets.length > 0) return nets.flatMap((net) => rangeAddresses(net.range, notNets, cuts));
        return notNets.length > 0 ? outsideAddresses(context, notNets) : [];
      }
      default:
        return [];
    }
  });
}
