import type { Analysis } from '../compile/compile.js';
import { type Endpoint, endpointChain, type PodEndpoint } from '../compile/endpoint.js';
import { evaluateFlow, type FlowVerdict } from '../evaluate/evaluate.js';
import { chainRegions } from '../evaluate/unknown-ip.js';
import { addressText, type IpAddress } from '../primitives/ip-block.js';
import { nodeAddresses } from './admitted-addresses.js';
import { verdictDependsOnSourceAddress } from './source-nat.js';

/** An address outside the pods, as a source endpoint. */
type ExternalEndpoint = Extract<Endpoint, { kind: 'external' }>;

/** The endpoint of an address outside the pods. */
export const externalEndpoint = (address: IpAddress): ExternalEndpoint => ({
  kind: 'external',
  ip: addressText(address.family, address.value),
  address,
});

/** Whether the kernel knows a pod's node as a host: a hostNetwork pod of the input runs there. */
function nodeHostKnown(analysis: Analysis, pod: PodEndpoint['pod']): boolean {
  const node = pod.nodeName;
  return node !== undefined && analysis.pods.some((p) => p.hostNetwork && p.nodeName === node);
}

/**
 * The addresses a node may give a client outside the pods when it masquerades the client's
 * connection to a Service's backend. kube-proxy marks such a connection and masquerades it
 * (KUBE-POSTROUTING, kubernetes pkg/proxy/iptables/proxier.go), and MASQUERADE maps the source
 * "to the IP address of the interface the packet is going out" (iptables-extensions(8)): the
 * interface toward the backend, which is the node's own (status.addresses) where pods are routed,
 * or a bridge or tunnel whose address comes from the node's pod range where they are not (the
 * CNI bridge plugin gives the bridge "an IP that was returned by IPAM", containernetworking
 * plugins, plugins/main/bridge/README.md). So: every Node address of the family, and one
 * address per region the backend's ingress CIDRs cut the pod ranges into.
 *
 * undefined where that set is not known: no Node in the input, no pod range, too many regions;
 * on Cilium, whose CIDR selectors "do not match in-cluster entities (pods or nodes)" unless
 * policy-cidr-match-mode says so (Documentation/security/policy/language.rst, cilium v1.16.19),
 * which is not read; where a ClusterNetworkPolicy names nodes, which may or may not count a
 * bridge's address as theirs; and where the backend's own node is not known to the kernel as a
 * host (its hostNetwork pods): a backend on the node that masquerades sees its own node, whose
 * traffic NetworkPolicies cannot block ("block access from their resident node", NetworkPolicy
 * docs, "What you can't do").
 */
export function masqueradeSources(
  analysis: Analysis,
  family: IpAddress['family'],
  backend: PodEndpoint,
): ExternalEndpoint[] | undefined {
  const nodes = analysis.cluster.nodes ?? [];
  if (nodes.length === 0 || analysis.ipBlockReach === 'outside-cluster') return undefined;
  if (!nodeHostKnown(analysis, backend.pod)) return undefined;
  const chain = endpointChain(analysis, backend, 'ingress');
  const namesNodes = chain.rules.some((rule) =>
    rule.peers.some((peer) => peer.kind === 'ip-block' && peer.node),
  );
  const podRanges = analysis.podRange.ranges.filter((range) => range.family === family);
  if (namesNodes || podRanges.length === 0) return undefined;
  const regions = chainRegions(chain, podRanges);
  if (!regions) return undefined;
  return [...nodeAddresses(analysis, family), ...regions].map(externalEndpoint);
}

/**
 * Whether the verdict on a client outside the pods holds when a node masquerades its connection
 * to the backend: the address does not decide it, or the kernel answers alike for every address
 * the node may give it (masqueradeSources).
 */
export function masqueradedVerdictHolds(
  analysis: Analysis,
  client: ExternalEndpoint,
  backend: PodEndpoint,
  verdict: FlowVerdict,
): boolean {
  if (!verdictDependsOnSourceAddress(analysis, verdict)) return true;
  const sources = masqueradeSources(analysis, client.address.family, backend);
  const answer = (source: ExternalEndpoint) =>
    evaluateFlow(analysis, source, backend, verdict.protocol, verdict.port, 'service-ip').verdict;
  return sources?.every((source) => answer(source) === verdict.verdict) ?? false;
}
