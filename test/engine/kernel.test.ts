/**
 * The evaluation kernel on chains of tiered rules: the port-set answer (admittedPorts) and the
 * traced answer on one port (decideConnection) follow the tiers' order and actions, and agree
 * with each other on random chains.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  ChainRule,
  RuleAction,
  RuleChain,
  TierName,
} from '../../src/engine/compile/chains.js';
import type { CompiledPeer } from '../../src/engine/compile/compile.js';
import { NO_NAMED_PORTS, type PortResolver } from '../../src/engine/compile/named-ports.js';
import {
  admittedPorts,
  type ConnectionProbe,
  decideConnection,
  decisionsAllow,
} from '../../src/engine/evaluate/kernel.js';
import { portMiss } from '../../src/engine/evaluate/port-match.js';
import type { PolicyPort, Protocol } from '../../src/engine/model/types.js';
import {
  isEmptyPortSet,
  portSetAllows,
  portSetKey,
  portSetOf,
  subtractPortSets,
  unionPortSets,
} from '../../src/engine/primitives/port-set.js';
import { params } from '../helpers/engine-probes.js';

const TIERS: readonly TierName[] = ['admin', 'networkpolicy', 'baseline'];

/** A peer the tests tell apart by index only: it "matches" when its index is in the hit list. */
const peer = (index: number): CompiledPeer => ({
  kind: 'pods-in-policy-namespace',
  index,
  podSelector: { matchLabels: { peer: String(index) }, matchExpressions: [] },
});

interface RuleSpec {
  readonly tier: TierName;
  readonly rank: number;
  readonly action: RuleAction;
  readonly peers?: readonly number[];
  readonly ports?: readonly PolicyPort[];
}

function chainOf(specs: readonly RuleSpec[]): RuleChain {
  const rules: ChainRule[] = specs.map((spec) => ({
    tier: spec.tier,
    action: spec.action,
    rank: spec.rank,
    namespace: 'ns',
    peers: (spec.peers ?? []).map(peer),
    ports: spec.ports ?? [],
    origin: { kind: 'networkpolicy-isolation' },
  }));
  return {
    id: 1,
    direction: 'ingress',
    isolatedBy: [],
    clusterPolicies: [],
    readings: [],
    rules,
    namedPorts: false,
    undecided: [],
  };
}

/** The indexes of the chain's rules whose peers match a side matching `matching` peers. */
const hitsOf = (chain: RuleChain, matching: readonly number[]) =>
  chain.rules.flatMap((rule, index) =>
    rule.peers.length === 0 || rule.peers.some((p) => matching.includes(p.index)) ? [index] : [],
  );

function probe(
  matching: readonly number[],
  protocol: Protocol,
  port: number,
  resolve: PortResolver = NO_NAMED_PORTS,
): ConnectionProbe {
  return {
    peerMiss: (compiled) =>
      matching.includes(compiled.index)
        ? undefined
        : { kind: 'not-a-pod', peerIndex: compiled.index },
    portMiss: (entry, index) => portMiss(entry, index, resolve, protocol, port),
  };
}

const tcp = (port: number, endPort?: number): PolicyPort => ({
  protocol: 'TCP',
  port,
  ...(endPort ? { endPort } : {}),
});

describe('admittedPorts', () => {
  it('allows every port when no rule applies', () => {
    const chain = chainOf([]);
    expect(portSetKey(admittedPorts(chain, [], NO_NAMED_PORTS))).toBe(
      portSetKey(
        unionPortSets([
          portSetOf('TCP', 1, 65535),
          portSetOf('UDP', 1, 65535),
          portSetOf('SCTP', 1, 65535),
        ]),
      ),
    );
  });

  it('lets an earlier tier deny what a later tier accepts', () => {
    const chain = chainOf([
      { tier: 'admin', rank: 0, action: 'deny', peers: [0], ports: [tcp(80)] },
      { tier: 'networkpolicy', rank: 0, action: 'accept', peers: [0], ports: [tcp(80, 90)] },
      { tier: 'networkpolicy', rank: 1, action: 'deny' },
    ]);
    const admitted = admittedPorts(chain, hitsOf(chain, [0]), NO_NAMED_PORTS);
    expect(portSetKey(admitted)).toBe(portSetKey(portSetOf('TCP', 81, 90)));
  });

  it('leaves passed ports to the next tier and decides the rest in the passing tier', () => {
    const chain = chainOf([
      { tier: 'admin', rank: 0, action: 'pass', ports: [tcp(443)] },
      { tier: 'admin', rank: 1, action: 'deny', ports: [tcp(400, 500)] },
      { tier: 'baseline', rank: 0, action: 'deny', ports: [tcp(1, 442)] },
    ]);
    const admitted = admittedPorts(chain, hitsOf(chain, []), NO_NAMED_PORTS);
    // 443 passes admin's deny and no later tier decides it; 400-442 and 444-500 are denied by
    // admin; below 400 baseline denies; everything else is allowed by default.
    expect(portSetAllows(admitted, 'TCP', 443)).toBe(true);
    expect(portSetAllows(admitted, 'TCP', 444)).toBe(false);
    expect(portSetAllows(admitted, 'TCP', 399)).toBe(false);
    expect(portSetAllows(admitted, 'TCP', 501)).toBe(true);
    expect(portSetAllows(admitted, 'UDP', 53)).toBe(true);
  });
});

describe('admittedPorts with a visitor', () => {
  it('hears each rule that decides ports, with only the ports it decides, in order', () => {
    const chain = chainOf([
      { tier: 'admin', rank: 0, action: 'pass', ports: [tcp(443)] },
      { tier: 'admin', rank: 1, action: 'deny', ports: [tcp(400, 500)] },
      { tier: 'baseline', rank: 0, action: 'accept', ports: [tcp(1, 442)] },
      { tier: 'baseline', rank: 1, action: 'deny', ports: [tcp(443)] },
    ]);
    const heard: [number, string][] = [];
    admittedPorts(chain, hitsOf(chain, []), NO_NAMED_PORTS, undefined, (index, ports) =>
      heard.push([index, portSetKey(ports)]),
    );
    const key = (from: number, to: number) => portSetKey(portSetOf('TCP', from, to));
    // Admin's deny decides 400-500 but 443, already passed; baseline's accept only what admin
    // left (1-399, the rest being denied), and its deny the passed 443.
    expect(heard).toEqual([
      [0, key(443, 443)],
      [1, portSetKey(unionPortSets([portSetOf('TCP', 400, 442), portSetOf('TCP', 444, 500)]))],
      [2, key(1, 399)],
      [3, key(443, 443)],
    ]);
  });
});

describe('decideConnection', () => {
  it('lists every matching rule of the deciding rank, and the misses ranked before it', () => {
    const chain = chainOf([
      { tier: 'networkpolicy', rank: 0, action: 'accept', peers: [1], ports: [tcp(80)] },
      { tier: 'networkpolicy', rank: 0, action: 'accept', peers: [0], ports: [tcp(80)] },
      { tier: 'networkpolicy', rank: 0, action: 'accept', ports: [tcp(70, 90)] },
      { tier: 'networkpolicy', rank: 1, action: 'deny' },
    ]);
    const [decision, ...rest] = decideConnection(chain, probe([0], 'TCP', 80));
    expect(rest).toEqual([]);
    expect(decision?.action).toBe('accept');
    expect(decision?.matches.map((m) => [chain.rules.indexOf(m.rule), m.peerIndex])).toEqual([
      [1, 0],
      [2, null],
    ]);
    expect(decision?.misses).toEqual([]);

    const denied = decideConnection(chain, probe([0], 'TCP', 91));
    expect(denied.map((d) => d.action)).toEqual(['deny']);
    expect(denied[0]?.misses.map((m) => chain.rules.indexOf(m.rule))).toEqual([0, 1, 2]);
    expect(denied[0]?.misses[0]?.peerMisses).toEqual([{ kind: 'not-a-pod', peerIndex: 1 }]);
    expect(denied[0]?.misses[1]?.portMisses).toEqual([
      { kind: 'port', portIndex: 0, protocol: 'TCP', from: 80, to: 80 },
    ]);
  });

  it('records a pass and goes on to the next tier', () => {
    const chain = chainOf([
      { tier: 'admin', rank: 0, action: 'pass', peers: [0] },
      { tier: 'admin', rank: 1, action: 'deny' },
      { tier: 'networkpolicy', rank: 0, action: 'accept', peers: [0], ports: [tcp(8080)] },
      { tier: 'networkpolicy', rank: 1, action: 'deny' },
    ]);
    const decisions = decideConnection(chain, probe([0], 'TCP', 8080));
    expect(decisions.map((d) => [d.tier, d.action])).toEqual([
      ['admin', 'pass'],
      ['networkpolicy', 'accept'],
    ]);
    expect(decisionsAllow(decisions)).toBe(true);
    expect(decisionsAllow(decideConnection(chain, probe([1], 'TCP', 8080)))).toBe(false);
  });

  it('reports a tier where nothing matched and allows by default', () => {
    const chain = chainOf([{ tier: 'baseline', rank: 0, action: 'deny', peers: [2] }]);
    const decisions = decideConnection(chain, probe([0], 'UDP', 53));
    expect(decisions.map((d) => d.action)).toEqual(['none']);
    expect(decisions[0]?.misses).toHaveLength(1);
    expect(decisionsAllow(decisions)).toBe(true);
  });
});

const PROTOCOL_NAMES: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

const policyPortArb: fc.Arbitrary<PolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom(...PROTOCOL_NAMES) }),
  fc
    .record({
      protocol: fc.constantFrom(...PROTOCOL_NAMES),
      port: fc.integer({ min: 1, max: 40 }),
      span: fc.integer({ min: 0, max: 10 }),
    })
    .map(({ protocol, port, span }) => ({
      protocol,
      port,
      ...(span > 0 ? { endPort: port + span } : {}),
    })),
  fc.record({ protocol: fc.constantFrom(...PROTOCOL_NAMES), port: fc.constantFrom('http', 'dns') }),
);

/** Random chains: tiers in order, ranks ascending within a tier, one action per rank. */
const chainArb = fc
  .array(
    fc.record({
      tier: fc.integer({ min: 0, max: 2 }),
      rank: fc.integer({ min: 0, max: 3 }),
      peers: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
      ports: fc.array(policyPortArb, { maxLength: 2 }),
    }),
    { maxLength: 8 },
  )
  .chain((raw) =>
    fc
      .array(fc.constantFrom<RuleAction>('accept', 'deny', 'pass'), {
        minLength: 12,
        maxLength: 12,
      })
      .map((actions) => {
        const sorted = [...raw].sort((a, b) => a.tier - b.tier || a.rank - b.rank);
        return chainOf(
          sorted.map((r) => ({
            tier: TIERS[r.tier] as TierName,
            rank: r.rank,
            action: actions[r.tier * 4 + r.rank] as RuleAction,
            peers: r.peers,
            ports: r.ports,
          })),
        );
      }),
  );

const resolveHttp: PortResolver = (name, protocol) =>
  name === 'http' && protocol === 'TCP' ? 8 : undefined;

describe('the set answer and the traced answer', () => {
  it('agree on every port of random tiered chains', () => {
    fc.assert(
      fc.property(
        chainArb,
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
        fc.boolean(),
        (chain, matching, named) => {
          const resolve = named ? resolveHttp : NO_NAMED_PORTS;
          const admitted = admittedPorts(chain, hitsOf(chain, matching), resolve);
          for (const protocol of PROTOCOL_NAMES) {
            for (const port of [1, 7, 8, 9, 20, 40, 41, 50, 65535]) {
              const decisions = decideConnection(chain, probe(matching, protocol, port, resolve));
              expect(decisionsAllow(decisions), `${protocol}/${port}`).toBe(
                portSetAllows(admitted, protocol, port),
              );
            }
          }
        },
      ),
      params,
    );
  });
});

describe('subtractPortSets', () => {
  it('removes ranges, splitting where they cut inside', () => {
    const a = unionPortSets([portSetOf('TCP', 1, 100), portSetOf('UDP', 53, 53)]);
    const b = unionPortSets([portSetOf('TCP', 10, 20), portSetOf('TCP', 50, 200)]);
    expect(portSetKey(subtractPortSets(a, b))).toBe(
      portSetKey(
        unionPortSets([portSetOf('TCP', 1, 9), portSetOf('TCP', 21, 49), portSetOf('UDP', 53, 53)]),
      ),
    );
    expect(isEmptyPortSet(subtractPortSets(b, b))).toBe(true);
  });
});
