import type {
  CalicoAction,
  CalicoEntityRule,
  CalicoPolicy,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
} from '../model/calico-policy.js';
import { calicoPolicyName } from '../model/calico-policy.js';
import { type PolicyPort, PROTOCOLS, type Protocol } from '../model/types.js';
import {
  ACCOUNT_LABELS_NOT_READ,
  type CalicoEndpoints,
  calicoSelectorReadsUnknownAccountLabels,
  calicoServiceAccountSelectorDecidable,
  compileCalicoEndpoints,
} from './calico-endpoints.js';
import type { CompiledPeer, Direction } from './compile-policy.js';

/** A Calico rule ready for the kernel: the other side as a peer, the destination ports. */
export interface CompiledCalicoRule {
  readonly direction: Direction;
  readonly index: number;
  readonly action: CalicoAction;
  /** The other side's conditions as one `calico-endpoints` peer; empty: anyone. */
  readonly peers: readonly CompiledPeer[];
  /** Destination ports per protocol; empty: every port of every protocol. */
  readonly ports: readonly PolicyPort[];
  /** The conditions on the endpoint the policy applies to (it must meet them for the rule to apply). */
  readonly local?: CalicoEndpoints;
  /** What of the rule the engine cannot decide (source ports, services, service accounts). */
  readonly unevaluated: readonly string[];
  /** False when the rule can match no connection the engine evaluates (ICMP, every port excluded). */
  readonly matchesAny: boolean;
}

/** A Calico policy ready for evaluation. */
export interface CompiledCalicoPolicy {
  readonly id: number;
  readonly policy: CalicoPolicy;
  /** kubectl's resource name, e.g. `globalnetworkpolicy/security.guard`. */
  readonly name: string;
  readonly ingress: readonly CompiledCalicoRule[];
  readonly egress: readonly CompiledCalicoRule[];
}

const MAX_PORT = 65535;

/** Numeric ranges left of `ranges` once `minus` is taken out. */
function subtractRanges(
  ranges: readonly [number, number][],
  minus: readonly [number, number][],
): [number, number][] {
  let left = [...ranges];
  for (const [from, to] of minus) {
    left = left.flatMap(([a, b]): [number, number][] => {
      if (to < a || from > b) return [[a, b]];
      return [
        ...(a < from ? [[a, from - 1] as [number, number]] : []),
        ...(to < b ? [[to + 1, b] as [number, number]] : []),
      ];
    });
  }
  return left;
}

const protocolOf = (protocol: CalicoProtocol | undefined) =>
  typeof protocol === 'object' ? undefined : protocol;

/**
 * The destination ports a rule matches, per protocol, as NetworkPolicy ports; undefined when it
 * matches none the engine evaluates (another protocol, every port excluded).
 */
function rulePorts(rule: CalicoRule): PolicyPort[] | undefined {
  if (typeof rule.protocol === 'object') return undefined;
  const excluded = protocolOf(rule.notProtocol);
  const protocols: Protocol[] = rule.protocol
    ? [rule.protocol]
    : PROTOCOLS.filter((p) => p !== excluded);
  const { ports, notPorts } = rule.destination;
  const everyProtocol = !rule.protocol && !rule.notProtocol;
  if (ports.length + notPorts.length === 0) {
    return everyProtocol ? [] : protocols.map((protocol) => ({ protocol }));
  }
  const numeric = (list: readonly CalicoPort[]) =>
    list.flatMap((p): [number, number][] => (p.kind === 'range' ? [[p.from, p.to]] : []));
  const named = ports.flatMap((p) => (p.kind === 'named' ? [p.name] : []));
  const base = ports.length > 0 ? numeric(ports) : [[1, MAX_PORT] as [number, number]];
  const ranges = subtractRanges(base, numeric(notPorts));
  if (ranges.length + named.length === 0) return undefined;
  return protocols.flatMap((protocol) => [
    ...ranges.map(
      ([from, to]): PolicyPort =>
        from === to ? { protocol, port: from } : { protocol, port: from, endPort: to },
    ),
    ...named.map((name): PolicyPort => ({ protocol, port: name })),
  ]);
}

/** What of a rule the engine does not decide, by field path. */
function unevaluatedParts(rule: CalicoRule, accountLabelsKnown: boolean): string[] {
  const parts = [...rule.unevaluated];
  for (const [name, side] of [
    ['source', rule.source],
    ['destination', rule.destination],
  ] as const) {
    // Without every ServiceAccount's labels, a selector on more than the account's name is not
    // evaluated.
    const accountSelector = side.serviceAccounts?.selector;
    if (
      accountSelector &&
      !calicoServiceAccountSelectorDecidable(accountSelector, accountLabelsKnown)
    ) {
      parts.push(`${name}.serviceAccounts.selector ${ACCOUNT_LABELS_NOT_READ}`);
    }
    if (side.services) parts.push(`${name}.services`);
    for (const key of ['selector', 'notSelector'] as const) {
      if (calicoSelectorReadsUnknownAccountLabels(side[key], accountLabelsKnown))
        parts.push(`${name}.${key} ${ACCOUNT_LABELS_NOT_READ}`);
    }
    if (side.notPorts.some((p) => p.kind === 'named')) parts.push(`${name}.notPorts (named)`);
  }
  // Source ports are the client's, which no question names.
  if (rule.source.ports.length + rule.source.notPorts.length > 0) parts.push('source.ports');
  return parts;
}

/** The CIDR holding every address of an IP version. */
const EVERY_ADDRESS = { 4: '0.0.0.0/0', 6: '::/0' } as const;

const ipVersionOf = (cidr: string) => (cidr.includes(':') ? 6 : 4);

/**
 * A rule side as Felix renders it for the rule's ipVersion (felix/rules/policy.go,
 * FilterRuleToIPVersion): nets and notNets of the other version left out; undefined when that
 * leaves nets empty (the rule is not rendered). The side of the other endpoint (`peer`) also
 * gets that version's whole range as nets when it has none, so that only its addresses match.
 */
function sideForIpVersion(
  side: CalicoEntityRule,
  version: 4 | 6 | undefined,
  peer: boolean,
): CalicoEntityRule | undefined {
  if (version === undefined) return side;
  const nets = side.nets.filter((cidr) => ipVersionOf(cidr) === version);
  if (side.nets.length > 0 && nets.length === 0) return undefined;
  const notNets = side.notNets.filter((cidr) => ipVersionOf(cidr) === version);
  return { ...side, nets: nets.length === 0 && peer ? [EVERY_ADDRESS[version]] : nets, notNets };
}

function compileRule(
  policy: CalicoPolicy,
  rule: CalicoRule,
  direction: Direction,
  accountLabelsKnown: boolean,
): CompiledCalicoRule {
  const [peerWritten, localWritten] =
    direction === 'ingress' ? [rule.source, rule.destination] : [rule.destination, rule.source];
  const peerSide = sideForIpVersion(peerWritten, rule.ipVersion, true);
  const localSide = sideForIpVersion(localWritten, rule.ipVersion, false);
  const peer = compileCalicoEndpoints(
    peerSide ?? peerWritten,
    policy.namespace,
    accountLabelsKnown,
  );
  const local = compileCalicoEndpoints(
    localSide ?? localWritten,
    policy.namespace,
    accountLabelsKnown,
  );
  const ports = peerSide && localSide ? rulePorts(rule) : undefined;
  return {
    direction,
    index: rule.index,
    action: rule.action,
    peers: peer ? [{ kind: 'calico-endpoints', index: 0, endpoints: peer }] : [],
    ports: ports ?? [],
    ...(local ? { local } : {}),
    unevaluated: unevaluatedParts(rule, accountLabelsKnown),
    matchesAny: ports !== undefined,
  };
}

/**
 * Compiles a Calico policy; `id` is its index among the analysis' Calico policies;
 * `accountLabelsKnown`: whether every pod's ServiceAccount labels were read.
 */
export function compileCalicoPolicy(
  policy: CalicoPolicy,
  id: number,
  accountLabelsKnown: boolean,
): CompiledCalicoPolicy {
  return {
    id,
    policy,
    name: calicoPolicyName(policy),
    ingress: policy.ingress.map((rule) => compileRule(policy, rule, 'ingress', accountLabelsKnown)),
    egress: policy.egress.map((rule) => compileRule(policy, rule, 'egress', accountLabelsKnown)),
  };
}
