import {
  type CiliumRefusalDoubt,
  type CiliumRefusalReason,
  type CiliumSctpDrop,
  type Cluster,
  ciliumReleaseText,
  doubtWords,
  hidesOnlyStagedPolicies,
  type IpBlock,
  releaseWindowText,
  ruleShapeText,
  type UndecidedLayer,
  type UnmodelledPolicy,
  type UnreadList,
} from '../engine/index.js';
import { locationText } from './findings.js';
import { selectorText } from './selectors.js';
import { terminalList, terminalText } from './terminal-text.js';

/** What the input could not show, as every JSON and YAML answer carries it. */
export interface CompletenessData {
  /** True when some list could not be read. */
  readonly partial: boolean;
  readonly unread: readonly UnreadList[];
  readonly unmodelled: readonly UnmodelledPolicy[];
  /** True when a staged policy list went unread: verdicts stand, staged previews may miss some. */
  readonly stagedPreviewsIncomplete?: true;
}

/** The completeness fields of a structured answer. */
export function completenessData(cluster: Cluster): CompletenessData {
  const unread = cluster.unread ?? [];
  return {
    partial: unread.length > 0,
    unread,
    unmodelled: cluster.unmodelledPolicies ?? [],
    ...(unread.some(hidesOnlyStagedPolicies) ? { stagedPreviewsIncomplete: true } : {}),
  };
}

/** How many unread lists or unmodelled policies are named before "and N more". */
const NAMED_LIMIT = 10;

function limited(lines: readonly string[]): string[] {
  if (lines.length <= NAMED_LIMIT) return [...lines];
  return [...lines.slice(0, NAMED_LIMIT), `  and ${lines.length - NAMED_LIMIT} more`];
}

/** An unread list and where: `networkpolicies in namespace shop`, or `configmaps kube-system/cilium-config`. */
function unreadWhat({ resource, namespace, name }: UnreadList): string {
  if (name)
    return `${terminalText(resource)} ${terminalText(namespace ? `${namespace}/${name}` : name)}`;
  const where = namespace ? ` in namespace ${terminalText(namespace)}` : '';
  return `${terminalText(resource)}${where}`;
}

/** What Cilium's enforcement modes other than the assumed `default` would do. */
const MODE_EFFECT = {
  always: 'would isolate every pod',
  never: 'would enforce no policy',
} as const;

/** Why a list went unread and how to check: `(403 Forbidden); check: kubectl auth can-i ...`. */
function unreadWhy({ reason, canI }: UnreadList): string {
  return `(${terminalText(reason)}); check: ${terminalText(canI)}`;
}

/**
 * A policy not evaluated, and where a manifest holds it:
 * `CiliumNetworkPolicy shop/allow-web (cilium.io/v2) in cluster.yaml:12 (document 3)`.
 */
function unmodelledName({ kind, namespace, name, apiVersion, location }: UnmodelledPolicy): string {
  const id = namespace ? `${namespace}/${name}` : name;
  const where = location ? ` in ${locationText(location)}` : '';
  return `${terminalText(kind)} ${terminalText(id)} (${terminalText(apiVersion)})${where}`;
}

function unreadLine(list: UnreadList): string {
  return `  ${unreadWhat(list)} ${unreadWhy(list)}`;
}

function unmodelledLine(policy: UnmodelledPolicy): string {
  return `  ${unmodelledName(policy)}`;
}

/**
 * Says once, at the end of a text answer, which lists could not be read and which policies
 * were not evaluated; nothing when the input is complete. Names are escaped for the terminal.
 */
export function completenessLines(cluster: Cluster): string[] {
  const { unread, unmodelled, stagedPreviewsIncomplete } = completenessData(cluster);
  return [
    ...(unread.length > 0
      ? [
          '',
          'partial: these lists could not be read, and what they hold is not in this answer:',
          ...limited(unread.map(unreadLine)),
        ]
      : []),
    ...(stagedPreviewsIncomplete
      ? [
          'staged policies are never enforced, so an unread staged list leaves the verdicts as they are; the staged previews are incomplete',
        ]
      : []),
    ...(unmodelled.length > 0
      ? [
          '',
          'not evaluated: these policies are of kinds the engine does not evaluate yet, and this answer does not include their effect:',
          ...limited(unmodelled.map(unmodelledLine)),
        ]
      : []),
  ];
}

/** The header badges of a snapshot: partial, and how many policies were not evaluated. */
export function completenessBadges(cluster: Cluster): string[] {
  const { partial, unread, unmodelled } = completenessData(cluster);
  return [
    ...(partial ? [`PARTIAL (${unread.length} unread)`] : []),
    ...(unmodelled.length > 0
      ? [`${unmodelled.length} unmodelled ${unmodelled.length === 1 ? 'policy' : 'policies'}`]
      : []),
  ];
}

/** An ipBlock as written: `10.0.0.0/8 except 10.1.0.0/16`. */
function ipBlockText({ cidr, except }: IpBlock): string {
  return except.length > 0 ? `${cidr} except ${except.join(', ')}` : cidr;
}

/** Why a side depends on the other side's unknown IP, naming the blocks and the pod range. */
function podIpText(layer: Extract<UndecidedLayer, { kind: 'pod-ip' }>): string {
  const whose = layer.workload
    ? `the IP of ${terminalText(layer.pod)}'s pods`
    : `the IP of pod ${terminalText(layer.pod)}, which has none yet`;
  const blocks = `ipBlock ${terminalList(layer.ipBlocks.map(ipBlockText))}`;
  const ranges = terminalList(layer.podCidrs);
  const why = layer.hostNetwork
    ? `it uses the host network, so its IP is its node's, which ${blocks} may or may not hold`
    : ranges
      ? `${blocks} covers part of the pod range ${ranges}`
      : `${blocks} may or may not hold it, and the pod range is unknown (no Node shows its podCIDRs: pass --pod-cidr)`;
  return `depends on ${whose}: ${why}`;
}

/** Why a side depends on the labels of a namespace the input does not hold, and how to settle it. */
function namespaceNotGivenText(layer: Extract<UndecidedLayer, { kind: 'namespace-not-given' }>) {
  const namespace = terminalText(layer.namespace);
  // selectorText shows keys and values safely already.
  const selectors = layer.selectors.map((selector) => selectorText(selector) ?? '{}').join('; ');
  return `namespace ${namespace} is not in the input, so of its labels only kubernetes.io/metadata.name is known, and namespaceSelector ${selectors} needs others: add its Namespace manifest, or read the live cluster`;
}

/** Why the plugin's reading of hostNetwork pods in selectors is open, and how to settle it. */
export function hostNetworkReadingText(plugin: string): string {
  const known =
    plugin === 'unknown'
      ? 'the network plugin is not known'
      : `the network plugin (${terminalText(plugin)}) is not known to ignore such pods`;
  return `Kubernetes lets a plugin apply selectors to hostNetwork pods or ignore them (taking their traffic as the node's), and ${known} (its workloads in the input, or the live cluster, show it)`;
}

/** Why a side depends on whether the network plugin applies selectors to a hostNetwork pod. */
function hostNetworkSelectorsText(
  layer: Extract<UndecidedLayer, { kind: 'host-network-selectors' }>,
) {
  return `${terminalText(layer.hostPod)} uses the host network and a selector here would select it: ${hostNetworkReadingText(layer.plugin)}`;
}

/** Why a hostNetwork pod's side depends on whether the policies selecting it apply to it. */
function hostNetworkSubjectText(layer: Extract<UndecidedLayer, { kind: 'host-network-subject' }>) {
  const select = layer.policies.length === 1 ? 'selects' : 'select';
  return `the pod uses the host network and ${terminalList(layer.policies)} ${select} it, isolating it only if the plugin applies selectors to such pods: ${hostNetworkReadingText(layer.plugin)}`;
}

/** Why Cilium's datapath drops SCTP: its version, or cilium-config leaving enable-sctp off. */
export function ciliumSctpDropText(sctp: CiliumSctpDrop): string {
  const version = sctp.kind === 'dropped' ? sctp.version : undefined;
  if (version) {
    return `agent image ${terminalText(version.image)} runs Cilium ${version.major}.${version.minor}, which drops every SCTP packet (SCTP support came in 1.13)`;
  }
  return 'Cilium drops every SCTP packet before any policy: cilium-config does not set enable-sctp: "true" (off by default)';
}

/** Why the Cilium agent refuses a policy whole. */
export function ciliumRefusalReasonText(reason: CiliumRefusalReason): string {
  const { version } = reason;
  const runs = version
    ? `agent image ${terminalText(version.image)} runs Cilium ${version.major}.${version.minor}`
    : '';
  if (reason.kind === 'rule-shape') {
    const release = `Cilium ${ciliumReleaseText(reason.version)}`;
    return `its ${reason.list} rule ${reason.ruleIndex + 1} ${ruleShapeText(reason.shape)}, and agent image ${terminalText(reason.version.image)} runs ${release}, which refuses such a policy (refused ${releaseWindowText(reason.refusedIn)})`;
  }
  return reason.kind === 'sctp-port'
    ? `it names SCTP in a port, and ${runs}, which refuses such a policy (SCTP came in 1.13)`
    : version
      ? `it has icmps rules, and ${runs}, which refuses them unless cilium-config sets enable-icmp-rules: "true" (off by default before 1.12)`
      : 'it has icmps rules, and cilium-config sets enable-icmp-rules off';
}

/** Why a Cilium version cannot be told; a release number ends it. */
const VERSION_UNKNOWN =
  'the Cilium version is not known (no agent image tag in the input tells it, down to the patch or past a pre-release where one decides, or agents run versions on both sides of';

/** Why the Cilium agent may refuse a policy whole, and why that cannot be told. */
function ciliumRefusalDoubtText(doubt: CiliumRefusalDoubt): string {
  if (doubt.kind === 'sctp-port')
    return `Cilium before 1.13 refuses a policy naming SCTP in a port, and ${VERSION_UNKNOWN} 1.13)`;
  if (doubt.kind === 'icmp-deny-rules')
    return `enable-icmp-rules is off, and Cilium refuses a policy with icmps in deny rules for that only from 1.16.7: ${VERSION_UNKNOWN} 1.16.7)`;
  if (doubt.kind === 'rule-shape') {
    const { since, until } = doubt.refusedIn;
    const bounds = until
      ? `${ciliumReleaseText(since)} or ${ciliumReleaseText(until)}`
      : ciliumReleaseText(since);
    return `Cilium ${releaseWindowText(doubt.refusedIn)} refuses a policy whose ${doubt.deny ? 'deny' : 'allow'} rule ${ruleShapeText(doubt.shape)}, and ${VERSION_UNKNOWN} ${bounds})`;
  }
  const refuses = 'Cilium refuses a policy with icmps rules unless enable-icmp-rules is on';
  return doubt.unread
    ? `${refuses}, and ${unreadWhat(doubt.unread)} could not be read ${unreadWhy(doubt.unread)}`
    : `${refuses}, which cilium-config does not set, and its default (off in 1.11, on from 1.12) depends on the version: ${VERSION_UNKNOWN} 1.12)`;
}

/** Why cilium-config is not known: it could not be read (`unread`), or is not in the input. */
function ciliumConfigMissing(unread: UnreadList | undefined): string {
  return unread
    ? `${unreadWhat(unread)} could not be read ${unreadWhy(unread)}`
    : 'ConfigMap kube-system/cilium-config is not in the input';
}

/** Why whether Cilium's datapath passes SCTP cannot be told. */
function ciliumSctpUnknownText(layer: Extract<UndecidedLayer, { kind: 'cilium-sctp-unknown' }>) {
  const { unread, olderAgent } = layer;
  if (olderAgent) {
    return `cilium-config turns enable-sctp on, but agent image ${terminalText(olderAgent.image)} runs Cilium ${olderAgent.major}.${olderAgent.minor}, before 1.13, which drops every SCTP packet: pods on its nodes get no SCTP`;
  }
  return `${ciliumConfigMissing(unread)}, so whether Cilium passes SCTP is unknown: its datapath drops every SCTP packet unless cilium-config sets enable-sctp: "true" (off by default)`;
}

/** Why a node's address held by Cilium CIDR peers leaves a side UNKNOWN. */
function ciliumCidrNodesText(layer: Extract<UndecidedLayer, { kind: 'cilium-cidr-nodes' }>) {
  return `${terminalText(layer.address)} is a node's address, and ${ciliumConfigMissing(layer.unread)}: Cilium's CIDR rules (ipBlock, fromCIDR, toCIDR) match node addresses only when cilium-config's policy-cidr-match-mode names nodes (off by default)`;
}

/** Why Cilium's high-scale ipcache mode makes an egress side UNKNOWN (`unread`: it may be on). */
function ciliumHighScaleText(unread: UnreadList | undefined): string {
  const mode = unread
    ? `${unreadWhat(unread)} could not be read ${unreadWhy(unread)}, so whether it sets enable-high-scale-ipcache is unknown`
    : 'cilium-config sets enable-high-scale-ipcache';
  return `${mode}: in that mode Cilium 1.14 to 1.17 keeps other nodes' pods out of its ipcache, so egress rules see such a destination by its address (world, or a CIDR rule), not by its labels, and which destinations those are is not modelled`;
}

/** Why which backends a toServices entry's Service stands for cannot be told. */
function ciliumServiceReleaseText(
  layer: Extract<UndecidedLayer, { kind: 'cilium-service-release' }>,
): string {
  const names = `${terminalText(layer.policy)} ${layer.list} rule ${layer.ruleIndex + 1} names Service ${terminalText(layer.service)} in toServices`;
  if (layer.selector)
    return `${names}, which has a selector: Cilium matches its pods from 1.17 and nothing before, and ${VERSION_UNKNOWN} 1.17)`;
  const unread = layer.settingUnread;
  const setting =
    unread &&
    `Cilium before 1.18 takes its serving endpoints that are not ready only with enable-k8s-terminating-endpoint on (the default), and ${unreadWhat(unread)} could not be read ${unreadWhy(unread)}`;
  if (!layer.release) return `${names}: ${setting}`;
  const release = `${names}, whose EndpointSlices hold endpoints only some Cilium releases take (those neither ready nor serving from 1.19; before 1.18 alone, those of a slice listing no port), and ${VERSION_UNKNOWN} 1.18 or 1.19)`;
  return setting ? `${release}; ${setting}` : release;
}

/** Why a side cannot tell whether a hostNetwork pod is on its pod's node, and how to settle it. */
function nodeUnknownText(layer: Extract<UndecidedLayer, { kind: 'node-unknown' }>): string {
  const host = terminalText(layer.hostPod);
  const missing = [
    ...(layer.node === undefined ? ['this pod'] : []),
    ...(layer.hostNode === undefined ? [`host-network pod ${host}`] : []),
  ].join(' and ');
  return `Kubernetes always allows traffic between a pod and the host of its node, and whether ${host} runs on this pod's node is unknown: ${missing} ${layer.node === undefined && layer.hostNode === undefined ? 'have' : 'has'} no spec.nodeName (read the live cluster, or give the scheduled pods)`;
}

/**
 * Why one side of a flow is UNKNOWN: a list not read, a policy of a kind not evaluated, the
 * other side's unknown IP, or a cluster policy whose effect objects cannot tell.
 */
export function undecidedLayerText(layer: UndecidedLayer): string {
  switch (layer.kind) {
    case 'unread':
      return `${unreadWhat(layer.list)} could not be read ${unreadWhy(layer.list)}`;
    case 'unmodelled':
      return `${unmodelledName(layer.policy)} may select it, and the engine does not evaluate that kind yet (--ignore-unmodelled answers without it)`;
    case 'node-unknown':
      return nodeUnknownText(layer);
    case 'node-local-plugin':
      return `Kubernetes always allows traffic between a pod and the host of its node, and whether ${layer.plugin} lets it through past its own policies too is not modelled`;
    case 'nodes-not-given':
      return `${terminalText(layer.policy)} has a nodes peer, and the input holds no Node objects to match it`;
    case 'domain-names':
      return layer.policy.startsWith('cilium')
        ? `${terminalText(layer.policy)} egress rule ${layer.ruleIndex + 1} has toFQDNs: which addresses it matches depends on DNS`
        : `${terminalText(layer.policy)} egress rule ${layer.ruleIndex + 1} has a domainNames peer: which addresses it matches depends on DNS`;
    case 'cilium-entity':
      return `${terminalText(layer.policy)} names the ${terminalList(layer.entities)} entit${layer.entities.length === 1 ? 'y' : 'ies'}, whose members objects cannot tell (which node a host-network pod runs on, the API server's or health endpoints' addresses)`;
    case 'cilium-host-policy':
      return `${terminalText(layer.policy)} is a host policy (nodeSelector), which the engine does not evaluate`;
    case 'cilium-service-release':
      return ciliumServiceReleaseText(layer);
    case 'cilium-high-scale-ipcache':
      return ciliumHighScaleText(layer.unread);
    case 'cilium-cidr-nodes':
      return ciliumCidrNodesText(layer);
    case 'cilium-service-unread':
      return `${terminalText(layer.policy)} ${layer.list} rule ${layer.ruleIndex + 1} names Service ${terminalText(layer.service)} in toServices, and ${unreadWhat(layer.unread)} could not be read ${unreadWhy(layer.unread)}: which addresses it matches is unknown`;
    case 'cilium-enforcement-unread':
      return `${unreadWhat(layer.list)} could not be read ${unreadWhy(layer.list)}, so Cilium's enable-policy is unknown: "${layer.mode}" ${MODE_EFFECT[layer.mode]} and answer otherwise than the "default" assumed`;
    case 'cilium-cluster-policies-unread':
      return `${unreadWhat(layer.list)} could not be read ${unreadWhy(layer.list)}, so whether Cilium enforces ClusterNetworkPolicies is unknown: without enable-k8s-cluster-network-policy (off by default) it ignores them and would answer otherwise`;
    case 'cluster-policy-support':
      return terminalText(doubtWords(layer.doubt, layer.policyKind));
    case 'cilium-unsupported':
      return `${terminalText(layer.policy)} selects it with ${terminalList(layer.fields)}, which the engine does not evaluate`;
    case 'cilium-endport-version':
      return `${terminalList(layer.policies)} use${layer.policies.length === 1 ? 's' : ''} endPort, which Cilium before 1.16 ignores (a range then admits only its first port), and the version of Cilium could not be read from its agent image's tag`;
    case 'cilium-sctp-unknown':
      return ciliumSctpUnknownText(layer);
    case 'cilium-refusal-unknown':
      return `${terminalList(layer.policies)} may be refused whole (${layer.doubts.map(ciliumRefusalDoubtText).join('; ')}), and without ${layer.policies.length === 1 ? 'it' : 'them'} the answer differs`;
    case 'equal-priority':
      return `${terminalText(layer.policies[0])} and ${terminalText(layer.policies[1])} share ${layer.tier} tier priority ${layer.priority} with rules of different actions: which one applies is undefined`;
    case 'pod-ip':
      return podIpText(layer);
    case 'namespace-not-given':
      return namespaceNotGivenText(layer);
    case 'host-network-selectors':
      return hostNetworkSelectorsText(layer);
    case 'host-network-subject':
      return hostNetworkSubjectText(layer);
    case 'calico-unevaluated':
      return `${terminalText(layer.policy)}${layer.ruleIndex === undefined ? '' : ` rule ${layer.ruleIndex + 1}`} matches on ${terminalList(layer.parts)}, which the engine cannot decide`;
    case 'plugin-unknown':
      return `${terminalList(layer.plugins)} policies are both present and the network plugin is not known: which of them the cluster enforces cannot be told`;
    case 'hostname-addresses':
      return `depends on the addresses ${terminalText(layer.hostname)} resolves to: ipBlock ${terminalList(layer.ipBlocks.map(ipBlockText))} may or may not hold them (a name may resolve to IPv4 or IPv6 addresses)`;
  }
}
