import {
  type ClientScope,
  DNS_SERVICE_PORT,
  type DnsBlock,
  type DnsPort,
  type DnsProtocol,
} from '../engine/index.js';
import { terminalText } from './terminal-text.js';

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
}

/** The cluster DNS Service, as the words name it. */
const DNS_SERVICE = 'the cluster DNS Service kube-system/kube-dns';

/** Why kube-proxy's route makes a DNS block possible, not sure (UNKNOWN). */
const ROUTE_UNKNOWN_WORDS: Readonly<Record<ClientScope, string>> = {
  'internal-traffic-local': `${DNS_SERVICE} has internalTrafficPolicy Local and their node (or a DNS pod's) is not known, so which DNS pods kube-proxy sends their lookups to (none when none runs on their node) is not known`,
  'topology-hints': `${DNS_SERVICE} routes by topology hints, so kube-proxy may send their lookups only to the DNS pods hinted for their zone or node, which the input does not tell, and those answer differently`,
};

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
function dnsCause({ protocol, blockedBy, nodeLocal, ports }: DnsBlockWords): string {
  const onPods = dnsPortsText(protocol, ports);
  switch (blockedBy) {
    case 'egress':
      return nodeLocal
        ? `egress to ${onPods} is allowed neither to the cluster DNS pods (k8s-app=kube-dns in kube-system) nor to NodeLocal DNSCache (${terminalText(nodeLocal)})${ports.every((port) => port === 53) ? '' : ` on ${protocol} 53`}`
        : `egress to ${onPods} of the cluster DNS pods (k8s-app=kube-dns in kube-system) is not allowed`;
    case 'dns-ingress':
      return `egress to ${onPods} of the DNS pods is allowed, but the DNS pods' ingress does not admit it`;
    case 'no-port-53':
      return `no egress rule admits ${protocol} port 53 (the input holds no cluster DNS pods to check against)`;
    case 'no-local-dns':
      return `${DNS_SERVICE} has internalTrafficPolicy Local and no cluster DNS pod serves it on their node, so kube-proxy drops their lookups`;
  }
}

/**
 * What a DNS block means for the pods, and why: "`subject` cannot resolve names: ..." (UDP),
 * or that they resolve over UDP while the TCP fallback is blocked. `subject` is safe text.
 */
export function dnsBlockText(block: DnsBlockWords, subject: string): string {
  const doubt = block.routeUnknown;
  const refused = block.blockedBy === 'no-local-dns' ? '' : `; of them, ${dnsCause(block)}`;
  const cause = doubt ? `UNKNOWN: ${ROUTE_UNKNOWN_WORDS[doubt]}${refused}` : dnsCause(block);
  if (block.protocol === 'UDP') {
    return `${subject} ${doubt ? 'may be unable to' : 'cannot'} resolve names: ${cause}`;
  }
  const resolve = block.pods.length === 1 ? 'resolves' : 'resolve';
  return `${subject} ${resolve} names over UDP, but DNS over TCP, the fallback for answers too large for UDP, ${doubt ? 'may be' : 'is'} blocked: ${cause}`;
}
