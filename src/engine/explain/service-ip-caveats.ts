import type { PeerRef } from '../audit/types.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import type { Endpoint } from '../compile/endpoint.js';
import {
  clientAt,
  type ServiceAddresses,
  type ServiceClient,
  servicesInIpBlock,
} from '../compile/services.js';
import type { FlowVerdict } from '../evaluate/evaluate.js';
import { ipBlockVerdict, parseIpAddress } from '../primitives/ip-block.js';

/**
 * An ipBlock that decides a verdict while it contains Service ClusterIPs. Whether policies see
 * the ClusterIP or the backend after the Service translation is up to the network plugin, and
 * most see the backend: a rule naming a ClusterIP admits traffic to that Service only on the
 * others, and a rule that misses a backend may have been meant for its ClusterIP.
 */
export interface ServiceIpCaveat {
  /** allowed: the ipBlock admitted the flow; denied: it missed a backend of a Service it names. */
  readonly decided: 'allowed' | 'denied';
  readonly peer: PeerRef;
  readonly cidr: string;
  readonly except: readonly string[];
  /** The Services whose ClusterIPs the ipBlock contains, with their backends. */
  readonly services: readonly ServiceAddresses[];
  /** Those Services' backends the ipBlock does not admit (as policies usually see them). */
  readonly backendsOutside: readonly string[];
}

/** The compiled peer a reference points at, if it is an ipBlock. */
export function ipBlockPeer(
  analysis: Analysis,
  { policy, direction, ruleIndex, peerIndex }: PeerRef,
): Extract<CompiledPeer, { kind: 'ip-block' }> | undefined {
  const compiled = analysis.policies.find(
    (p) => p.ref.namespace === policy.namespace && p.ref.name === policy.name,
  );
  const rule = (direction === 'ingress' ? compiled?.ingress : compiled?.egress)?.[ruleIndex];
  const peer = rule?.peers[peerIndex];
  return peer?.kind === 'ip-block' ? peer : undefined;
}

function caveat(
  analysis: Analysis,
  decided: ServiceIpCaveat['decided'],
  peer: PeerRef,
  keep: (service: ServiceAddresses) => boolean,
  client: ServiceClient | undefined,
): ServiceIpCaveat[] {
  const compiled = ipBlockPeer(analysis, peer);
  if (!compiled) return [];
  const services = servicesInIpBlock(analysis, compiled.ipBlock, client).filter(keep);
  if (services.length === 0) return [];
  const { cidr, except } = compiled.ipBlock.block;
  const backends = new Set(services.flatMap((service) => service.backends));
  const backendsOutside = [...backends].filter((backend) => {
    const address = parseIpAddress(backend);
    return address === undefined || ipBlockVerdict(compiled.ipBlock, address).kind !== 'inside';
  });
  return [{ decided, peer, cidr, except, services, backendsOutside }];
}

function addressesOf(endpoint: Endpoint): readonly string[] {
  if (endpoint.kind === 'pod') return endpoint.pod.ips;
  return endpoint.kind === 'external' ? [endpoint.ip] : [];
}

/**
 * The caveats of a verdict: each ipBlock that admitted it while containing a ClusterIP, and
 * each ipBlock that missed it while containing the ClusterIP of a Service the other side is a
 * backend of (`source` and `destination` are the flow's endpoints).
 */
export function serviceIpCaveats(
  analysis: Analysis,
  verdict: FlowVerdict,
  source: Endpoint,
  destination: Endpoint,
): ServiceIpCaveat[] {
  // An egress ipBlock is about the source's connections to a ClusterIP: the backends are those
  // kube-proxy sends the source to. An ingress one is about connections from any backend.
  const sourceClient = clientAt(source);
  const sides = [
    { direction: 'egress', side: verdict.egress, peer: destination, client: sourceClient },
    { direction: 'ingress', side: verdict.ingress, peer: source, client: undefined },
  ] as const;
  return sides.flatMap(({ side, peer, client }) => {
    if (side.kind === 'allowed') {
      return side.matches.flatMap(({ peerIndex, ...rule }) =>
        peerIndex === null
          ? []
          : caveat(analysis, 'allowed', { ...rule, peerIndex }, () => true, client),
      );
    }
    if (side.kind !== 'denied') return [];
    const addresses = addressesOf(peer);
    const isBackend = (service: ServiceAddresses) =>
      service.backends.some((backend) => addresses.includes(backend));
    return side.misses.flatMap(({ peerMisses, policy, direction, ruleIndex }) =>
      peerMisses.flatMap(({ peerIndex }) =>
        caveat(analysis, 'denied', { policy, direction, ruleIndex, peerIndex }, isBackend, client),
      ),
    );
  });
}
