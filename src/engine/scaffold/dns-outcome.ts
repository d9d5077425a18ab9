import type { ClientScope } from '../compile/services.js';

/** Where DNS over one protocol is cut off for a pod. */
export type DnsBlock =
  /**
   * Its egress admits the DNS pods' port to none of them (nor to NodeLocal DNSCache); without
   * DNS pods in the input, to no peer that can hold the pods their Service selects.
   */
  | 'egress'
  /** Its egress would allow it, but the DNS pods' ingress does not admit it. */
  | 'dns-ingress'
  /**
   * No cluster DNS pods in the snapshot, and no egress rule admits the port their Service sends
   * lookups to (53, unless its targetPort says another: the finding's `ports`) to any peer.
   */
  | 'no-port-53'
  /**
   * The DNS Service has internalTrafficPolicy Local and no DNS pod on the pod's node answers
   * it: kube-proxy sends its lookups to none, and drops them.
   */
  | 'no-local-dns';

/** The protocols DNS runs over: UDP first, TCP for answers too large for UDP. */
export type DnsProtocol = 'UDP' | 'TCP';

/**
 * Why the input cannot tell the DNS pods a block is judged against (the block is possible):
 * it holds neither them nor their Service, so their port is not known (a Service may map 53 to
 * another, as OpenShift's to 5353); it holds their Service but not them, and the Service maps 53
 * to a named targetPort nothing in the input resolves; it holds their Service but not them, and
 * whether the peers of the egress rules admitting their port hold them hangs on what it does
 * not tell (`peers-undecided`: their labels beyond the Service's selector, their namespace's
 * labels, their IPs); it holds neither them nor their pods, or their Service only, and whether
 * a rule that denies or passes egress before the rules admitting their port (a Calico, Cilium or
 * cluster policy's) meets them hangs on what it does not tell (`deny-undecided`); or several
 * Services look like the cluster DNS, select different pods, and answer differently (which one
 * the kubelet's clusterDNS address names is not in the API).
 */
export type DnsServerDoubt =
  | 'no-dns-pods'
  | 'target-port-unresolved'
  | 'peers-undecided'
  | 'deny-undecided'
  | 'dns-services-disagree';

/** Where a pod's lookups over one protocol are cut off (`blockedBy`), and whether surely. */
export interface DnsOutcome {
  readonly blockedBy?: DnsBlock;
  /** Set when the block is possible, not sure: how kube-proxy narrows the DNS pods by client. */
  readonly routeUnknown?: ClientScope;
  /** Set when the block is possible, not sure, because the input does not tell the DNS pods. */
  readonly serverUnknown?: DnsServerDoubt;
  /** Set when the block is at the DNS pods on the pod's node. */
  readonly onTheirNode?: true;
}

/**
 * The outcome every candidate for the cluster DNS gives, when they agree (possible, not sure,
 * where one of them is); else the first block, as possible (the input does not tell which
 * candidate the pods query).
 */
export function agreedOutcome(outcomes: readonly DnsOutcome[]): DnsOutcome {
  const [first = {}, ...others] = outcomes;
  const key = (o: DnsOutcome) => `${o.blockedBy}/${o.routeUnknown}/${o.onTheirNode}`;
  if (others.every((other) => key(other) === key(first))) {
    return outcomes.find((outcome) => outcome.serverUnknown) ?? first;
  }
  const failing = outcomes.find((outcome) => outcome.blockedBy) ?? first;
  return { ...failing, serverUnknown: 'dns-services-disagree' };
}
