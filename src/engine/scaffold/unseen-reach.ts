import type { Analysis } from '../compile/compile.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import { podRangeCoverage } from '../evaluate/unknown-ip.js';
import type { CompiledIpBlock, RangeCoverage } from '../primitives/ip-block.js';
import type { DnsPods, DnsServerRef } from './cluster-dns.js';

/**
 * Whether a peer holds DNS pods the input does not hold, known only by their Service: they run
 * in its namespace and carry its selector's labels, maybe more (the Service sends only to pods
 * of its namespace its selector matches: kubernetes.io/docs/concepts/services-networking/
 * service/#services-in-kubernetes), at an unknown IP in the pod ranges. `yes`: every such pod
 * is a peer; `no`: none is; `maybe`: it hangs on what the input does not tell (their other
 * labels and service account, their namespace's labels, their IPs, the address family lookups
 * take).
 */
export type UnseenPodReach = 'yes' | 'no' | 'maybe';

/** DNS pods the input does not hold: where they run, their labels, their address families. */
export interface UnseenDnsPods extends DnsPods {
  /** The families lookups to them can take (unseenDnsFamilies); undefined when unknown. */
  readonly families?: ReadonlySet<AddressFamily> | undefined;
}

/** A candidate for the cluster DNS with a Service, its pods not in the input (UnseenDnsPods). */
export interface UnseenDnsServer extends DnsServerRef, UnseenDnsPods {}

/** How an ipBlock's coverage of the pod ranges reads for a pod whose IP is unknown. */
const BY_COVERAGE: Readonly<Record<RangeCoverage, UnseenPodReach>> = {
  all: 'yes',
  none: 'no',
  part: 'maybe',
};

/** Every condition, ANDed (a peer's namespaceSelector and podSelector, a Calico side's fields). */
export function allOf(reaches: readonly UnseenPodReach[]): UnseenPodReach {
  if (reaches.includes('no')) return 'no';
  return reaches.every((reach) => reach === 'yes') ? 'yes' : 'maybe';
}

/** Some condition, ORed (a rule's peers, a Calico side's nets). */
export function anyOf(reaches: readonly UnseenPodReach[]): UnseenPodReach {
  if (reaches.includes('yes')) return 'yes';
  return reaches.includes('maybe') ? 'maybe' : 'no';
}

/** The opposite condition (a Calico notSelector, notNets). */
export function not(reach: UnseenPodReach): UnseenPodReach {
  return reach === 'maybe' ? reach : reach === 'yes' ? 'no' : 'yes';
}

/**
 * Whether a CIDR holds the unseen pods' addresses lookups go to: none of a family lookups
 * cannot take; of one they can, as much as it holds of the pod ranges (podRangeCoverage), and
 * only maybe where lookups may take the other family instead.
 */
export function blockReach(
  analysis: Analysis,
  block: CompiledIpBlock,
  families: ReadonlySet<AddressFamily> | undefined,
): UnseenPodReach {
  const reach = BY_COVERAGE[podRangeCoverage(analysis, block)];
  if (!families) return reach;
  if (!families.has(block.range.family)) return 'no';
  return families.size > 1 && reach === 'yes' ? 'maybe' : reach;
}
