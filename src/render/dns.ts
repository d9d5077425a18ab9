import type { DnsBlock, DnsProtocol } from '../engine/index.js';
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
}

/** A protocol and the DNS pods' ports over it: `UDP 53`, `TCP 1053,5353`. */
export function dnsPortsText(protocol: string, ports: readonly number[]): string {
  return `${protocol} ${ports.join(',')}`;
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
  }
}

/**
 * What a DNS block means for the pods, and why: "`subject` cannot resolve names: ..." (UDP),
 * or that they resolve over UDP while the TCP fallback is blocked. `subject` is safe text.
 */
export function dnsBlockText(block: DnsBlockWords, subject: string): string {
  if (block.protocol === 'UDP') return `${subject} cannot resolve names: ${dnsCause(block)}`;
  const resolve = block.pods.length === 1 ? 'resolves' : 'resolve';
  return `${subject} ${resolve} names over UDP, but DNS over TCP, the fallback for answers too large for UDP, is blocked: ${dnsCause(block)}`;
}
