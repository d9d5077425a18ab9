import type { DnsBlock, DnsProtocol } from '../engine/index.js';
import { terminalText } from './terminal-text.js';

/** Where lookups over one protocol are cut off, as audit and the effect preview judge it. */
export interface DnsBlockWords {
  readonly protocol: DnsProtocol;
  readonly blockedBy: DnsBlock;
  /** The address of NodeLocal DNSCache, when the snapshot runs it. */
  readonly nodeLocal?: string | undefined;
  readonly pods: readonly string[];
}

/** Why lookups over one protocol fail. */
function dnsCause({ protocol, blockedBy, nodeLocal }: DnsBlockWords): string {
  switch (blockedBy) {
    case 'egress':
      return nodeLocal
        ? `egress to ${protocol} 53 is allowed neither to the cluster DNS pods (k8s-app=kube-dns in kube-system) nor to NodeLocal DNSCache (${terminalText(nodeLocal)})`
        : `egress to ${protocol} 53 of the cluster DNS pods (k8s-app=kube-dns in kube-system) is not allowed`;
    case 'dns-ingress':
      return `egress to ${protocol} 53 of the DNS pods is allowed, but the DNS pods' ingress does not admit it`;
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
