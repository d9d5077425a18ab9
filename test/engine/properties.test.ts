/**
 * Properties of the engine on random small clusters. Every cluster is valid input (checked
 * first); the expectations follow from NetworkPolicy semantics. That the engine's views agree
 * with each other and with the reference model is agreement.test.ts.
 *
 * Runs are deterministic; set NETPOL_FC_SEED (and NETPOL_FC_RUNS) to explore other clusters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { familyView } from '../../src/engine/evaluate/address-families.js';
import { allowedConnections } from '../../src/engine/evaluate/connections.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Analysis,
  type Cluster,
  compileCluster,
  computeMatrix,
  explainPod,
  type NetworkPolicy,
  type PolicyType,
  validateNetworkPolicy,
} from '../../src/engine/index.js';
import { isFullPortSet, portSetKey, unionPortSets } from '../../src/engine/primitives/port-set.js';
import { clusterArb, namespaceNames, policyArb } from '../helpers/cluster-arbitrary.js';
import {
  describeSet,
  externalEndpoints,
  lightParams,
  params,
  pods,
  probesOf,
  refName,
} from '../helpers/engine-probes.js';
import { referenceIsolating } from '../helpers/reference-model.js';

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
          const compiled = compileCluster(cluster);
          const alone = cluster.policies.map((policy) => ({
            policy,
            analysis: compileCluster({ ...cluster, policies: [policy] }),
          }));
          const problems: string[] = [];
          // Per connection, so per address family: a dual-stack pair may be allowed over IPv4 by
          // one policy and over IPv6 by another, and over both only by the two together.
          const pairs = ([4, 6] as const).flatMap((family) =>
            compiled.pods.flatMap((source, i) =>
              compiled.pods.map((destination, j) => ({ family, source, destination, i, j })),
            ),
          );
          pairs.forEach(({ family, source, destination, i, j }) => {
            if (i === j) return;
            const analysis = familyView(compiled, family);
            const subject = direction === 'ingress' ? destination : source;
            const selecting = new Set(referenceIsolating(cluster, subject, direction));
            const actual = allowedConnections(
              analysis,
              podEndpoint(analysis, i),
              podEndpoint(analysis, j),
            );
            const parts = alone
              .filter((entry) => selecting.has(entry.policy))
              .map((entry) => familyView(entry.analysis, family))
              .map((view) => allowedConnections(view, podEndpoint(view, i), podEndpoint(view, j)));
            const expected = parts.length === 0 ? null : unionPortSets(parts);
            if (
              expected === null
                ? !isFullPortSet(actual)
                : portSetKey(expected) !== portSetKey(actual)
            ) {
              problems.push(
                `${source.id} -> ${destination.id} over IPv${family}: all ${describeSet(actual)}, union ${expected ? describeSet(expected) : 'full'}`,
              );
            }
          });
          expect(problems).toEqual([]);
        }),
        params,
      );
    },
  );
});
