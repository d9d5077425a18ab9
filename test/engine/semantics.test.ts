/**
 * NetworkPolicy semantics (networking.k8s.io/v1), one rule per scenario. Expectations come from
 * the Kubernetes API reference and the NetworkPolicy concept page, not from running the engine.
 */
import { describe, expect, it } from 'vitest';
import { addressEndpoint } from '../../src/engine/compile/endpoint.js';
import { allowedConnections } from '../../src/engine/evaluate/connections.js';
import type { Analysis, DirectionVerdict, Protocol } from '../../src/engine/index.js';
import { type ConnectivityMatrix, computeMatrix } from '../../src/engine/index.js';
import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  type PortSet,
  portSetAllows,
  portSetOf,
  unionPortSets,
} from '../../src/engine/primitives/port-set.js';
import { analyseYaml } from '../helpers/load.js';
import { endpoint, flow, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/**
 * Namespaces x (team=a), y (team=b), z (no labels). Pods are labelled app=<letter>.
 * x/a has http=8080/TCP and dns=53/UDP, x/b has http=80/TCP, z/c has http=9999/TCP.
 */
const MODEL = stream(
  namespaceYaml('x', { team: 'a' }),
  namespaceYaml('y', { team: 'b' }),
  namespaceYaml('z'),
  podYaml('x/a', {
    labels: { app: 'a' },
    ips: ['10.0.0.1'],
    ports: [
      { name: 'http', port: 8080 },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ],
  }),
  podYaml('x/b', { labels: { app: 'b' }, ips: ['10.0.0.2'], ports: [{ name: 'http', port: 80 }] }),
  podYaml('x/c', { labels: { app: 'c' }, ips: ['10.0.0.3'] }),
  podYaml('y/a', { labels: { app: 'a' }, ips: ['10.0.1.1'] }),
  podYaml('y/b', { labels: { app: 'b' }, ips: ['10.0.1.200'] }),
  podYaml('z/c', {
    labels: { app: 'c' },
    ips: ['10.0.2.3'],
    ports: [{ name: 'http', port: 9999 }],
  }),
);

const cluster = (...extra: string[]): Analysis => analyseYaml(MODEL, ...extra);

const ref = (id: string) => {
  const [namespace, name] = id.split('/');
  return { namespace, name };
};

const matrices = new WeakMap<Analysis, ConnectivityMatrix>();

/**
 * The probes whose answer differs from the expected one, for readable failures. Each probe is
 * asked of evaluateFlow and, between pods, of the connectivity matrix too.
 */
function mismatches(
  analysis: Analysis,
  probes: readonly [from: string, to: string, protocol: Protocol, port: number, allowed: boolean][],
): string[] {
  let matrix = matrices.get(analysis);
  if (!matrix) {
    matrix = computeMatrix(analysis);
    matrices.set(analysis, matrix);
  }
  const inMatrix = matrix;
  return probes.flatMap(([from, to, protocol, port, allowed]) => {
    const name = `${from} -> ${to} ${protocol}/${port}`;
    const found: string[] = [];
    if (flow(analysis, from, to, protocol, port).allowed !== allowed) {
      found.push(`${name}: evaluateFlow should say ${allowed}`);
    }
    const i = analysis.podIndex.get(from);
    const j = analysis.podIndex.get(to);
    if (i !== undefined && j !== undefined) {
      if (portSetAllows(inMatrix.connections(i, j), protocol, port) !== allowed) {
        found.push(`${name}: the matrix should say ${allowed}`);
      }
    }
    return found;
  });
}

const connections = (analysis: Analysis, from: string, to: string): PortSet =>
  allowedConnections(analysis, endpoint(analysis, from), endpoint(analysis, to));

const unrestricted = (reason: string): DirectionVerdict =>
  ({ kind: 'unrestricted', reason }) as DirectionVerdict;

describe('the seven kinds of peer', () => {
  it('podSelector alone selects pods in the policy namespace only', () => {
    const analysis = cluster(
      policyYaml(
        'x/from-b',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - podSelector: {matchLabels: {app: b}}
        `,
      ),
    );
    const allowed = flow(analysis, 'x/b', 'x/a', 'TCP', 80);
    expect(allowed.allowed).toBe(true);
    expect(allowed.egress).toEqual(unrestricted('no-policy'));
    expect(allowed.ingress).toEqual({
      kind: 'allowed',
      isolatedBy: [ref('x/from-b')],
      matches: [
        {
          policy: ref('x/from-b'),
          direction: 'ingress',
          ruleIndex: 0,
          peerIndex: 0,
          portIndex: null,
        },
      ],
    });

    const otherNamespace = flow(analysis, 'y/b', 'x/a', 'TCP', 80);
    expect(otherNamespace.allowed).toBe(false);
    expect(otherNamespace.ingress).toEqual({
      kind: 'denied',
      isolatedBy: [ref('x/from-b')],
      rulelessPolicies: [],
      misses: [
        {
          policy: ref('x/from-b'),
          direction: 'ingress',
          ruleIndex: 0,
          peerMisses: [
            { kind: 'other-namespace', peerIndex: 0, policyNamespace: 'x', namespace: 'y' },
          ],
          portMisses: [],
        },
      ],
    });

    const otherLabels = flow(analysis, 'x/c', 'x/a', 'TCP', 80);
    expect(otherLabels.allowed).toBe(false);
    expect(otherLabels.ingress).toMatchObject({
      kind: 'denied',
      misses: [
        {
          peerMisses: [
            {
              kind: 'pod-labels',
              peerIndex: 0,
              pod: 'x/c',
              mismatch: { kind: 'label-value', key: 'app', expected: 'b', actual: 'c' },
            },
          ],
        },
      ],
    });

    // Pods the policy does not select stay open.
    expect(flow(analysis, 'y/b', 'x/b', 'TCP', 80).ingress).toEqual(unrestricted('no-policy'));
  });

  it('namespaceSelector alone selects every pod of the selected namespaces', () => {
    const analysis = cluster(
      policyYaml(
        'x/from-team-b',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: b}}
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['y/a', 'x/a', 'TCP', 80, true],
        ['y/b', 'x/a', 'TCP', 80, true],
        ['x/b', 'x/a', 'TCP', 80, false],
        ['z/c', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'x/b', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [
        {
          peerMisses: [
            {
              kind: 'namespace-labels',
              peerIndex: 0,
              namespace: 'x',
              mismatch: { kind: 'label-value', key: 'team', expected: 'b', actual: 'a' },
            },
          ],
        },
      ],
    });
    expect(flow(analysis, 'z/c', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [
        {
          peerMisses: [
            { kind: 'namespace-labels', mismatch: { kind: 'label-missing', key: 'team' } },
          ],
        },
      ],
    });
  });

  it('namespaceSelector and podSelector in one peer must both match (AND)', () => {
    const analysis = cluster(
      policyYaml(
        'x/and',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: b}}
            podSelector: {matchLabels: {app: b}}
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['y/b', 'x/a', 'TCP', 80, true],
        ['y/a', 'x/a', 'TCP', 80, false],
        ['x/b', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'y/a', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [{ peerMisses: [{ kind: 'pod-labels', pod: 'y/a' }] }],
    });
    expect(flow(analysis, 'x/b', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [{ peerMisses: [{ kind: 'namespace-labels', namespace: 'x' }] }],
    });
  });

  it('the same selectors as two peers are alternatives (OR)', () => {
    const analysis = cluster(
      policyYaml(
        'x/or',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: b}}
          - podSelector: {matchLabels: {app: b}}
        `,
      ),
    );
    expect(flow(analysis, 'y/a', 'x/a', 'TCP', 80).ingress).toMatchObject({
      kind: 'allowed',
      matches: [{ peerIndex: 0 }],
    });
    expect(flow(analysis, 'x/b', 'x/a', 'TCP', 80).ingress).toMatchObject({
      kind: 'allowed',
      matches: [{ peerIndex: 1 }],
    });
    expect(flow(analysis, 'z/c', 'x/a', 'TCP', 80).ingress).toMatchObject({
      kind: 'denied',
      misses: [
        {
          peerMisses: [
            { kind: 'namespace-labels', peerIndex: 0 },
            { kind: 'other-namespace', peerIndex: 1 },
          ],
        },
      ],
    });
  });

  it('an empty podSelector selects every pod of the policy namespace, and no other', () => {
    const analysis = cluster(
      policyYaml(
        'x/same-ns',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - podSelector: {}
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['x/b', 'x/a', 'TCP', 80, true],
        ['x/c', 'x/a', 'UDP', 53, true],
        ['y/a', 'x/a', 'TCP', 80, false],
        ['z/c', 'x/a', 'TCP', 80, false],
        ['10.0.2.99', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
  });

  it('an empty namespaceSelector selects every pod of every namespace, but no external address', () => {
    const analysis = cluster(
      policyYaml(
        'x/all-ns',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - namespaceSelector: {}
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['x/b', 'x/a', 'TCP', 80, true],
        ['y/b', 'x/a', 'TCP', 80, true],
        ['z/c', 'x/a', 'TCP', 80, true],
        ['203.0.113.9', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
    expect(flow(analysis, '203.0.113.9', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [{ peerMisses: [{ kind: 'not-a-pod', peerIndex: 0 }] }],
    });
  });

  it('empty namespaceSelector and empty podSelector together select every pod everywhere', () => {
    const analysis = cluster(
      policyYaml(
        'x/all-pods',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - namespaceSelector: {}
            podSelector: {}
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['x/c', 'x/a', 'TCP', 80, true],
        ['y/a', 'x/a', 'TCP', 80, true],
        ['z/c', 'x/a', 'TCP', 80, true],
        ['203.0.113.9', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
  });

  it('empty namespaceSelector with a podSelector picks those pods in every namespace', () => {
    const analysis = cluster(
      policyYaml(
        'x/b-anywhere',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - namespaceSelector: {}
            podSelector: {matchLabels: {app: b}}
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['x/b', 'x/a', 'TCP', 80, true],
        ['y/b', 'x/a', 'TCP', 80, true],
        ['y/a', 'x/a', 'TCP', 80, false],
        ['z/c', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
  });

  it('ipBlock admits addresses in the cidr but not in an except, pods and external alike', () => {
    const analysis = cluster(
      policyYaml(
        'x/cidr',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - ipBlock: {cidr: 10.0.1.0/24, except: [10.0.1.128/25]}
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['y/a', 'x/a', 'TCP', 80, true], // 10.0.1.1
        ['10.0.1.5', 'x/a', 'TCP', 80, true],
        ['y/b', 'x/a', 'TCP', 80, false], // 10.0.1.200, excepted
        ['10.0.1.129', 'x/a', 'TCP', 80, false],
        ['x/b', 'x/a', 'TCP', 80, false], // 10.0.0.2, outside
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'y/b', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [
        {
          peerMisses: [
            { kind: 'excepted', peerIndex: 0, cidr: '10.0.1.0/24', except: '10.0.1.128/25' },
          ],
        },
      ],
    });
    expect(flow(analysis, 'x/b', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [{ peerMisses: [{ kind: 'outside-cidr', peerIndex: 0, cidr: '10.0.1.0/24' }] }],
    });
  });
});

describe('ipBlock edges', () => {
  it('includes the first and the last address of a block, and a /32 is one address', () => {
    const analysis = cluster(
      policyYaml(
        'x/edges',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - ipBlock: {cidr: 10.0.0.0/30}
          - ipBlock: {cidr: 10.0.1.200/29}
        `,
      ),
      policyYaml(
        'y/one',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from: [{ipBlock: {cidr: 10.0.0.2/32}}]
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['x/c', 'x/a', 'TCP', 80, true], // 10.0.0.3: last address of 10.0.0.0/30
        ['y/b', 'x/a', 'TCP', 80, true], // 10.0.1.200: first address of 10.0.1.200/29
        ['y/a', 'x/a', 'TCP', 80, false], // 10.0.1.1
        ['x/b', 'y/a', 'TCP', 80, true], // 10.0.0.2
        ['x/a', 'y/a', 'TCP', 80, false], // 10.0.0.1
        ['x/c', 'y/a', 'TCP', 80, false], // 10.0.0.3
      ]),
    ).toEqual([]);
  });
});

describe('namespace labels', () => {
  it('every namespace carries kubernetes.io/metadata.name, even when not declared or not listed', () => {
    const analysis = cluster(
      podYaml('w/d', { labels: { app: 'd' }, ips: ['10.0.3.4'] }),
      policyYaml(
        'x/by-name',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - namespaceSelector:
              matchExpressions:
              - {key: kubernetes.io/metadata.name, operator: In, values: [z, w]}
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['z/c', 'x/a', 'TCP', 80, true],
        ['w/d', 'x/a', 'TCP', 80, true],
        ['y/a', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
  });

  it('NotIn in a namespaceSelector also selects namespaces without the label', () => {
    const analysis = cluster(
      policyYaml(
        'x/not-team-a',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - namespaceSelector:
              matchExpressions: [{key: team, operator: NotIn, values: [a]}]
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['y/a', 'x/a', 'TCP', 80, true],
        ['z/c', 'x/a', 'TCP', 80, true],
        ['x/b', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
  });
});

describe('policyTypes', () => {
  it('without policyTypes and with `egress: []`, a policy isolates ingress only', () => {
    const analysis = cluster(
      policyYaml(
        'x/ingress-only',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from: [{podSelector: {matchLabels: {app: b}}}]
        egress: []
        `,
      ),
    );
    expect(analysis.policies[0]?.policy.policyTypes).toEqual(['Ingress']);
    const out = flow(analysis, 'x/a', 'z/c', 'TCP', 80);
    expect(out.allowed).toBe(true);
    expect(out.egress).toEqual(unrestricted('no-policy'));
    expect(flow(analysis, 'z/c', 'x/a', 'TCP', 80).allowed).toBe(false);
  });

  it('without policyTypes, egress rules add Egress and Ingress stays with no rules (deny all in)', () => {
    const analysis = cluster(
      policyYaml(
        'x/egress-rules',
        `
        podSelector: {matchLabels: {app: a}}
        egress:
        - to: [{podSelector: {matchLabels: {app: b}}}]
        `,
      ),
    );
    expect(analysis.policies[0]?.policy.policyTypes).toEqual(['Ingress', 'Egress']);
    const incoming = flow(analysis, 'x/b', 'x/a', 'TCP', 80);
    expect(incoming.allowed).toBe(false);
    expect(incoming.ingress).toEqual({
      kind: 'denied',
      isolatedBy: [ref('x/egress-rules')],
      misses: [],
      rulelessPolicies: [{ policy: ref('x/egress-rules'), direction: 'ingress' }],
    });
    expect(
      mismatches(analysis, [
        ['x/a', 'x/b', 'TCP', 80, true],
        ['x/a', 'x/c', 'TCP', 80, false],
        ['x/a', 'y/b', 'TCP', 80, false],
      ]),
    ).toEqual([]);
  });

  it('policyTypes [Egress] ignores ingress rules and leaves ingress open', () => {
    const analysis = cluster(
      policyYaml(
        'x/egress-only',
        `
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Egress]
        ingress:
        - from: [{podSelector: {matchLabels: {app: b}}}]
        `,
      ),
    );
    const incoming = flow(analysis, 'z/c', 'x/a', 'TCP', 80);
    expect(incoming.allowed).toBe(true);
    expect(incoming.ingress).toEqual(unrestricted('no-policy'));
    const outgoing = flow(analysis, 'x/a', 'x/b', 'TCP', 80);
    expect(outgoing.allowed).toBe(false);
    expect(outgoing.egress).toMatchObject({
      kind: 'denied',
      rulelessPolicies: [{ policy: ref('x/egress-only'), direction: 'egress' }],
    });
  });

  it('policyTypes [Ingress] ignores egress rules and leaves egress open', () => {
    const analysis = cluster(
      policyYaml(
        'x/ingress-typed',
        `
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Ingress]
        ingress:
        - from: [{podSelector: {matchLabels: {app: b}}}]
        egress:
        - to: [{podSelector: {matchLabels: {app: b}}}]
        `,
      ),
    );
    expect(flow(analysis, 'x/a', 'z/c', 'TCP', 80).allowed).toBe(true);
    expect(flow(analysis, 'x/a', 'z/c', 'TCP', 80).egress).toEqual(unrestricted('no-policy'));
  });

  it('a default deny (empty podSelector, no rules) isolates every pod of its namespace only', () => {
    const analysis = cluster(
      policyYaml(
        'x/deny',
        `
        podSelector: {}
        policyTypes: [Ingress]
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['y/a', 'x/a', 'TCP', 80, false],
        ['x/a', 'x/b', 'TCP', 80, false],
        ['x/a', 'x/c', 'UDP', 53, false],
        ['x/a', 'y/a', 'TCP', 80, true],
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'y/a', 'x/c', 'TCP', 80).ingress).toMatchObject({
      kind: 'denied',
      misses: [],
      rulelessPolicies: [{ policy: ref('x/deny'), direction: 'ingress' }],
    });
  });
});

describe('rules', () => {
  it('`ingress: [{}]` allows everything, from pods and from outside, on every port', () => {
    const analysis = cluster(
      policyYaml(
        'x/allow-all',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - {}
        `,
      ),
    );
    const verdict = flow(analysis, '198.51.100.7', 'x/a', 'SCTP', 65535);
    expect(verdict.allowed).toBe(true);
    expect(verdict.egress).toEqual(unrestricted('outside-cluster'));
    expect(verdict.ingress).toEqual({
      kind: 'allowed',
      isolatedBy: [ref('x/allow-all')],
      matches: [
        {
          policy: ref('x/allow-all'),
          direction: 'ingress',
          ruleIndex: 0,
          peerIndex: null,
          portIndex: null,
        },
      ],
    });
    expect(connections(analysis, 'z/c', 'x/a')).toEqual(FULL_PORT_SET);
  });

  it('a rule with ports and no from admits every source on those ports only', () => {
    const analysis = cluster(
      policyYaml(
        'x/port-80',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - ports: [{port: 80}]
        `,
      ),
    );
    const ok = flow(analysis, 'z/c', 'x/a', 'TCP', 80);
    expect(ok.allowed).toBe(true);
    expect(ok.ingress).toMatchObject({
      matches: [{ ruleIndex: 0, peerIndex: null, portIndex: 0 }],
    });
    expect(flow(analysis, '198.51.100.7', 'x/a', 'TCP', 80).allowed).toBe(true);

    const otherPort = flow(analysis, 'z/c', 'x/a', 'TCP', 81);
    expect(otherPort.allowed).toBe(false);
    expect(otherPort.ingress).toMatchObject({
      kind: 'denied',
      misses: [
        {
          ruleIndex: 0,
          peerMisses: [],
          portMisses: [{ kind: 'port', portIndex: 0, protocol: 'TCP', from: 80, to: 80 }],
        },
      ],
    });
    // A port without a protocol is TCP.
    const udp = flow(analysis, 'z/c', 'x/a', 'UDP', 80);
    expect(udp.allowed).toBe(false);
    expect(udp.ingress).toMatchObject({
      misses: [{ portMisses: [{ kind: 'protocol', portIndex: 0, expected: 'TCP' }] }],
    });
    expect(connections(analysis, 'z/c', 'x/a')).toEqual(portSetOf('TCP', 80, 80));
  });

  it('peers and ports of one rule are ANDed, while separate rules are ORed', () => {
    const analysis = cluster(
      policyYaml(
        'x/two-rules',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from: [{podSelector: {matchLabels: {app: b}}}]
          ports: [{port: 80}]
        - from: [{podSelector: {matchLabels: {app: c}}}]
          ports: [{port: 81}]
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['x/b', 'x/a', 'TCP', 80, true],
        ['x/b', 'x/a', 'TCP', 81, false],
        ['x/c', 'x/a', 'TCP', 81, true],
        ['x/c', 'x/a', 'TCP', 80, false],
      ]),
    ).toEqual([]);
    // x/b on 81: rule 0 matches the peer but not the port, rule 1 the port but not the peer.
    expect(flow(analysis, 'x/b', 'x/a', 'TCP', 81).ingress).toMatchObject({
      kind: 'denied',
      misses: [
        { ruleIndex: 0, peerMisses: [], portMisses: [{ kind: 'port', from: 80, to: 80 }] },
        { ruleIndex: 1, peerMisses: [{ kind: 'pod-labels', pod: 'x/b' }], portMisses: [] },
      ],
    });
  });

  it('a port entry with only a protocol admits every port of that protocol', () => {
    const analysis = cluster(
      policyYaml(
        'x/udp',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - ports: [{protocol: UDP}]
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['z/c', 'x/a', 'UDP', 1, true],
        ['z/c', 'x/a', 'UDP', 65535, true],
        ['z/c', 'x/a', 'TCP', 53, false],
        ['z/c', 'x/a', 'SCTP', 53, false],
      ]),
    ).toEqual([]);
    expect(connections(analysis, 'z/c', 'x/a')).toEqual(portSetOf('UDP', 1, 65535));
  });

  it('SCTP ports are distinct from TCP and UDP ports', () => {
    const analysis = cluster(
      policyYaml(
        'x/sctp',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - ports: [{protocol: SCTP, port: 80}]
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['z/c', 'x/a', 'SCTP', 80, true],
        ['z/c', 'x/a', 'SCTP', 81, false],
        ['z/c', 'x/a', 'TCP', 80, false],
        ['z/c', 'x/a', 'UDP', 80, false],
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'z/c', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [{ portMisses: [{ kind: 'protocol', expected: 'SCTP' }] }],
    });
  });

  it('endPort admits the inclusive range port..endPort', () => {
    const analysis = cluster(
      policyYaml(
        'x/range',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - ports: [{protocol: TCP, port: 32000, endPort: 32768}]
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['z/c', 'x/a', 'TCP', 31999, false],
        ['z/c', 'x/a', 'TCP', 32000, true],
        ['z/c', 'x/a', 'TCP', 32500, true],
        ['z/c', 'x/a', 'TCP', 32768, true],
        ['z/c', 'x/a', 'TCP', 32769, false],
        ['z/c', 'x/a', 'UDP', 32500, false],
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'z/c', 'x/a', 'TCP', 32769).ingress).toMatchObject({
      misses: [{ portMisses: [{ kind: 'port', from: 32000, to: 32768 }] }],
    });
    expect(connections(analysis, 'z/c', 'x/a')).toEqual(portSetOf('TCP', 32000, 32768));
  });

  it('several policies selecting a pod add up (their rules are ORed)', () => {
    const analysis = cluster(
      policyYaml(
        'x/from-b-80',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from: [{podSelector: {matchLabels: {app: b}}}]
          ports: [{port: 80}]
        `,
      ),
      policyYaml(
        'x/from-c-81',
        `
        podSelector: {}
        ingress:
        - from: [{podSelector: {matchLabels: {app: c}}}]
          ports: [{port: 81}]
        `,
      ),
    );
    const viaSecond = flow(analysis, 'x/c', 'x/a', 'TCP', 81);
    expect(viaSecond.allowed).toBe(true);
    expect(viaSecond.ingress).toMatchObject({
      kind: 'allowed',
      isolatedBy: [ref('x/from-b-80'), ref('x/from-c-81')],
      matches: [{ policy: ref('x/from-c-81'), ruleIndex: 0, peerIndex: 0, portIndex: 0 }],
    });
    expect(
      mismatches(analysis, [
        ['x/b', 'x/a', 'TCP', 80, true],
        ['x/b', 'x/a', 'TCP', 81, false],
        ['x/c', 'x/a', 'TCP', 80, false],
        ['x/c', 'x/b', 'TCP', 81, true],
        ['x/b', 'x/c', 'TCP', 80, false],
      ]),
    ).toEqual([]);
    expect(connections(analysis, 'x/b', 'x/a')).toEqual(portSetOf('TCP', 80, 80));
  });
});

describe('named ports', () => {
  const HTTP_IN = policyYaml(
    'x/http-in',
    `
    podSelector: {}
    ingress:
    - ports: [{port: http}]
    `,
  );

  it('resolve on each destination pod, so one rule opens different numbers on different pods', () => {
    const analysis = cluster(HTTP_IN);
    expect(
      mismatches(analysis, [
        ['z/c', 'x/a', 'TCP', 8080, true],
        ['z/c', 'x/a', 'TCP', 80, false],
        ['z/c', 'x/b', 'TCP', 80, true],
        ['z/c', 'x/b', 'TCP', 8080, false],
        // The source's own http port (9999) plays no part.
        ['z/c', 'x/a', 'TCP', 9999, false],
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'z/c', 'x/a', 'TCP', 80).ingress).toMatchObject({
      misses: [
        {
          portMisses: [
            {
              kind: 'named-port-other',
              portIndex: 0,
              name: 'http',
              protocol: 'TCP',
              resolved: 8080,
            },
          ],
        },
      ],
    });
    expect(connections(analysis, 'z/c', 'x/a')).toEqual(portSetOf('TCP', 8080, 8080));
    expect(connections(analysis, 'z/c', 'x/b')).toEqual(portSetOf('TCP', 80, 80));
  });

  it('admit nothing on a pod that does not declare the name', () => {
    const analysis = cluster(HTTP_IN);
    expect(flow(analysis, 'z/c', 'x/c', 'TCP', 80).ingress).toMatchObject({
      kind: 'denied',
      misses: [{ portMisses: [{ kind: 'named-port-missing', name: 'http', protocol: 'TCP' }] }],
    });
    expect(connections(analysis, 'z/c', 'x/c')).toEqual(EMPTY_PORT_SET);
  });

  it('in egress rules resolve on the destination, and never match an external address', () => {
    const analysis = cluster(
      policyYaml(
        'z/http-out',
        `
        podSelector: {matchLabels: {app: c}}
        policyTypes: [Egress]
        egress:
        - ports: [{port: http}]
        `,
      ),
    );
    expect(
      mismatches(analysis, [
        ['z/c', 'x/a', 'TCP', 8080, true],
        ['z/c', 'x/b', 'TCP', 80, true],
        ['z/c', 'x/b', 'TCP', 8080, false],
        ['z/c', 'x/a', 'TCP', 9999, false],
        ['z/c', '198.51.100.7', 'TCP', 80, false],
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'z/c', '198.51.100.7', 'TCP', 80).egress).toMatchObject({
      misses: [{ portMisses: [{ kind: 'named-port-missing', name: 'http' }] }],
    });
  });

  it('match only a container port of the same protocol', () => {
    // x/a declares dns as 53/UDP; a port entry without protocol means TCP.
    const tcp = cluster(
      policyYaml(
        'x/dns-tcp',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - ports: [{port: dns}]
        `,
      ),
    );
    expect(
      mismatches(tcp, [
        ['z/c', 'x/a', 'UDP', 53, false],
        ['z/c', 'x/a', 'TCP', 53, false],
      ]),
    ).toEqual([]);
    expect(flow(tcp, 'z/c', 'x/a', 'TCP', 53).ingress).toMatchObject({
      misses: [{ portMisses: [{ kind: 'named-port-missing', name: 'dns', protocol: 'TCP' }] }],
    });
    expect(connections(tcp, 'z/c', 'x/a')).toEqual(EMPTY_PORT_SET);

    const udp = cluster(
      policyYaml(
        'x/dns-udp',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - ports: [{protocol: UDP, port: dns}]
        `,
      ),
    );
    expect(flow(udp, 'z/c', 'x/a', 'UDP', 53).allowed).toBe(true);
    expect(connections(udp, 'z/c', 'x/a')).toEqual(portSetOf('UDP', 53, 53));
  });
});

describe('both sides must allow', () => {
  const analysis = cluster(
    policyYaml(
      'x/a-out-to-b',
      `
      podSelector: {matchLabels: {app: a}}
      policyTypes: [Egress]
      egress:
      - to: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    policyYaml(
      'x/b-in-from-c',
      `
      podSelector: {matchLabels: {app: b}}
      ingress:
      - from: [{podSelector: {matchLabels: {app: c}}}]
      `,
    ),
  );

  it('an egress allow is not enough when the destination ingress denies', () => {
    const verdict = flow(analysis, 'x/a', 'x/b', 'TCP', 80);
    expect(verdict.allowed).toBe(false);
    expect(verdict.egress.kind).toBe('allowed');
    expect(verdict.ingress.kind).toBe('denied');
  });

  it('an ingress allow is not enough when the source egress denies', () => {
    const verdict = flow(analysis, 'x/a', 'x/c', 'TCP', 80);
    expect(verdict.allowed).toBe(false);
    expect(verdict.egress.kind).toBe('denied');
    expect(verdict.ingress).toEqual(unrestricted('no-policy'));
  });

  it('a connection both sides allow goes through', () => {
    expect(flow(analysis, 'x/c', 'x/b', 'TCP', 80).allowed).toBe(true);
  });

  it('the matrix agrees', () => {
    const matrix = computeMatrix(analysis);
    const at = (id: string) => analysis.pods.findIndex((p) => p.id === id);
    expect(matrix.connections(at('x/a'), at('x/b'))).toEqual(EMPTY_PORT_SET);
    expect(matrix.connections(at('x/c'), at('x/b'))).toEqual(FULL_PORT_SET);
    expect(matrix.connections(at('x/a'), at('x/c'))).toEqual(EMPTY_PORT_SET);
  });
});

describe('self traffic', () => {
  it('is always allowed, even under deny-all in both directions', () => {
    const analysis = cluster(
      policyYaml(
        'x/deny-all',
        `
        podSelector: {}
        policyTypes: [Ingress, Egress]
        `,
      ),
    );
    const verdict = flow(analysis, 'x/a', 'x/a', 'UDP', 53);
    expect(verdict).toMatchObject({
      allowed: true,
      egress: unrestricted('self'),
      ingress: unrestricted('self'),
    });
    expect(connections(analysis, 'x/a', 'x/a')).toEqual(FULL_PORT_SET);
    const idx = analysis.pods.findIndex((p) => p.id === 'x/a');
    expect(computeMatrix(analysis).connections(idx, idx)).toEqual(FULL_PORT_SET);
    expect(flow(analysis, 'x/a', 'x/b', 'TCP', 80).allowed).toBe(false);
  });
});

describe('addresses', () => {
  it('a pod without an IP yet may be anywhere in the pod range; selectors still see it', () => {
    const analysis = (cidr: string) =>
      cluster(
        podYaml('x/pending', { labels: { app: 'b' } }),
        policyYaml(
          'x/cidr-or-label',
          `
          podSelector: {matchLabels: {app: a}}
          ingress:
          - from:
            - ipBlock: {cidr: ${cidr}}
          - from:
            - podSelector: {matchLabels: {app: b}}
            ports: [{port: 443}]
          `,
        ),
      );
    // No pod range is known: only a block of the whole family surely holds the IP.
    expect(flow(analysis('0.0.0.0/0'), 'x/pending', 'x/a', 'TCP', 80).verdict).toBe('ALLOWED');
    const part = analysis('10.0.0.0/8');
    const on80 = flow(part, 'x/pending', 'x/a', 'TCP', 80);
    expect(on80.verdict).toBe('UNKNOWN');
    expect(on80.ingress.undecided).toMatchObject([
      { kind: 'pod-ip', pod: 'x/pending', ipBlocks: [{ cidr: '10.0.0.0/8' }], podCidrs: [] },
    ]);
    expect(flow(part, 'x/pending', 'x/a', 'TCP', 443).verdict).toBe('ALLOWED');
    expect(flow(part, 'x/c', 'x/a', 'TCP', 80).allowed).toBe(true);
    expect(connections(part, 'x/pending', 'x/a')).toEqual(portSetOf('TCP', 443, 443));
  });

  it('an address resolves to the pod that has it, otherwise to an external endpoint', () => {
    const analysis = cluster();
    expect(addressEndpoint(analysis, '10.0.0.1')).toMatchObject({
      kind: 'pod',
      pod: { id: 'x/a' },
    });
    expect(addressEndpoint(analysis, '203.0.113.5')).toMatchObject({
      kind: 'external',
      ip: '203.0.113.5',
    });
    expect(addressEndpoint(analysis, 'not-an-ip')).toBeUndefined();
  });

  it('external sources are matched by ipBlock only and have no egress policy of their own', () => {
    const analysis = cluster(
      policyYaml(
        'x/from-outside',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from:
          - ipBlock: {cidr: 203.0.113.0/24}
          - podSelector: {}
        `,
      ),
    );
    const ok = flow(analysis, '203.0.113.5', 'x/a', 'TCP', 443);
    expect(ok.allowed).toBe(true);
    expect(ok.egress).toEqual(unrestricted('outside-cluster'));
    expect(ok.ingress).toMatchObject({ matches: [{ peerIndex: 0 }] });
    const denied = flow(analysis, '198.51.100.1', 'x/a', 'TCP', 443);
    expect(denied.allowed).toBe(false);
    expect(denied.ingress).toMatchObject({
      misses: [
        {
          peerMisses: [
            { kind: 'outside-cidr', peerIndex: 0 },
            { kind: 'not-a-pod', peerIndex: 1 },
          ],
        },
      ],
    });
  });

  it('egress to an ipBlock with except covers external addresses and pods alike', () => {
    const analysis = cluster(
      policyYaml(
        'x/internet',
        `
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Egress]
        egress:
        - to:
          - ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}
        `,
      ),
    );
    const out = flow(analysis, 'x/a', '203.0.113.5', 'TCP', 443);
    expect(out.allowed).toBe(true);
    expect(out.ingress).toEqual(unrestricted('outside-cluster'));
    expect(
      mismatches(analysis, [
        ['x/a', '10.200.0.1', 'TCP', 443, false],
        ['x/a', 'x/b', 'TCP', 80, false],
        ['x/a', 'y/b', 'TCP', 80, false],
        ['x/a', '2001:db8::1', 'TCP', 443, false],
      ]),
    ).toEqual([]);
    expect(flow(analysis, 'x/a', 'x/b', 'TCP', 80).egress).toMatchObject({
      misses: [{ peerMisses: [{ kind: 'excepted', except: '10.0.0.0/8' }] }],
    });
  });

  it('a dual-stack pod is reachable at both addresses and matched by the block of the connection family', () => {
    const model = [
      podYaml('d/ds', { labels: { app: 'ds' }, ips: ['10.5.0.1', 'fd00::5'] }),
      policyYaml(
        'x/v6',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from: [{ipBlock: {cidr: 'fd00::/64'}}]
        `,
      ),
      policyYaml(
        'x/v4',
        `
        podSelector: {matchLabels: {app: b}}
        ingress:
        - from: [{ipBlock: {cidr: 10.5.0.0/16}}]
        `,
      ),
      policyYaml(
        'y/other',
        `
        podSelector: {}
        ingress:
        - from: [{ipBlock: {cidr: 192.168.0.0/16}}, {ipBlock: {cidr: 'fd01::/64'}}]
        `,
      ),
    ];
    const analysis = cluster(...model);
    expect(addressEndpoint(analysis, 'fd00::5')).toMatchObject({
      kind: 'pod',
      pod: { id: 'd/ds' },
    });
    expect(addressEndpoint(analysis, '10.5.0.1')).toMatchObject({
      kind: 'pod',
      pod: { id: 'd/ds' },
    });
    expect(
      mismatches(analysis, [
        // x/a has only an IPv4 address: d/ds reaches it over IPv4, which fd00::/64 does not hold.
        ['d/ds', 'x/a', 'TCP', 80, false],
        ['d/ds', 'x/b', 'TCP', 80, true],
        ['d/ds', 'y/a', 'TCP', 80, false],
        ['fd00::77', 'x/a', 'TCP', 80, true],
        ['fd00::77', 'x/b', 'TCP', 80, false],
      ]),
    ).toEqual([]);
  });
});

describe('hostNetwork pods', () => {
  const KUBE_ROUTER = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-router, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-router}}
  template:
    metadata: {labels: {k8s-app: kube-router}}
    spec:
      containers: [{name: kube-router, image: "docker.io/cloudnativelabs/kube-router:v2.1.0"}]
`;
  const HOST = podYaml('x/h', {
    labels: { app: 'a' },
    ips: ['192.168.1.10'],
    hostNetwork: true,
  });

  it('are not isolated by policies whose podSelector matches them, on kube-router', () => {
    // kube-router skips them as policy targets (src/engine/cni/host-network-peers.ts).
    const analysis = cluster(
      KUBE_ROUTER,
      HOST,
      policyYaml(
        'x/deny-all',
        `
        podSelector: {}
        policyTypes: [Ingress, Egress]
        `,
      ),
    );
    const out = flow(analysis, 'x/h', 'z/c', 'TCP', 80);
    expect(out.allowed).toBe(true);
    expect(out.egress).toEqual(unrestricted('host-network'));
    const incoming = flow(analysis, 'z/c', 'x/h', 'TCP', 80);
    expect(incoming.allowed).toBe(true);
    expect(incoming.ingress).toEqual(unrestricted('host-network'));
    expect(connections(analysis, 'z/c', 'x/h')).toEqual(FULL_PORT_SET);
  });

  it('are not matched by pod or namespace selectors, only by an ipBlock of their address', () => {
    // On another node than z/c2: node-local traffic, always allowed, is not what this is about.
    // On kube-router, which ignores hostNetwork pods in selectors (src/engine/cni/host-network-peers.ts).
    const analysis = cluster(
      KUBE_ROUTER,
      podYaml('x/h', {
        labels: { app: 'a' },
        ips: ['192.168.1.10'],
        hostNetwork: true,
        nodeName: 'n2',
      }),
      podYaml('z/c2', { labels: { app: 'c' }, ips: ['10.0.9.9'], nodeName: 'n1' }),
      policyYaml(
        'z/selectors',
        `
        podSelector: {matchLabels: {app: c}}
        ingress:
        - from:
          - namespaceSelector: {}
          - namespaceSelector: {matchLabels: {team: a}}
            podSelector: {matchLabels: {app: a}}
        `,
      ),
      policyYaml(
        'y/cidr',
        `
        podSelector: {}
        ingress:
        - from: [{ipBlock: {cidr: 192.168.1.0/24}}]
        `,
      ),
    );
    const viaSelector = flow(analysis, 'x/h', 'z/c2', 'TCP', 80);
    expect(viaSelector.verdict).toBe('DENIED');
    expect(viaSelector.ingress).toMatchObject({
      misses: [
        {
          peerMisses: [
            { kind: 'host-network', peerIndex: 0 },
            { kind: 'host-network', peerIndex: 1 },
          ],
        },
      ],
    });
    expect(flow(analysis, 'x/a', 'z/c', 'TCP', 80).allowed).toBe(true);
    expect(flow(analysis, 'x/h', 'y/a', 'TCP', 80).allowed).toBe(true);
  });

  it('share the node address, so that address is an external endpoint, not the pod', () => {
    const analysis = cluster(HOST);
    expect(addressEndpoint(analysis, '192.168.1.10')).toMatchObject({ kind: 'external' });
  });
});

describe('allowedConnections', () => {
  it('is the intersection of what the egress and the ingress side allow', () => {
    const analysis = cluster(
      policyYaml(
        'x/a-out',
        `
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Egress]
        egress:
        - ports: [{port: 80, endPort: 90}, {protocol: UDP, port: 53}]
        `,
      ),
      policyYaml(
        'x/b-in',
        `
        podSelector: {matchLabels: {app: b}}
        ingress:
        - ports: [{port: 85, endPort: 100}, {protocol: UDP}]
        `,
      ),
    );
    expect(connections(analysis, 'x/a', 'x/b')).toEqual(
      unionPortSets([portSetOf('TCP', 85, 90), portSetOf('UDP', 53, 53)]),
    );
  });
});

describe('document order', () => {
  it('does not change any connection', () => {
    const policies = [
      policyYaml(
        'x/deny',
        `
        podSelector: {}
        policyTypes: [Ingress, Egress]
        `,
      ),
      policyYaml(
        'x/a-from-team-b',
        `
        podSelector: {matchLabels: {app: a}}
        ingress:
        - from: [{namespaceSelector: {matchLabels: {team: b}}}]
          ports: [{port: http}, {protocol: UDP, port: dns}]
        `,
      ),
      policyYaml(
        'y/out',
        `
        podSelector: {}
        egress:
        - to: [{ipBlock: {cidr: 10.0.0.0/24, except: [10.0.0.2/32]}}]
        `,
      ),
      policyYaml(
        'x/b-out',
        `
        podSelector: {matchLabels: {app: b}}
        egress:
        - to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: c}}}]
          ports: [{port: 9000, endPort: 9999}]
        `,
      ),
    ];
    const documents = [...MODEL.split('\n---\n'), ...policies];
    const table = (analysis: Analysis) => {
      const matrix = computeMatrix(analysis);
      return analysis.pods
        .flatMap((from, i) =>
          analysis.pods.map(
            (to, j) => `${from.id} -> ${to.id}: ${JSON.stringify(matrix.connections(i, j))}`,
          ),
        )
        .sort();
    };
    const forward = table(analyseYaml(stream(...documents)));
    expect(table(analyseYaml(stream(...[...documents].reverse())))).toEqual(forward);
    // Sanity: the policies matter, so the comparison is not between two open clusters.
    expect(forward).not.toEqual(table(analyseYaml(MODEL)));
  });
});
