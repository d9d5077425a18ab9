import {
  type ClientScope,
  DNS_SERVICE_PORT,
  type DnsAssumed,
  type DnsAssumption,
  type DnsBlock,
  type DnsFound,
  type DnsFoundBy,
  type DnsPort,
  type DnsProtocol,
  type DnsRuleTarget,
  type DnsServerDoubt,
  type DnsServerRef,
  type PortlessDnsPods,
  type UnresolvedDnsPort,
} from '../engine/index.js';
import { labelText } from './selectors.js';
import { firstFewText, terminalText } from './terminal-text.js';

/** Where lookups over one protocol are cut off, as audit and the effect preview judge it. */
export interface DnsBlockWords {
  readonly protocol: DnsProtocol;
  readonly blockedBy: DnsBlock;
  /** The ports the cluster DNS pods take lookups on over the protocol. */
  readonly ports: readonly number[];
  /** The address of NodeLocal DNSCache, when the snapshot runs it. */
  readonly nodeLocal?: string | undefined;
  readonly pods: readonly string[];
  /** Set when the block is possible, not sure: how the DNS Service routes by client. */
  readonly routeUnknown?: ClientScope | undefined;
  /** Set when the block is possible, not sure: the input does not tell the DNS pods. */
  readonly serverUnknown?: DnsServerDoubt | undefined;
  /** Set when the block is at the DNS pods on the pods' node. */
  readonly onTheirNode?: true | undefined;
  /** How the input told the cluster DNS pods. */
  readonly dnsFound: DnsFound;
}

/** The cluster DNS Service by name, as found (kube-system/kube-dns when none was). */
function dnsServiceText(found: DnsFound): string {
  const [server] = found.servers;
  return `the cluster DNS Service ${terminalText(server?.service ?? 'kube-system/kube-dns')}`;
}

/** Why kube-proxy's route makes a DNS block possible, not sure (UNKNOWN). */
function routeUnknownText(scope: ClientScope, found: DnsFound): string {
  const service = dnsServiceText(found);
  return scope === 'internal-traffic-local'
    ? `${service} has internalTrafficPolicy Local and their node (or a DNS pod's) is not known, so which DNS pods kube-proxy sends their lookups to (none when none runs on their node) is not known`
    : `${service} routes by topology hints, so kube-proxy may send their lookups only to the DNS pods hinted for their zone or node, which the input does not tell, and those answer differently`;
}

/** A candidate's DNS pods: `k8s-app=kube-dns in kube-system`, and the Service in front. */
function serverText(server: DnsServerRef): string {
  const labels = Object.entries(server.podLabels).map(([key, value]) => labelText(key, value));
  const pods = `${labels.join(',')} in ${terminalText(server.namespace)}`;
  return server.service ? `${pods}, behind the Service ${terminalText(server.service)}` : pods;
}

/** Named targetPorts by name: `dns for UDP, dns-tcp for TCP`, or `dns for UDP and TCP`. */
function targetPortsText(unresolved: readonly UnresolvedDnsPort[]): string {
  const byName = new Map<string, string[]>();
  for (const { targetPort, protocol } of unresolved) {
    byName.set(targetPort, [...(byName.get(targetPort) ?? []), protocol]);
  }
  const names = [...byName].map(
    ([name, protocols]) => `${terminalText(name)} for ${protocols.join(' and ')}`,
  );
  return names.join(', ');
}

/** Why a candidate's ports are 53 assumed: its Service's named targetPort, unresolved. */
function unresolvedText(unresolved: readonly UnresolvedDnsPort[]): string {
  return `its Service maps port 53 to the named targetPort ${targetPortsText(unresolved)}, which no DNS pod or EndpointSlice in the input resolves to a number`;
}

/** Which DNS pods take no lookups, lacking their Service's named targetPort, and so why. */
function portlessText(portless: readonly PortlessDnsPods[]): string {
  const pods = firstFewText([...new Set(portless.flatMap((p) => p.pods))], (pod) =>
    terminalText(pod),
  );
  return `kube-proxy sends no lookups to pods that lack the named port ${targetPortsText(portless)}: ${pods}`;
}

/**
 * The ports a candidate's DNS pods take lookups on (dnsRulePortsText), saying where 53 is
 * assumed: `UDP and TCP 53 (assumed: its Service maps port 53 to the named targetPort dns ...)`,
 * and which pods take none: `... (kube-proxy sends no lookups to pods that lack ...: openshift-dns/x)`.
 */
function serverPortsText(server: DnsServerRef): string {
  const ports = dnsRulePortsText(server.ports);
  const { unresolvedPorts, portlessPods } = server;
  const assumed = unresolvedPorts ? ` (assumed: ${unresolvedText(unresolvedPorts)})` : '';
  return `${ports}${assumed}${portlessPods ? ` (${portlessText(portlessPods)})` : ''}`;
}

/** A candidate's DNS pods and the ports they take lookups on: `(… in kube-system, on UDP and TCP 53)`. */
function serverWithPortsText(server: DnsServerRef): string {
  return `(${serverText(server)}, on ${serverPortsText(server)})`;
}

/** Several candidates, each with its own ports (never merged: each serves its own). */
function serversText(servers: readonly DnsServerRef[]): string {
  return servers.map(serverWithPortsText).join(', ');
}

/** How the rule that found the DNS pods reads, after their description. */
const FOUND_BY_WORDS: Readonly<Record<DnsFoundBy, string>> = {
  'service-name': ', known by name',
  'service-labels': ', known by its DNS labels',
  'pod-labels': '',
};

/**
 * The cluster DNS pods as found, in words: `the cluster DNS pods (k8s-app=kube-dns in
 * kube-system)`; several candidates each with its ports, unless `listed` already.
 */
function dnsPodsText(found: DnsFound, onTheirNode: boolean, listed: boolean): string {
  const [server] = found.servers;
  const where = onTheirNode ? ' on their node' : '';
  if (!server) return `the cluster DNS pods${where}`;
  if (found.servers.length > 1) {
    return listed
      ? `the cluster DNS pods${where}`
      : `the cluster DNS pods${where} of each Service that looks like the cluster DNS, ${serversText(found.servers)}`;
  }
  const rule = found.foundBy ? FOUND_BY_WORDS[found.foundBy] : '';
  return `the cluster DNS pods${where} (${serverText(server)}${rule})`;
}

/** Why the input leaves a DNS block over `protocol` possible, not sure (UNKNOWN). */
function serverUnknownText(doubt: DnsServerDoubt, found: DnsFound, protocol: DnsProtocol): string {
  if (doubt === 'no-dns-pods') {
    // With their Service in the input the port is known; what egress rules name is not.
    return found.servers.some((server) => server.service)
      ? "the input holds no cluster DNS pods, so the numbers the egress rules' named ports stand for on them are not known"
      : "the input holds no cluster DNS pods, so the port they take lookups on is not known: 53, or another their Service maps 53 to (OpenShift's take 5353)";
  }
  if (doubt === 'target-port-unresolved') {
    const unresolved = found.servers.flatMap((server) =>
      (server.unresolvedPorts ?? []).filter((p) => p.protocol === protocol),
    );
    return `the input holds no cluster DNS pods, and ${dnsServiceText(found)} maps port 53 to the named targetPort ${targetPortsText(unresolved)}, which no EndpointSlice in the input resolves to a number, so the port they take lookups on is not known`;
  }
  if (doubt === 'peers-undecided') {
    return `the input holds no cluster DNS pods, and whether the peers of the egress rules admitting their port select ${dnsPodsText(found, false, false)} hangs on what it does not tell: their labels beyond their Service's selector, their namespace's labels or their IPs`;
  }
  if (doubt === 'deny-undecided') {
    const unseen = found.servers.some((server) => server.service)
      ? `${dnsPodsText(found, false, false)} hangs on what it does not tell: their labels beyond their Service's selector, their service account, their namespace's labels or their IPs`
      : 'them is not known: nothing in it tells where they run or their labels';
    return `the input holds no cluster DNS pods, and whether egress rules that deny or pass traffic before those admitting their port select ${unseen}`;
  }
  return `several Services look like the cluster DNS and select different pods, ${serversText(found.servers)}; which of them the kubelet's clusterDNS address names is not in the API, and they answer differently`;
}

/** A protocol and the DNS pods' ports over it: `UDP 53`, `TCP 1053,5353`. */
export function dnsPortsText(protocol: string, ports: readonly number[]): string {
  return `${protocol} ${ports.join(',')}`;
}

/**
 * The ports an allow-dns rule admits (clusterDnsPorts), in words: `UDP and TCP 53`, or where the
 * DNS Service maps its port 53 to another port of the pods, those ports and the Service's:
 * `UDP and TCP 5353 (the DNS pods' port behind Service port 53)`.
 */
export function dnsRulePortsText(ports: readonly DnsPort[]): string {
  const over = (protocol: DnsProtocol) =>
    ports.filter((p) => p.protocol === protocol).map((p) => p.port);
  const [udp, tcp] = [over('UDP'), over('TCP')];
  const words =
    udp.join() === tcp.join()
      ? dnsPortsText('UDP and TCP', udp)
      : `${dnsPortsText('UDP', udp)} and ${dnsPortsText('TCP', tcp)}`;
  const podPorts = new Set([...udp, ...tcp]);
  if (podPorts.size === 1 && podPorts.has(DNS_SERVICE_PORT)) return words;
  const noun = podPorts.size === 1 ? 'port' : 'ports';
  return `${words} (the DNS pods' ${noun} behind Service port ${DNS_SERVICE_PORT})`;
}

/** Why lookups over one protocol fail. */
function dnsCause(block: DnsBlockWords): string {
  const { protocol, blockedBy, nodeLocal, ports, dnsFound } = block;
  const dnsPods = dnsPodsText(dnsFound, block.onTheirNode === true, !!block.serverUnknown);
  // Several candidates serve their own ports (dnsPodsText names them): merged, these would read
  // as every candidate's.
  const several = dnsFound.servers.length > 1;
  const egress = several ? `egress over ${protocol}` : `egress to ${dnsPortsText(protocol, ports)}`;
  const toPods = several ? `${egress} to ${dnsPods}` : `${egress} of ${dnsPods}`;
  switch (blockedBy) {
    case 'egress':
      return nodeLocal
        ? `${egress} is allowed neither to ${dnsPods} nor to NodeLocal DNSCache (${terminalText(nodeLocal)})${ports.every((port) => port === 53) ? '' : ` on ${protocol} 53`}`
        : `${toPods} is not allowed`;
    case 'dns-ingress':
      return `${toPods} is allowed, but their ingress does not admit it`;
    case 'no-port-53':
      return ports.every((port) => port === DNS_SERVICE_PORT)
        ? `no egress rule admits ${protocol} port 53 (the input holds no cluster DNS pods to check against)`
        : `no egress rule admits ${dnsPortsText(protocol, ports)}, the DNS pods' port behind port 53 of ${dnsServiceText(dnsFound)} (the input holds no cluster DNS pods to check against)`;
    case 'no-local-dns':
      return `${dnsServiceText(dnsFound)} has internalTrafficPolicy Local and no cluster DNS pod serves it on their node, so kube-proxy drops their lookups`;
  }
}

/** Why the block is possible, not sure, and where lookups fail if they do; undefined when sure. */
function doubtText(block: DnsBlockWords): string | undefined {
  const { routeUnknown, serverUnknown, dnsFound } = block;
  const { protocol, ports } = block;
  if (serverUnknown === 'target-port-unresolved') {
    return `UNKNOWN: ${serverUnknownText(serverUnknown, dnsFound, protocol)}; egress admits some ${protocol} ports, but neither every one nor the named port`;
  }
  if (serverUnknown === 'no-dns-pods') {
    return `UNKNOWN: ${serverUnknownText(serverUnknown, dnsFound, protocol)}; no egress rule admits ${protocol} port ${ports.join(',')}, but some admit other ${protocol} ports`;
  }
  if (serverUnknown === 'deny-undecided') {
    return `UNKNOWN: ${serverUnknownText(serverUnknown, dnsFound, protocol)}; where they do, egress to ${dnsPortsText(protocol, ports)} of them may be cut off`;
  }
  if (serverUnknown === 'peers-undecided') {
    return `UNKNOWN: ${serverUnknownText(serverUnknown, dnsFound, protocol)}; no egress rule whose peers surely select them admits ${dnsPortsText(protocol, ports)}`;
  }
  if (serverUnknown) {
    return `UNKNOWN: ${serverUnknownText(serverUnknown, dnsFound, protocol)}; at some of them, ${dnsCause(block)}`;
  }
  if (!routeUnknown) return undefined;
  const refused = block.blockedBy === 'no-local-dns' ? '' : `; of them, ${dnsCause(block)}`;
  return `UNKNOWN: ${routeUnknownText(routeUnknown, dnsFound)}${refused}`;
}

/**
 * What a DNS block means for the pods, and why: "`subject` cannot resolve names: ..." (UDP),
 * or that they resolve over UDP while the TCP fallback is blocked. `subject` is safe text.
 */
export function dnsBlockText(block: DnsBlockWords, subject: string): string {
  const doubt = doubtText(block);
  const cause = doubt ?? dnsCause(block);
  if (block.protocol === 'UDP') {
    return `${subject} ${doubt ? 'may be unable to' : 'cannot'} resolve names: ${cause}`;
  }
  const resolve = block.pods.length === 1 ? 'resolves' : 'resolve';
  return `${subject} ${resolve} names over UDP, but DNS over TCP, the fallback for answers too large for UDP, ${doubt ? 'may be' : 'is'} blocked: ${cause}`;
}

/** What an allow-dns rule assumed of the cluster DNS, after `cluster DNS` (several aside). */
const ASSUMED_WORDS: Readonly<Record<Exclude<DnsAssumed, 'several'>, string>> = {
  'target-port': 'port not resolved',
  'portless-pods': 'pods without its port',
  'not-read': 'not read',
  'not-found': 'not found in the input',
};

/**
 * What a scaffold's allow-dns rule assumed of the cluster DNS, as a warning to check it:
 * `cluster DNS not found in the input: assumed k8s-app=kube-dns in kube-system on UDP and TCP 53; check it`.
 */
export function dnsAssumptionText({ assumed, servers }: DnsAssumption): string {
  if (assumed === 'several') {
    return `several Services look like the cluster DNS and select different pods, so DNS is allowed to each: ${serversText(servers)}; keep only the one the kubelet's clusterDNS address names (it is not in the API)`;
  }
  const [server] = servers;
  const why =
    assumed === 'target-port'
      ? unresolvedText(server?.unresolvedPorts ?? [])
      : assumed === 'portless-pods'
        ? portlessText(server?.portlessPods ?? [])
        : assumed === 'not-read'
          ? 'no cluster or manifests given'
          : undefined;
  const where = `${ASSUMED_WORDS[assumed]}${why ? ` (${why})` : ''}`;
  // A Service named ends the pods' words with a clause: a comma closes it.
  const on = server?.service ? ', on' : ' on';
  const pods = server ? `${serverText(server)}${on} ${dnsRulePortsText(server.ports)}` : '';
  return `cluster DNS ${where}: assumed the pods ${pods}; check it`;
}

/**
 * The DNS pods a rule must admit, with their ports: the one candidate found, each of several,
 * or (none found) kube-dns's on 53, said to be assumed.
 */
export function dnsServersText(found: DnsFound): string {
  const [server, ...others] = found.servers;
  if (!server)
    return "the cluster DNS pods (none in the input; kubeadm's are k8s-app=kube-dns in kube-system) on UDP and TCP 53";
  if (others.length > 0) return `each of ${serversText(found.servers)}`;
  return `${serverText(server)}, on ${serverPortsText(server)}`;
}

/** The assumptions under which an allow-dns rule's ports are 53 by default, not read. */
const PORT_ASSUMED: ReadonlySet<DnsAssumed> = new Set(['target-port', 'not-found', 'not-read']);

/**
 * The ports an allow-dns rule admits to a target's DNS pods (dnsRulePortsText): those of its
 * one server, or of all when they agree; else that each candidate is admitted on its own. Where
 * 53 is assumed (a named targetPort nothing resolves, no cluster DNS found or read), said as
 * dnsAssumptionText says it: `UDP and TCP 53 (assumed: cluster DNS port not resolved)`.
 */
export function dnsTargetPortsText(target: DnsRuleTarget): string {
  const texts = new Set(target.servers.map((server) => dnsRulePortsText(server.ports)));
  const [only] = texts;
  if (!only || texts.size > 1) return "each candidate's own ports";
  const { assumed } = target;
  return assumed && assumed !== 'several' && PORT_ASSUMED.has(assumed)
    ? `${only} (assumed: cluster DNS ${ASSUMED_WORDS[assumed]})`
    : only;
}
