import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { allowedConnections } from '../../src/engine/evaluate/connections.js';
import type { Cluster, LabelSelector, Pod, PolicyRule } from '../../src/engine/index.js';
import {
  compileCluster,
  computeMatrix,
  isEmptyPortSet,
  withPodCidrs,
} from '../../src/engine/index.js';
import {
  EMPTY_PORT_SET,
  FULL_PORT_SET,
  portSetKey,
  portSetOf,
} from '../../src/engine/primitives/port-set.js';
import { analyseYaml } from '../helpers/load.js';
import { podYaml, policyYaml, stream } from '../helpers/scenario.js';

const selector = (matchLabels: Record<string, string>): LabelSelector => ({
  matchLabels,
  matchExpressions: [],
});

const pod = (name: string, app: string): Pod => ({
  id: `x/${name}`,
  namespace: 'x',
  name,
  kind: 'Pod',
  labels: { app },
  ips: [],
  hostNetwork: false,
  ports: [],
});

describe('computeMatrix', () => {
  const analysis = analyseYaml(
    stream(
      podYaml('x/a', { labels: { app: 'a' }, ports: [{ name: 'http', port: 8080 }] }),
      podYaml('x/b', { labels: { app: 'b' }, ports: [{ name: 'http', port: 80 }] }),
      podYaml('x/c', { labels: { app: 'c' } }),
    ),
    policyYaml(
      'x/http-from-c',
      `
      podSelector: {matchExpressions: [{key: app, operator: In, values: [a, b]}]}
      ingress:
      - from: [{podSelector: {matchLabels: {app: c}}}]
        ports: [{port: http}]
      `,
    ),
  );

  it('indexes by position in podIdxs and keeps the diagonal open', () => {
    const [a, b, c] = ['x/a', 'x/b', 'x/c'].map((id) => analysis.podIndex.get(id) as number);
    const matrix = computeMatrix(analysis, [c as number, a as number, b as number]);
    expect(matrix.podIdxs).toEqual([c, a, b]);
    // Positions: 0 = x/c, 1 = x/a, 2 = x/b.
    expect(matrix.connections(0, 1)).toEqual(portSetOf('TCP', 8080, 8080));
    expect(matrix.connections(0, 2)).toEqual(portSetOf('TCP', 80, 80));
    expect(matrix.connections(1, 2)).toEqual(EMPTY_PORT_SET);
    expect(matrix.connections(2, 0)).toEqual(FULL_PORT_SET);
    for (const i of [0, 1, 2]) expect(matrix.connections(i, i)).toEqual(FULL_PORT_SET);
  });

  it('portSet(connectionId) is connections', () => {
    const matrix = computeMatrix(analysis);
    for (const i of [0, 1, 2]) {
      for (const j of [0, 1, 2]) {
        expect(matrix.portSet(matrix.connectionId(i, j))).toEqual(matrix.connections(i, j));
      }
    }
  });

  it('is right however many rules isolate a pod (here 65,542)', () => {
    // Rules 3 and 5 admit app=a on ports 3 and 5; rule 65541 admits app=b on port 7; the
    // rest admit nobody. x/b may reach x/d on TCP 7 only.
    const ingress: PolicyRule[] = Array.from({ length: 65_542 }, (_, k) => ({
      peers: [
        { podSelector: selector({ app: k === 3 || k === 5 ? 'a' : k === 65_541 ? 'b' : 'none' }) },
      ],
      ports: [{ protocol: 'TCP', port: k === 3 || k === 5 ? k : k === 65_541 ? 7 : 1000 }],
    }));
    const cluster: Cluster = {
      namespaces: [],
      services: [],
      pods: [pod('a', 'a'), pod('b', 'b'), pod('d', 'd')],
      policies: [
        {
          namespace: 'x',
          name: 'many-rules',
          podSelector: selector({ app: 'd' }),
          policyTypes: ['Ingress'],
          ingress,
          egress: [],
        },
      ],
    };
    const big = compileCluster(cluster);
    const expected = portSetOf('TCP', 7, 7);
    expect(allowedConnections(big, podEndpoint(big, 1), podEndpoint(big, 2))).toEqual(expected);
    expect(computeMatrix(big).connections(1, 2)).toEqual(expected);
  });

  it('answers as pair by pair past the first 64 egress profiles, where an unknown IP decides', () => {
    // x/s0 … x/s69 each have an egress policy of their own (70 egress profiles): sK may reach
    // s(K+1) on TCP K+1; s69, the last, may reach 10.244.1.0/24 on TCP 80, which may or may not
    // hold x/pending's IP (not known yet, in 10.244.0.0/16): UNKNOWN.
    const sources = Array.from({ length: 70 }, (_, k) => k);
    const { cluster } = analyseYaml(
      stream(
        podYaml('x/pending', { labels: { app: 'pending' } }),
        ...sources.map((k) =>
          podYaml(`x/s${k}`, { labels: { app: `s${k}` }, ips: [`10.244.0.${k + 1}`] }),
        ),
        ...sources.map((k) =>
          policyYaml(
            `x/out-${k}`,
            `
            podSelector: {matchLabels: {app: s${k}}}
            policyTypes: [Egress]
            egress:
            - to: [${k === 69 ? '{ipBlock: {cidr: 10.244.1.0/24}}' : `{podSelector: {matchLabels: {app: s${k + 1}}}}`}]
              ports: [{port: ${k === 69 ? 80 : k + 1}}]
            `,
          ),
        ),
      ),
    );
    const analysis = compileCluster(withPodCidrs(cluster, ['10.244.0.0/16']));
    const matrix = computeMatrix(analysis);
    const position = (id: string) => analysis.podIndex.get(id) as number;
    const [pending, s0, s68, s69] = ['x/pending', 'x/s0', 'x/s68', 'x/s69'].map(position);
    const unknown = matrix.undecidedConnections(s69 as number, pending as number);
    expect(unknown).toEqual(portSetOf('TCP', 80, 80));
    expect(matrix.connections(s68 as number, s69 as number)).toEqual(portSetOf('TCP', 69, 69));
    expect(matrix.undecided(s68 as number, s69 as number)).toBe(false);
    expect(matrix.connections(s0 as number, s68 as number)).toEqual(EMPTY_PORT_SET);
    // Every pair: what the matrix lists is what the pair's own evaluation admits (for some IP
    // where the matrix says the pair is undecided).
    const disagreements = analysis.pods.flatMap((_, from) =>
      analysis.pods.flatMap((_, to) => {
        const assumption = matrix.undecided(from, to) ? 'inside' : 'outside';
        const endpoints = [podEndpoint(analysis, from), podEndpoint(analysis, to)] as const;
        const expected = allowedConnections(analysis, ...endpoints, assumption);
        const listed = matrix.connections(from, to);
        return portSetKey(listed) === portSetKey(expected) ? [] : [`${from} -> ${to}`];
      }),
    );
    expect(disagreements).toEqual([]);
    const allowedPairs = analysis.pods.flatMap((_, from) =>
      analysis.pods.filter((_, to) => from !== to && !isEmptyPortSet(matrix.connections(from, to))),
    );
    // Each source reaches its next one (s69: x/pending, maybe), and x/pending every source.
    expect(allowedPairs.length).toBe(70 + 70);
  });
});
