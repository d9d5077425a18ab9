import type { Analysis, Direction } from '../compile/compile.js';
import type { Endpoint, PodEndpoint } from '../compile/endpoint.js';
import { isNodeAddress } from '../evaluate/cilium-peer-match.js';
import { NAMESPACE_NAME_LABEL, type Protocol } from '../model/types.js';
import { identifyingLabels } from '../primitives/identifying-labels.js';
import { labelsSelector } from '../primitives/selector.js';
import { type AnalysisDns, analysisDns } from './analysis-dns.js';
import { type PeerChoice, policyName, type ScaffoldRequest, scaffoldPolicy } from './scaffold.js';

/**
 * Whether an ipBlock of the other side's address would not match it: on Cilium, a hostNetwork
 * pod's (CIDR peers match no pod) or a node's where CIDR peers are not known to match nodes.
 */
function blockMisses(analysis: Analysis, peer: Endpoint): boolean {
  if (analysis.ipBlockReach !== 'outside-cluster') return false;
  if (peer.kind === 'pod') return true;
  return (
    peer.kind === 'external' &&
    analysis.ciliumCidrNodes?.kind !== 'matched' &&
    isNodeAddress(analysis, peer.address)
  );
}

/** The other side of the flow as a peer: its pods by label, or its one address. */
function peerChoice(analysis: Analysis, peer: Endpoint, namespace: string): PeerChoice | undefined {
  if (peer.kind === 'pod' && !peer.pod.hostNetwork) {
    const pods = labelsSelector(identifyingLabels(peer.pod));
    return peer.pod.namespace !== namespace
      ? { pods, namespaces: labelsSelector({ [NAMESPACE_NAME_LABEL]: peer.pod.namespace }) }
      : { pods };
  }
  // A host known by name: NetworkPolicies have no peer for names.
  if (peer.kind === 'hostname' || blockMisses(analysis, peer)) return undefined;
  // Host-network pods send and receive with their node's address: only an ipBlock matches them.
  const ip = peer.kind === 'external' ? peer.ip : peer.pod.ips[0];
  if (ip === undefined) return undefined;
  return { ipBlock: { cidr: `${ip}/${ip.includes(':') ? 128 : 32}`, except: [] } };
}

const namesOfPolicies = new WeakMap<Analysis, ReadonlySet<string>>();

/** The namespace and name of every NetworkPolicy of the cluster, gathered once per analysis. */
function policyNames(analysis: Analysis): ReadonlySet<string> {
  let names = namesOfPolicies.get(analysis);
  if (!names) {
    names = new Set(analysis.cluster.policies.map((p) => `${p.namespace}\0${p.name}`));
    namesOfPolicies.set(analysis, names);
  }
  return names;
}

/**
 * The request with a name of its own when the template's default name is taken in the namespace,
 * by a policy of the cluster or, as `alsoTaken` says, by one written beside it.
 */
export function withFreeName(
  analysis: Analysis,
  request: ScaffoldRequest,
  alsoTaken: (namespace: string, name: string) => boolean = () => false,
): ScaffoldRequest {
  const names = policyNames(analysis);
  const taken = (name: string) =>
    alsoTaken(request.namespace, name) || names.has(`${request.namespace}\0${name}`);
  const { name } = scaffoldPolicy(request);
  if (!taken(name)) return request;
  let n = 2;
  while (taken(policyName(name.slice(0, 59), `${n}`))) n++;
  return { ...request, name: policyName(name.slice(0, 59), `${n}`) };
}

/**
 * The smallest scaffold that allows a denied direction of a flow: an allow rule between the two
 * pods' identifying labels (or the peer's address) on the one port, or allow-dns for the
 * cluster DNS (`dns`, the analysis's). Undefined when the peer is a host-network pod without an
 * address, a host name, or an address the plugin's ipBlocks would not match (blockMisses).
 */
export function scaffoldFix(
  analysis: Analysis,
  direction: Direction,
  subject: PodEndpoint,
  peer: Endpoint,
  port: { readonly protocol: Protocol; readonly port: number; readonly dns: boolean },
  dns: AnalysisDns = analysisDns(analysis),
): ScaffoldRequest | undefined {
  const namespace = subject.pod.namespace;
  if (port.dns) {
    return withFreeName(analysis, {
      kind: 'allow-dns',
      namespace,
      dns: dns.target(),
    });
  }
  const choice = peerChoice(analysis, peer, namespace);
  if (!choice) return undefined;
  return withFreeName(analysis, {
    kind: 'allow',
    namespace,
    direction,
    pods: labelsSelector(identifyingLabels(subject.pod)),
    peers: [choice],
    ports: [{ protocol: port.protocol, port: port.port }],
  });
}
