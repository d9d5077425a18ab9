/**
 * The engine answers "what may flow between these two?" along several paths: the verdict of
 * one flow (evaluateFlow), the allowed port set of a pair (allowedConnections), the class-based
 * matrix (computeMatrix), a pod's reachable lists (explainPod) and the preview of adding a
 * policy (policyEffect). On random clusters they must give one answer for every pair and port,
 * and that answer must be the reference model's (test/helpers/reference-model.ts).
 *
 * Runs are deterministic; set NETPOL_FC_SEED (and NETPOL_FC_RUNS) to explore other clusters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/engine/compile/endpoint.js';
import { allowedConnections } from '../../src/engine/evaluate/connections.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Analysis,
  buildPeerIndex,
  type Cluster,
  type ConnectivityMatrix,
  compileCluster,
  computeMatrix,
  explainPod,
  type FamilyReach,
  isEmptyPortSet,
  type Protocol,
  pairReach,
  policyEffect,
  portSetAllows,
  type ReachablePod,
} from '../../src/engine/index.js';
import { EMPTY_PORT_SET, portSetKey } from '../../src/engine/primitives/port-set.js';
import type { FlowChange } from '../../src/engine/scaffold/effect.js';
import { clusterArb, namespaceNames, policyArb } from '../helpers/cluster-arbitrary.js';
import {
  describeSet,
  externalEndpoints,
  params,
  pods,
  probesOf,
  refName,
  refOf,
} from '../helpers/engine-probes.js';
import { dnsLosses, matrixEffect } from '../helpers/matrix-effect.js';
import { referenceAllows, referenceIsolating } from '../helpers/reference-model.js';
import { tieredClusterArb } from '../helpers/tier-arbitrary.js';

/** The matrix's answer for one port of a pair: DENIED, or UNKNOWN where the port is undecided. */
function matrixVerdict(
  matrix: ConnectivityMatrix,
  from: number,
  to: number,
  protocol: Protocol,
  port: number,
): string {
  if (!portSetAllows(matrix.connections(from, to), protocol, port)) return 'DENIED';
  return portSetAllows(matrix.undecidedConnections(from, to), protocol, port)
    ? 'UNKNOWN'
    : 'ALLOWED';
}

/** Disagreements of the verdict, the allowed connections, the matrix and the reference. */
function flowDisagreements(
  cluster: Cluster,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  extraPorts: readonly number[],
): string[] {
  const probes = probesOf(cluster, extraPorts);
  const disagreements: string[] = [];
  const check = (from: Endpoint, to: Endpoint, fromPosition?: number, toPosition?: number) => {
    const connections = allowedConnections(analysis, from, to);
    // What some IP of a pod whose IP is unknown gets; the matrix lists that for the pairs it
    // marks undecided.
    const possible = allowedConnections(analysis, from, to, 'inside');
    const name = `${fromPosition ?? refName(from)} -> ${toPosition ?? refName(to)}`;
    // No plugin in these clusters: the policies selecting a hostNetwork pod may isolate it or
    // not. ALLOWED where both readings allow; the connections are those either admits.
    const answers = probes.map(({ protocol, port }) => ({
      protocol,
      port,
      reference: referenceAllows(cluster, refOf(from), refOf(to), protocol, port),
      isolated: referenceAllows(cluster, refOf(from), refOf(to), protocol, port, 'isolated'),
    }));
    const readingsSplit = answers.some(({ reference, isolated }) => reference !== isolated);
    if (fromPosition !== undefined && toPosition !== undefined) {
      const inMatrix = matrix.connections(fromPosition, toPosition);
      const undecided = matrix.undecided(fromPosition, toPosition);
      const expected = undecided ? possible : connections;
      if (portSetKey(inMatrix) !== portSetKey(expected)) {
        disagreements.push(
          `${name}: matrix ${describeSet(inMatrix)}, allowedConnections ${describeSet(expected)}`,
        );
      }
      if (undecided !== (readingsSplit || portSetKey(possible) !== portSetKey(connections))) {
        disagreements.push(
          `${name}: matrix undecided ${undecided}, but neither the IP nor a reading decides anything`,
        );
      }
    }
    for (const { protocol, port, reference, isolated } of answers) {
      const { verdict, allowed } = evaluateFlow(analysis, from, to, protocol, port);
      const inSet = portSetAllows(connections, protocol, port);
      const sure = reference && isolated;
      if (allowed !== sure || inSet !== reference) {
        disagreements.push(
          `${name} ${protocol}/${port}: evaluateFlow ${allowed}, allowedConnections ${inSet}, reference ${reference} (hostNetwork pods isolated: ${isolated})`,
        );
      }
      // The reference takes a pod without IP as matching no ipBlock: the answer for every IP
      // when it allows; UNKNOWN where some IP or reading would be allowed and another not.
      const expectedVerdict = sure
        ? 'ALLOWED'
        : portSetAllows(possible, protocol, port)
          ? 'UNKNOWN'
          : 'DENIED';
      if (verdict !== expectedVerdict) {
        disagreements.push(
          `${name} ${protocol}/${port}: evaluateFlow ${verdict}, connections say ${expectedVerdict}`,
        );
      }
      // The matrix's own verdict for the port: what `matrix` prints for the pair and what check
      // answers must be one (host pods and pods without IP make it UNKNOWN for some pairs).
      if (fromPosition !== undefined && toPosition !== undefined) {
        const inMatrix = matrixVerdict(matrix, fromPosition, toPosition, protocol, port);
        if (inMatrix !== verdict) {
          disagreements.push(
            `${name} ${protocol}/${port}: matrix ${inMatrix}, evaluateFlow ${verdict}`,
          );
        }
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
  return disagreements;
}

/** What a pair admits as a comparable key: its connections, and those UNKNOWN. */
const reachKey = (reach: FamilyReach) =>
  `${portSetKey(reach.connections)} ? ${portSetKey(reach.unknown ?? EMPTY_PORT_SET)}`;

/**
 * Checks that explainPod lists, for every pod, exactly the pods the matrix connects it with
 * (over some address family), the same connections as UNKNOWN, and each family's where they
 * differ; and, where the reference models every policy of the cluster (`isolation`, its
 * NetworkPolicies alone), which policies isolate each side.
 */
function expectReachableListsMatch(
  cluster: Cluster,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  isolation: 'checked' | 'not-modelled' = 'checked',
): void {
  const ids = analysis.pods.map((pod) => pod.id);
  ids.forEach((id, i) => {
    const exposure = explainPod(analysis, i);
    const expected = (direction: 'ingress' | 'egress') =>
      ids.flatMap((other, j) => {
        if (j === i) return [];
        const [from, to] = direction === 'ingress' ? [j, i] : [i, j];
        const set = matrix.connections(from, to);
        const unknown = matrix.undecidedConnections(from, to);
        const families = matrix.familyIds?.(from, to);
        if (isEmptyPortSet(set) && !families) return [];
        const byFamily = families
          ? ` IPv4 ${reachKey(pairReach(matrix, families.IPv4))} IPv6 ${reachKey(pairReach(matrix, families.IPv6))}`
          : '';
        return [`${other} ${portSetKey(set)} ? ${portSetKey(unknown)}${byFamily}`];
      });
    const listed = (pods: readonly ReachablePod[]) =>
      pods.map((p) => {
        const byFamily = p.families
          ? ` IPv4 ${reachKey(p.families.IPv4)} IPv6 ${reachKey(p.families.IPv6)}`
          : '';
        return `${p.pod} ${reachKey(p)}${byFamily}`;
      });
    expect(listed(exposure.ingress.pods), `ingress of ${id}`).toEqual(expected('ingress'));
    expect(listed(exposure.egress.pods), `egress of ${id}`).toEqual(expected('egress'));
    const pod = cluster.pods[i];
    if (!pod) throw new Error('missing pod');
    if (isolation === 'not-modelled') return;
    for (const direction of ['ingress', 'egress'] as const) {
      const policyRef = (p: { namespace: string; name: string }) => ({
        namespace: p.namespace,
        name: p.name,
      });
      const isolating = referenceIsolating(cluster, pod, direction).map(policyRef);
      // A hostNetwork pod is isolated only in the reading that applies policies to it.
      const selectedBy = referenceIsolating(cluster, pod, direction, 'isolated').map(policyRef);
      expect(exposure[direction].restriction).toEqual(
        isolating.length > 0
          ? { kind: 'isolated', policies: isolating }
          : pod.hostNetwork
            ? {
                kind: 'unrestricted',
                reason: 'host-network',
                ...(selectedBy.length > 0 ? { selectedBy } : {}),
              }
            : { kind: 'unrestricted', reason: 'no-policy' },
      );
    }
  });
}

/** A flow change in failure messages: the pair and its port sets before and after. */
const changeText = (change: FlowChange) =>
  `${change.from}->${change.to} ${describeSet(change.before)} => ${describeSet(change.after)}`;

/** A cluster with some of its pod indexes (at least `minLength`), shuffled. */
const withPodIndexes = (minLength: (cluster: Cluster) => number) =>
  clusterArb().chain((cluster) =>
    fc.tuple(
      fc.constant(cluster),
      fc.shuffledSubarray(
        cluster.pods.map((_, idx) => idx),
        { minLength: minLength(cluster) },
      ),
    ),
  );

// Each property compiles and answers a hundred random clusters: 17-23 s on a loaded 2-core machine.
describe('the views of the engine agree', { timeout: 120_000 }, () => {
  it('verdicts, allowed connections, the matrix, reachable lists and the reference give one answer', () => {
    fc.assert(
      fc.property(
        clusterArb(),
        fc.array(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }),
        (cluster, extraPorts) => {
          const analysis = compileCluster(cluster);
          const matrix = computeMatrix(analysis);
          expect(flowDisagreements(cluster, analysis, matrix, extraPorts)).toEqual([]);
          expectReachableListsMatch(cluster, analysis, matrix);
        },
      ),
      params,
    );
  });

  it('reachable lists are the matrix where Calico, Cilium and cluster policies tell pods apart', () => {
    fc.assert(
      fc.property(tieredClusterArb(), (cluster) => {
        const analysis = compileCluster(cluster);
        // The reference models NetworkPolicies alone: the lists are checked, not the isolation.
        expectReachableListsMatch(cluster, analysis, computeMatrix(analysis), 'not-modelled');
      }),
      params,
    );
  });

  it('the effect of adding a policy is what the matrices before and after tell apart', () => {
    const withExtra = clusterArb().chain((cluster) =>
      fc.tuple(fc.constant(cluster), policyArb(namespaceNames(cluster), 'added')),
    );
    fc.assert(
      fc.property(withExtra, ([cluster, added]) => {
        const expected = matrixEffect(cluster, [added]);
        const effect = policyEffect(cluster, [added]);
        // The matrices hold pods only; the effect also lists flows to and from address blocks.
        const podIds = new Set(cluster.pods.map((pod) => pod.id));
        const betweenPods = (changes: readonly FlowChange[]) =>
          changes.filter(({ from, to }) => podIds.has(from) && podIds.has(to)).map(changeText);
        expect(betweenPods(effect.opened)).toEqual(expected.opened.map(changeText));
        expect(betweenPods(effect.closed)).toEqual(expected.closed.map(changeText));
        expect(dnsLosses(effect).sort()).toEqual([...expected.dnsBlocked].sort());
      }),
      params,
    );
  });

  it('a matrix over some of the pods, in any order, equals that part of the full matrix', () => {
    fc.assert(
      fc.property(
        withPodIndexes(() => 1),
        ([cluster, subset]) => {
          const analysis = compileCluster(cluster);
          const full = computeMatrix(analysis);
          const part = computeMatrix(analysis, subset);
          expect(part.podIdxs).toEqual(subset);
          subset.forEach((from, i) => {
            subset.forEach((to, j) => {
              expect(portSetKey(part.connections(i, j))).toBe(
                portSetKey(full.connections(from, to)),
              );
            });
          });
        },
      ),
      params,
    );
  });
});

describe('explainPod with a kept matrix and peer index', () => {
  it('answers as it does without them, whatever the pod order of the matrix', () => {
    fc.assert(
      fc.property(
        withPodIndexes((cluster) => cluster.pods.length),
        ([cluster, order]) => {
          const analysis = compileCluster(cluster);
          const context = {
            matrix: computeMatrix(analysis, order),
            peerIndex: buildPeerIndex(analysis),
          };
          analysis.pods.forEach((pod, i) => {
            expect(explainPod(analysis, i, context), pod.id).toEqual(explainPod(analysis, i));
          });
        },
      ),
      params,
    );
  });
});
