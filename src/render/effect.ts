import type { DnsBlock, PolicyEffect } from '../engine/index.js';
import { dnsBlockText } from './dns.js';
import { portSetText } from './ports.js';
import { listText, terminalText } from './terminal-text.js';

/** What to do about a DNS block the preview announces, by where it is cut off. */
const DNS_REMEDY: Readonly<Record<DnsBlock, string>> = {
  egress: ' (add --allow-dns, or scaffold allow-dns)',
  'no-port-53': ' (add --allow-dns, or scaffold allow-dns)',
  'dns-ingress': " (the DNS pods' ingress policy must admit them)",
};

/**
 * The remedy when the change is a cluster policy: its own --allow-dns. A NetworkPolicy that
 * allows DNS does not undo an Admin Deny.
 */
const CLUSTER_DNS_REMEDY = ' (add --allow-dns)';

/** How many changed flows the preview lists before summarising. */
const LISTED_CHANGES = 10;

/**
 * The preview of what adding policies changes: flows opened and closed, DNS blocked (with the
 * remedy that suits the policies added: `clusterPolicy` when they include a cluster policy).
 */
export function effectLines(effect: PolicyEffect, clusterPolicy = false): string[] {
  const change = (verb: string, flows: PolicyEffect['opened'], side: 'before' | 'after') => [
    `${verb} ${flows.length} flow${flows.length === 1 ? '' : 's'}`,
    ...flows
      .slice(0, LISTED_CHANGES)
      .map(
        (f) =>
          `  ${terminalText(f.from)} -> ${terminalText(f.to)}: ${portSetText(f.before)} => ${portSetText(f[side === 'before' ? 'before' : 'after'])}`,
      ),
    ...(flows.length > LISTED_CHANGES ? [`  ... and ${flows.length - LISTED_CHANGES} more`] : []),
  ];
  const remedy = (block: DnsBlock) =>
    clusterPolicy && block !== 'dns-ingress' ? CLUSTER_DNS_REMEDY : DNS_REMEDY[block];
  const dns = effect.dnsBlocked.map((loss) => {
    const n = loss.pods.length;
    const subject = `${n} pod${n === 1 ? '' : 's'}`;
    const words = { ...loss, nodeLocal: effect.nodeLocal };
    return `blocks DNS${loss.protocol === 'TCP' ? ' over TCP' : ''}: ${dnsBlockText(words, subject)}: ${listText(loss.pods)}${remedy(loss.blockedBy)}`;
  });
  return [
    ...change('opens', effect.opened, 'after'),
    ...change('blocks', effect.closed, 'after'),
    ...dns,
  ];
}
