import type { DnsBlock, FlowChange, PolicyEffect } from '../engine/index.js';
import { dnsBlockText } from './dns.js';
import { byFamilyParts, partsText } from './family-ports.js';
import { portSetText } from './ports.js';
import { scaledToZeroText } from './replicas.js';
import { listText, terminalText } from './terminal-text.js';

/** What to do about DNS cut off by the pods' own egress: the template's flag, if it has one. */
const EGRESS_REMEDY = {
  withFlag: ' (add --allow-dns, or scaffold allow-dns)',
  withoutFlag: ' (scaffold allow-dns for them too)',
};

/** What to do about DNS cut off by the DNS pods' ingress. */
const DNS_INGRESS_REMEDY = " (the DNS pods' ingress policy must admit them)";

/**
 * The remedy when the change is a cluster policy: its own --allow-dns. A NetworkPolicy that
 * allows DNS does not undo an Admin Deny.
 */
const CLUSTER_DNS_REMEDY = ' (add --allow-dns)';

/** How many changed flows the preview lists before summarising. */
const LISTED_CHANGES = 10;

/** A changed flow's ports before or after, each family's marked when they differ: `TCP 5432 (IPv4 only)`. */
function changePortsText(change: FlowChange, side: 'before' | 'after'): string {
  const { families } = change;
  if (!families) return portSetText(change[side]);
  return partsText(byFamilyParts(families.IPv4[side], families.IPv6[side]));
}

/** What the policies previewed came from, which decides the remedy offered for blocked DNS. */
export interface EffectSource {
  /** They include a cluster policy. */
  readonly clusterPolicy: boolean;
  /** Their template takes --allow-dns (default-deny and the cluster templates). */
  readonly allowDnsFlag: boolean;
}

/**
 * The preview of what adding policies changes: the policies they write over, flows opened and
 * closed, DNS blocked (with the remedy that suits where the policies came from).
 */
export function effectLines(effect: PolicyEffect, source: EffectSource): string[] {
  const change = (verb: string, flows: PolicyEffect['opened']) => [
    `${verb} ${flows.length} flow${flows.length === 1 ? '' : 's'}`,
    ...flows
      .slice(0, LISTED_CHANGES)
      .map(
        (f) =>
          `  ${terminalText(f.from)} -> ${terminalText(f.to)}: ${changePortsText(f, 'before')} => ${changePortsText(f, 'after')}`,
      ),
    ...(flows.length > LISTED_CHANGES ? [`  ... and ${flows.length - LISTED_CHANGES} more`] : []),
  ];
  const remedy = (block: DnsBlock) => {
    if (block === 'dns-ingress') return DNS_INGRESS_REMEDY;
    // kube-proxy drops those lookups, whatever the policies say.
    if (block === 'no-local-dns') return '';
    if (source.clusterPolicy) return CLUSTER_DNS_REMEDY;
    return source.allowDnsFlag ? EGRESS_REMEDY.withFlag : EGRESS_REMEDY.withoutFlag;
  };
  const dns = effect.dnsBlocked.map((loss) => {
    const n = loss.pods.length;
    const subject = `${n} pod${n === 1 ? '' : 's'}`;
    const words = { ...loss, nodeLocal: effect.nodeLocal, dnsFound: effect.dnsFound };
    const verb = loss.routeUnknown || loss.serverUnknown ? 'may block' : 'blocks';
    const before = loss.wasPossible ? ' (before, it may have been blocked)' : '';
    return `${verb} DNS${loss.protocol === 'TCP' ? ' over TCP' : ''}${before}: ${dnsBlockText(words, subject)}: ${listText(loss.pods)}${remedy(loss.blockedBy)}`;
  });
  const idle = (effect.scaledToZero ?? []).map(
    (workload) =>
      `${scaledToZeroText(workload)}: the policy selects its pods, whose flows change once it runs`,
  );
  const replaced = (effect.replaced ?? []).map(
    (name) =>
      `replaces ${terminalText(name)}, which has the same name: applying it writes over that policy (the flows below count that)`,
  );
  return [
    ...replaced,
    ...change('opens', effect.opened),
    ...change('blocks', effect.closed),
    ...dns,
    ...idle,
  ];
}
