/**
 * Properties of the engine on random small clusters. Every cluster is valid input (checked
 * first); the expectations follow from NetworkPolicy semantics, and one property compares the
 * engine with a naive evaluator written from the API reference (test/helpers/reference-model.ts).
 *
 * Runs are deterministic; set NETPOL_FC_SEED (and NETPOL_FC_RUNS) to explore other clusters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Analysis, compileCluster } from '../../src/engine/compile/compile.js';
import { addressEndpoint, type Endpoint, podEndpoint } from '../../src/engine/compile/endpoint.js';
import { validateNetworkPolicy } from '../../src/engine/compile/validate.js';
import { allowedConnections } from '../../src/engine/evaluate/connections.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import { computeMatrix } from '../../src/engine/evaluate/matrix.js';
import { buildPeerIndex } from '../../src/engine/evaluate/peer-index.js';
import { explainPod } from '../../src/engine/explain/explain-pod.js';
import {
  type Cluster,
  type NetworkPolicy,
  type PolicyType,
  PROTOCOLS,
  type Protocol,
} from '../../src/engine/model/types.js';
import {
  isEmptyPortSet,
  isFullPortSet,
  type PortSet,
  portSetAllows,
  portSetKey,
  unionPortSets,
} from '../../src/engine/primitives/port-set.js';
import {
  clusterArb,
  INTERESTING_PORTS,
  namespaceNames,
  policyArb,
} from '../helpers/cluster-arbitrary.js';
import {
  type ReferenceEndpoint,
  referenceAllows,
  referenceIsolating,
} from '../helpers/reference-model.js';

const SEED = Number(process.env.NETPOL_FC_SEED ?? 1_700_531);
const RUNS = Number(process.env.NETPOL_FC_RUNS ?? 80);
const params = { seed: SEED, numRuns: RUNS };
/** For properties of clusters without policies, where fewer shapes exist. */
const lightParams = { seed: SEED, numRuns: Math.ceil(RUNS / 3) };

/** Addresses outside the pods: inside, outside and excepted from the generated ipBlocks. */
const EXTERNAL_IPS = ['10.0.0.200', '10.0.1.77', '203.0.113.1', 'fd00::99', 'fd00::6:1'];

interface Probe {
  readonly protocol: Protocol;
  readonly port: number;
}

/** Every protocol on the port numbers the cluster mentions, their neighbours, the extremes. */
function probesOf(cluster: Cluster, extra: readonly number[] = []): Probe[] {
  const ports = new Set<number>([1, 65535, ...INTERESTING_PORTS, ...extra]);
  for (const pod of cluster.pods) for (const p of pod.ports) ports.add(p.port);
  for (const policy of cluster.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const entry of rule.ports) {
        if (typeof entry.port !== 'number') continue;
        const end = entry.endPort ?? entry.port;
        for (const p of [entry.port - 1, entry.port, end, end + 1]) ports.add(p);
      }
    }
  }
  const valid = [...ports].filter((p) => p >= 1 && p <= 65535).sort((a, b) => a - b);
  return PROTOCOLS.flatMap((protocol) => valid.map((port) => ({ protocol, port })));
}

const refOf = (endpoint: Endpoint): ReferenceEndpoint =>
  endpoint.kind === 'pod' ? { pod: endpoint.pod } : { ip: endpoint.ip };

const refName = (endpoint: Endpoint) => (endpoint.kind === 'pod' ? endpoint.pod.id : endpoint.ip);

function externalEndpoints(analysis: Analysis): Endpoint[] {
  return EXTERNAL_IPS.map((ip) => {
    const found = addressEndpoint(analysis, ip);
    if (!found) throw new Error(`test address ${ip} should parse`);
    return found;
  });
}

const pods = (analysis: Analysis): Endpoint[] =>
  analysis.pods.map((_, idx) => podEndpoint(analysis, idx));

const describeSet = (set: PortSet) => portSetKey(set) || '(none)';

describe('generated clusters', () => {
  it('are valid input', () => {
    fc.assert(
      fc.property(clusterArb(), (cluster) => {
        expect(cluster.policies.flatMap((policy) => validateNetworkPolicy(policy))).toEqual([]);
      }),
      params,
    );
  });
});

describe('without policies', () => {
  it('every pair is open on every port, by every view of the engine', () => {
    fc.assert(
      fc.property(clusterArb({ maxPolicies: 0 }), (cluster) => {
        const analysis = compileCluster(cluster);
        const matrix = computeMatrix(analysis);
        const all = pods(analysis);
        all.forEach((from, i) => {
          all.forEach((to, j) => {
            expect(isFullPortSet(matrix.connections(i, j))).toBe(true);
            expect(isFullPortSet(allowedConnections(analysis, from, to))).toBe(true);
            expect(evaluateFlow(analysis, from, to, 'SCTP', 9).allowed).toBe(true);
          });
          for (const external of externalEndpoints(analysis)) {
            expect(isFullPortSet(allowedConnections(analysis, from, external))).toBe(true);
            expect(isFullPortSet(allowedConnections(analysis, external, from))).toBe(true);
          }
          const exposure = explainPod(analysis, i);
          expect(exposure.ingress.restriction.kind).toBe('unrestricted');
          expect(exposure.egress.restriction.kind).toBe('unrestricted');
          expect(exposure.ingress.pods).toHaveLength(all.length - 1);
          expect(exposure.egress.pods).toHaveLength(all.length - 1);
        });
      }),
      lightParams,
    );
  });
});

describe('the views of the engine agree', () => {
  it('evaluateFlow, allowedConnections, computeMatrix and the reference model give one answer', () => {
    fc.assert(
      fc.property(
        clusterArb(),
        fc.array(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }),
        (cluster, extraPorts) => {
          const analysis = compileCluster(cluster);
          const matrix = computeMatrix(analysis);
          const probes = probesOf(cluster, extraPorts);
          const disagreements: string[] = [];
          const check = (
            from: Endpoint,
            to: Endpoint,
            fromPosition?: number,
            toPosition?: number,
          ) => {
            const connections = allowedConnections(analysis, from, to);
            const name = `${fromPosition ?? refName(from)} -> ${toPosition ?? refName(to)}`;
            if (fromPosition !== undefined && toPosition !== undefined) {
              const inMatrix = matrix.connections(fromPosition, toPosition);
              if (portSetKey(inMatrix) !== portSetKey(connections)) {
                disagreements.push(
                  `${name}: matrix ${describeSet(inMatrix)}, allowedConnections ${describeSet(connections)}`,
                );
              }
            }
            for (const { protocol, port } of probes) {
              const verdict = evaluateFlow(analysis, from, to, protocol, port).allowed;
              const inSet = portSetAllows(connections, protocol, port);
              const reference = referenceAllows(cluster, refOf(from), refOf(to), protocol, port);
              if (verdict !== inSet || verdict !== reference) {
                disagreements.push(
                  `${name} ${protocol}/${port}: evaluateFlow ${verdict}, allowedConnections ${inSet}, reference ${reference}`,
                );
              }
            }
          };
          const all = pods(analysis);
          all.forEach((from, i) => {
            all.forEach((to, j) => {
              check(from, to, i, j);
            });
          });
          for (const external of externalEndpoints(analysis)) {
            for (const pod of all) {
              check(external, pod);
              check(pod, external);
            }
          }
          expect(disagreements).toEqual([]);
        },
      ),
      params,
    );
  });

  it('a matrix over some of the pods, in any order, equals that part of the full matrix', () => {
    const withSubset = clusterArb().chain((cluster) =>
      fc.tuple(
        fc.constant(cluster),
        fc.shuffledSubarray(
          cluster.pods.map((_, idx) => idx),
          { minLength: 1 },
        ),
      ),
    );
    fc.assert(
      fc.property(withSubset, ([cluster, subset]) => {
        const analysis = compileCluster(cluster);
        const full = computeMatrix(analysis);
        const part = computeMatrix(analysis, subset);
        expect(part.podIdxs).toEqual(subset);
        subset.forEach((from, i) => {
          subset.forEach((to, j) => {
            expect(portSetKey(part.connections(i, j))).toBe(portSetKey(full.connections(from, to)));
          });
        });
      }),
      params,
    );
  });

  it('explainPod lists exactly the pods the matrix connects, with the same ports', () => {
    fc.assert(
      fc.property(clusterArb(), (cluster) => {
        const analysis = compileCluster(cluster);
        const matrix = computeMatrix(analysis);
        const ids = analysis.pods.map((pod) => pod.id);
        ids.forEach((id, i) => {
          const exposure = explainPod(analysis, i);
          const expected = (direction: 'ingress' | 'egress') =>
            ids.flatMap((other, j) => {
              if (j === i) return [];
              const set =
                direction === 'ingress' ? matrix.connections(j, i) : matrix.connections(i, j);
              return isEmptyPortSet(set) ? [] : [`${other} ${portSetKey(set)}`];
            });
          const listed = (pods: readonly { pod: string; connections: PortSet }[]) =>
            pods.map((p) => `${p.pod} ${portSetKey(p.connections)}`);
          expect(listed(exposure.ingress.pods), `ingress of ${id}`).toEqual(expected('ingress'));
          expect(listed(exposure.egress.pods), `egress of ${id}`).toEqual(expected('egress'));
          const pod = cluster.pods[i];
          if (!pod) throw new Error('missing pod');
          for (const direction of ['ingress', 'egress'] as const) {
            const isolating = referenceIsolating(cluster, pod, direction).map((p) => ({
              namespace: p.namespace,
              name: p.name,
            }));
            expect(exposure[direction].restriction).toEqual(
              isolating.length > 0
                ? { kind: 'isolated', policies: isolating }
                : { kind: 'unrestricted', reason: pod.hostNetwork ? 'host-network' : 'no-policy' },
            );
          }
        });
      }),
      params,
    );
  });
});

describe('explainPod with a kept matrix and peer index', () => {
  it('answers as it does without them, whatever the pod order of the matrix', () => {
    const withOrder = clusterArb().chain((cluster) =>
      fc.tuple(
        fc.constant(cluster),
        fc.shuffledSubarray(
          cluster.pods.map((_, idx) => idx),
          { minLength: cluster.pods.length },
        ),
      ),
    );
    fc.assert(
      fc.property(withOrder, ([cluster, order]) => {
        const analysis = compileCluster(cluster);
        const context = {
          matrix: computeMatrix(analysis, order),
          peerIndex: buildPeerIndex(analysis),
        };
        analysis.pods.forEach((pod, i) => {
          expect(explainPod(analysis, i, context), pod.id).toEqual(explainPod(analysis, i));
        });
      }),
      params,
    );
  });
});

describe('adding a policy', () => {
  it('opens a flow to an isolated pod, or from an egress-isolated pod, only through its own rules', () => {
    const withExtra = clusterArb().chain((cluster) =>
      fc.tuple(fc.constant(cluster), policyArb(namespaceNames(cluster), 'added')),
    );
    fc.assert(
      fc.property(withExtra, ([cluster, added]) => {
        const before = compileCluster(cluster);
        const after = compileCluster({ ...cluster, policies: [...cluster.policies, added] });
        const addedRef = { namespace: added.namespace, name: added.name };
        const probes = probesOf({ ...cluster, policies: [...cluster.policies, added] });
        const problems: string[] = [];
        const all = pods(before);
        all.forEach((from, i) => {
          all.forEach((to, j) => {
            if (i === j) return;
            for (const { protocol, port } of probes) {
              const was = evaluateFlow(before, from, to, protocol, port);
              const now = evaluateFlow(
                after,
                podEndpoint(after, i),
                podEndpoint(after, j),
                protocol,
                port,
              );
              for (const side of ['egress', 'ingress'] as const) {
                const wasSide = was[side];
                const nowSide = now[side];
                // Isolation is never lifted by adding a policy.
                if (wasSide.kind !== 'unrestricted' && nowSide.kind === 'unrestricted') {
                  problems.push(`${side} of ${i}->${j} lost its isolation`);
                }
                if (wasSide.kind === 'denied' && nowSide.kind !== 'denied') {
                  const foreign =
                    nowSide.kind === 'allowed'
                      ? nowSide.matches.filter(
                          (m) =>
                            m.policy.name !== addedRef.name ||
                            m.policy.namespace !== addedRef.namespace,
                        )
                      : [];
                  if (nowSide.kind !== 'allowed' || foreign.length > 0) {
                    problems.push(
                      `${side} of ${refName(from)}->${refName(to)} ${protocol}/${port} opened by ${JSON.stringify(foreign)}`,
                    );
                  }
                }
              }
            }
          });
        });
        expect(problems).toEqual([]);
      }),
      params,
    );
  });
});

/** A deterministic shuffle driven by a seed (mulberry32). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1));
    [out[i], out[k]] = [out[k] as T, out[i] as T];
  }
  return out;
}

function reorderPolicy(policy: NetworkPolicy, seed: number): NetworkPolicy {
  const rules = (list: NetworkPolicy['ingress'], salt: number) =>
    shuffled(list, seed + salt).map((rule, i) => ({
      peers: shuffled(rule.peers, seed + salt + 10 * i + 1),
      ports: shuffled(rule.ports, seed + salt + 10 * i + 2),
    }));
  return { ...policy, ingress: rules(policy.ingress, 100), egress: rules(policy.egress, 200) };
}

describe('order of input', () => {
  it('does not change the matrix (namespaces, pods, policies, rules, peers, ports)', () => {
    fc.assert(
      fc.property(clusterArb(), fc.integer(), (cluster, seed) => {
        const reordered: Cluster = {
          namespaces: shuffled(cluster.namespaces, seed),
          pods: shuffled(cluster.pods, seed + 1),
          services: [],
          policies: shuffled(cluster.policies, seed + 2).map((p, i) =>
            reorderPolicy(p, seed + 3 + i),
          ),
        };
        const table = (analysis: Analysis) => {
          const matrix = computeMatrix(analysis);
          const rows = new Map<string, string>();
          analysis.pods.forEach((from, i) => {
            analysis.pods.forEach((to, j) => {
              rows.set(`${from.id} -> ${to.id}`, portSetKey(matrix.connections(i, j)));
            });
          });
          return [...rows].sort(([a], [b]) => a.localeCompare(b));
        };
        expect(table(compileCluster(reordered))).toEqual(table(compileCluster(cluster)));
      }),
      params,
    );
  });
});

describe('several policies of the same type', () => {
  it.each([['Ingress'], ['Egress']] as [PolicyType][])(
    '(%s) allow the union of what each would allow alone',
    (type) => {
      const direction = type === 'Ingress' ? 'ingress' : 'egress';
      fc.assert(
        fc.property(clusterArb({ policyTypes: [type], minPolicies: 2 }), (cluster) => {
          const analysis = compileCluster(cluster);
          const alone = cluster.policies.map((policy) => ({
            policy,
            analysis: compileCluster({ ...cluster, policies: [policy] }),
          }));
          const problems: string[] = [];
          analysis.pods.forEach((source, i) => {
            analysis.pods.forEach((destination, j) => {
              if (i === j) return;
              const subject = direction === 'ingress' ? destination : source;
              const selecting = new Set(referenceIsolating(cluster, subject, direction));
              const actual = allowedConnections(
                analysis,
                podEndpoint(analysis, i),
                podEndpoint(analysis, j),
              );
              const parts = alone
                .filter((entry) => selecting.has(entry.policy))
                .map((entry) =>
                  allowedConnections(
                    entry.analysis,
                    podEndpoint(entry.analysis, i),
                    podEndpoint(entry.analysis, j),
                  ),
                );
              const expected = parts.length === 0 ? null : unionPortSets(parts);
              if (
                expected === null
                  ? !isFullPortSet(actual)
                  : portSetKey(expected) !== portSetKey(actual)
              ) {
                problems.push(
                  `${source.id} -> ${destination.id}: all ${describeSet(actual)}, union ${expected ? describeSet(expected) : 'full'}`,
                );
              }
            });
          });
          expect(problems).toEqual([]);
        }),
        params,
      );
    },
  );
});
