import { policiesSelecting } from '../compile/compile.js';
import type { SidePorts } from '../evaluate/side-ports.js';
import { MAX_PORT, MIN_PORT, type PortSet, portSetAllows } from '../primitives/port-set.js';
import { DNS_SERVICE_PORT, type DnsServerRef } from './cluster-dns.js';
import { agreedOutcome, type DnsOutcome, type DnsProtocol } from './dns-outcome.js';
import { ruleReachesUnseenPods, type UnseenDnsServer, type UnseenPodReach } from './dns-peers.js';

/** What an egress rule admits over one protocol before any DNS pod resolves its port names. */
interface RulePorts {
  /** The numbered ports. */
  readonly admitted: PortSet;
  /** The port names, which only the DNS pods resolve. */
  readonly names: readonly string[];
}

/** Whether a port set admits every port of a protocol. */
function admitsEveryPort(set: PortSet, protocol: DnsProtocol): boolean {
  const [only, ...others] = set[protocol];
  return others.length === 0 && only?.[0] === MIN_PORT && only[1] === MAX_PORT;
}

/** What some egress rules admit over a protocol, as a DNS port is judged against them. */
function portsAdmitted(rules: readonly RulePorts[], protocol: DnsProtocol) {
  const names = rules.flatMap((rule) => rule.names);
  return {
    admits: (port: number) => rules.some((rule) => portSetAllows(rule.admitted, protocol, port)),
    names,
    // Other ports of the protocol, numbered or named, may be the DNS pods' own.
    otherPorts: names.length > 0 || rules.some((rule) => rule.admitted[protocol].length > 0),
    everyPort: rules.some((rule) => admitsEveryPort(rule.admitted, protocol)),
  };
}

/**
 * Where lookups to kube-dns pods found by their labels alone (no Service, so 53 is only
 * assumed), or to no cluster DNS found at all, are cut off by some egress rules: nowhere when
 * one admits 53; else at them, possibly (`no-dns-pods`) when they admit other ports.
 */
function assumedPortBlock(rules: readonly RulePorts[], protocol: DnsProtocol): DnsOutcome {
  const { admits, otherPorts } = portsAdmitted(rules, protocol);
  if (admits(DNS_SERVICE_PORT)) return {};
  return { blockedBy: 'no-port-53', ...(otherPorts ? { serverUnknown: 'no-dns-pods' } : {}) };
}

/**
 * Where lookups to a DNS Service's pods are cut off by some egress rules, judged on the port it
 * sends lookups to (portsWithoutPods), as policies see traffic after kube-proxy's translation.
 */
function servicePortBlock(
  rules: readonly RulePorts[],
  server: DnsServerRef,
  protocol: DnsProtocol,
): DnsOutcome {
  const { admits, names, otherPorts, everyPort } = portsAdmitted(rules, protocol);
  const unresolved = server.unresolvedPorts?.find((p) => p.protocol === protocol);
  if (!unresolved) {
    const ports = server.ports.filter((p) => p.protocol === protocol);
    if (ports.some((p) => admits(p.port))) return {};
    // A named rule port may resolve on the DNS pods to the port they take lookups on.
    return {
      blockedBy: 'no-port-53',
      ...(names.length > 0 ? { serverUnknown: 'no-dns-pods' } : {}),
    };
  }
  // A rule naming the targetPort resolves on the DNS pods as kube-proxy's translation does;
  // a rule admitting every port admits whatever number the name stands for.
  if (names.includes(unresolved.targetPort) || everyPort) return {};
  return otherPorts
    ? { blockedBy: 'no-port-53', serverUnknown: 'target-port-unresolved' }
    : { blockedBy: 'no-port-53' };
}

/**
 * Where lookups to a DNS Service's pods are cut off, each egress rule weighed by whether its
 * peers hold them (`reach`): passing when the rules that surely do admit the port; blocked when
 * not even those that may do admit it (by port, `no-port-53`, when no rule at all does, else at
 * `egress`); UNKNOWN (`peers-undecided`) where the rules that may hold them change the answer.
 */
function peersBlock(
  rules: readonly RulePorts[],
  reach: readonly UnseenPodReach[],
  server: DnsServerRef,
  protocol: DnsProtocol,
): DnsOutcome {
  const judged = (kept: (reach: UnseenPodReach) => boolean) =>
    servicePortBlock(
      rules.filter((_, i) => kept(reach[i] ?? 'maybe')),
      server,
      protocol,
    );
  const sure = judged((r) => r === 'yes');
  if (!sure.blockedBy) return {};
  const possible = judged((r) => r !== 'no');
  if (possible.blockedBy && !possible.serverUnknown) {
    const byPort = judged(() => true);
    return byPort.blockedBy && !byPort.serverUnknown ? byPort : { blockedBy: 'egress' };
  }
  // The rules that may hold them decide only where they change the answer.
  const same =
    possible.blockedBy === sure.blockedBy && possible.serverUnknown === sure.serverUnknown;
  return same ? sure : { blockedBy: 'egress', serverUnknown: 'peers-undecided' };
}

/**
 * Where a pod's lookups over one protocol are cut off when the input holds none of the DNS pods
 * taking them: its egress policies' rules are all there is to judge. Each DNS Service found (`unseen`) is
 * judged on the port it sends lookups to, and each rule on whether its peers can hold the pods
 * the Service selects (ruleReachesUnseenPods); with no Service (no selector to go by), on 53
 * and ports alone.
 */
export function unseenServersBlock(
  sides: SidePorts,
  podIdx: number,
  unseen: readonly UnseenDnsServer[],
  protocol: DnsProtocol,
): DnsOutcome {
  const { analysis } = sides;
  const egress = policiesSelecting(analysis, podIdx, 'egress');
  if (egress.length === 0) return {};
  const rules = egress.flatMap((policy) =>
    policy.egress.map((rule) => ({ rule, namespace: policy.ref.namespace })),
  );
  const ports = rules.map(({ rule }) => ({
    admitted: sides.get(sides.ruleAdmits(rule.ports, undefined)),
    names: rule.ports.flatMap((p) =>
      p.protocol === protocol && typeof p.port === 'string' ? [p.port] : [],
    ),
  }));
  if (unseen.length === 0) return assumedPortBlock(ports, protocol);
  const outcomes = unseen.map((server) => {
    const reach = rules.map(({ rule, namespace }) =>
      ruleReachesUnseenPods(analysis, rule, namespace, server),
    );
    return peersBlock(ports, reach, server, protocol);
  });
  return agreedOutcome(outcomes);
}
