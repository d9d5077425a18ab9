import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledPeer } from '../../src/engine/compile/compile.js';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { ChainAnswers } from '../../src/engine/evaluate/chain-answers.js';
import { endpointPeerTest } from '../../src/engine/evaluate/connections.js';
import {
  ClassRepresentatives,
  type ConnectivityMatrix,
  compileCluster,
  computeMatrix,
  NO_PAIR,
} from '../../src/engine/index.js';
import { portSetAllows } from '../../src/engine/primitives/port-set.js';
import { clusterArb } from '../helpers/cluster-arbitrary.js';
import { params } from '../helpers/engine-probes.js';
import { analyseYaml } from '../helpers/load.js';
import { cnpYaml, flow, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/**
 * Node-local traffic. kubernetes.io/docs/concepts/services-networking/network-policies/, on
 * ipBlock peers: "traffic to and from the node where a Pod is running is always allowed,
 * regardless of the IP address of the Pod or the node". The node's host shows as its
 * hostNetwork pods; which node a pod runs on is its spec.nodeName.
 */
const API = podYaml('shop/api', {
  labels: { app: 'api' },
  ips: ['10.244.1.5'],
  nodeName: 'node-a',
  ports: [{ port: 8080 }],
});

const PODS = stream(
  namespaceYaml('shop'),
  API,
  podYaml('shop/web', { labels: { app: 'web' }, ips: ['10.244.1.6'], nodeName: 'node-a' }),
  podYaml('shop/unscheduled', { labels: { app: 'api' }, ports: [{ port: 8080 }] }),
  podYaml('shop/agent-a', { hostNetwork: true, ips: ['192.168.0.10'], nodeName: 'node-a' }),
  podYaml('shop/agent-b', { hostNetwork: true, ips: ['192.168.0.11'], nodeName: 'node-b' }),
  podYaml('shop/exporter', { hostNetwork: true, ips: ['192.168.0.12'] }),
);

// Every pod of shop's pod network: the hostNetwork agents have no app label. Whether a plugin
// isolates such pods is not what this is about (test/engine/host-network-subject.test.ts).
const DENY_ALL = policyYaml(
  'shop/deny-all',
  'podSelector: {matchExpressions: [{key: app, operator: Exists}]}\npolicyTypes: [Ingress, Egress]',
);

const analysed = analyseYaml(PODS, DENY_ALL);

const verdict = (from: string, to: string, analysis = analysed) =>
  flow(analysis, from, to, 'TCP', 8080);

/**
 * A loop over pairs of classes skips the exceptions' check where the classes' bits do not
 * meet, and reads a class pair's answer from its first pods: each pair that is an exception
 * has classes whose bits meet, and every other pair of two pods answers as the classes read.
 * Listing the pairs of classes row by row finds those that asking each pair of classes does.
 */
function expectClassReadsExact(matrix: ConnectivityMatrix) {
  const representatives = new ClassRepresentatives(matrix);
  const { classOf, exceptions } = matrix;
  const n = matrix.podIdxs.length;
  const rows = representatives.destinations.map((_, dc) => {
    const row = new Int32Array(representatives.sources.length);
    representatives.connectionIdsTo(dc, row);
    return row;
  });
  // Each cell is the answer of the pair standing for its classes, where there is one.
  rows.forEach((row, dc) => {
    row.forEach((id, sc) => {
      const pair = representatives.of(sc, dc);
      expect(id).toBe(pair ? matrix.connectionId(...pair) : NO_PAIR);
    });
  });
  // The pairs of classes listed from the rows are those a question per pair of classes finds,
  // in the order of the grouped matrix (a listing that keeps the connections allowing TCP 80).
  const allowsWeb = (id: number) => portSetAllows(matrix.portSet(id), 'TCP', 80);
  const asked: string[] = [];
  representatives.sources.forEach((_, sc) => {
    representatives.destinations.forEach((_, dc) => {
      const pair = representatives.of(sc, dc);
      const id = pair && matrix.connectionId(...pair);
      if (id !== undefined && allowsWeb(id)) asked.push(`${sc} ${dc} ${id}`);
    });
  });
  const { starts, destinations, connectionIds } = representatives.pairsBySource(allowsWeb);
  const listed = representatives.sources.flatMap((_, sc) =>
    [...destinations.subarray(starts[sc], starts[sc + 1])].map(
      (dc, i) => `${sc} ${dc} ${connectionIds[(starts[sc] as number) + i]}`,
    ),
  );
  expect(listed).toEqual(asked);
  for (let from = 0; from < n; from++) {
    for (let to = 0; to < n; to++) {
      if (from === to) continue;
      const sc = classOf.sources[from] as number;
      const dc = classOf.destinations[to] as number;
      if (exceptions?.has(from, to)) {
        const { sources, destinations } = exceptions.classBits;
        expect((sources[sc] as number) & (destinations[dc] as number)).not.toBe(0);
      } else {
        expect(rows[dc]?.[sc]).toBe(matrix.connectionId(from, to));
      }
    }
  }
}

describe('traffic between a pod and the host of its node', () => {
  it('keeps the node-local pairs of a class whose one hostNetwork pod comes after many others', () => {
    // The agent shares its source class with the unselected tools (no policy selects any of
    // them, no peer tells them apart) and is not that class's first pod.
    const tools = [1, 2, 3, 4].map((i) =>
      podYaml(`shop/tool-${i}`, { ips: [`10.244.1.${20 + i}`], nodeName: 'node-a' }),
    );
    const analysis = analyseYaml(
      stream(
        namespaceYaml('shop'),
        API,
        ...tools,
        podYaml('shop/agent', { hostNetwork: true, ips: ['192.168.0.10'], nodeName: 'node-a' }),
      ),
      DENY_ALL,
    );
    const matrix = computeMatrix(analysis);
    const position = (id: string) =>
      matrix.podIdxs.findIndex((podIdx) => analysis.pods[podIdx]?.id === id);
    const [agent, tool, api] = ['shop/agent', 'shop/tool-1', 'shop/api'].map(position);
    const sc = matrix.classOf.sources[agent as number] as number;
    expect(matrix.classOf.sources[tool as number]).toBe(sc);
    expect(new ClassRepresentatives(matrix).sources[sc]?.[0]).not.toBe(agent);
    // The class reads as its tools do; the agent, the host of api's node, is let in.
    const allows = (id: number | undefined) =>
      id !== undefined && id !== NO_PAIR && portSetAllows(matrix.portSet(id), 'TCP', 8080);
    const dc = matrix.classOf.destinations[api as number] as number;
    const row = new Int32Array(matrix.classCounts.sources);
    new ClassRepresentatives(matrix).connectionIdsTo(dc, row);
    expect(allows(row[sc])).toBe(false);
    expect(allows(matrix.connectionId(agent as number, api as number))).toBe(true);
    expect(verdict('shop/agent', 'shop/api', analysis).verdict).toBe('ALLOWED');
    expectClassReadsExact(matrix);
  });

  it('is allowed into an isolated pod from a hostNetwork pod on its node, with the reason', () => {
    const answer = verdict('shop/agent-a', 'shop/api');
    expect(answer.verdict).toBe('ALLOWED');
    expect(answer.ingress).toMatchObject({ kind: 'node-local', node: 'node-a' });
  });

  it('is allowed out of an isolated pod to a hostNetwork pod on its node', () => {
    const answer = verdict('shop/api', 'shop/agent-a');
    expect(answer.verdict).toBe('ALLOWED');
    expect(answer.egress).toMatchObject({ kind: 'node-local', node: 'node-a' });
  });

  it('stays denied from and to a hostNetwork pod on another node', () => {
    expect(verdict('shop/agent-b', 'shop/api').verdict).toBe('DENIED');
    expect(verdict('shop/api', 'shop/agent-b').verdict).toBe('DENIED');
  });

  it("admits the node's address as an outside endpoint, known from a hostNetwork pod there", () => {
    const fromNode = verdict('192.168.0.10', 'shop/api');
    expect(fromNode.verdict).toBe('ALLOWED');
    expect(fromNode.ingress).toMatchObject({ kind: 'node-local', node: 'node-a' });
    expect(verdict('shop/api', '192.168.0.10').verdict).toBe('ALLOWED');
    expect(verdict('192.168.0.11', 'shop/api').verdict).toBe('DENIED');
  });

  it('does not admit a pod of the pod network on the same node', () => {
    expect(verdict('shop/web', 'shop/api').verdict).toBe('DENIED');
  });

  it('is UNKNOWN, naming the pod, where the hostNetwork pod has no nodeName', () => {
    for (const [from, to, side] of [
      ['shop/exporter', 'shop/api', 'ingress'],
      ['shop/api', 'shop/exporter', 'egress'],
    ] as const) {
      const answer = verdict(from, to);
      expect(answer.verdict).toBe('UNKNOWN');
      expect(answer[side].undecided).toEqual([
        { kind: 'node-unknown', hostPod: 'shop/exporter', node: 'node-a' },
      ]);
    }
  });

  it("is UNKNOWN where the isolated pod's own node is not known", () => {
    const answer = verdict('shop/agent-a', 'shop/unscheduled');
    expect(answer.verdict).toBe('UNKNOWN');
    expect(answer.ingress.undecided).toEqual([
      { kind: 'node-unknown', hostPod: 'shop/agent-a', hostNode: 'node-a' },
    ]);
  });

  it('changes nothing for a pod no NetworkPolicy isolates', () => {
    const open = analyseYaml(PODS);
    expect(verdict('shop/agent-b', 'shop/api', open).ingress).toEqual({
      kind: 'unrestricted',
      reason: 'no-policy',
    });
  });

  it('leaves an Admin cluster policy that denies it in force, as the API defines no exemption', () => {
    const adminDeny = cnpYaml(
      'no-host-egress',
      `
      tier: Admin
      priority: 10
      subject: {namespaces: {}}
      egress:
      - {name: hosts, action: Deny, to: [{networks: [192.168.0.0/16]}]}
      `,
    );
    const answer = verdict('shop/api', 'shop/agent-a', analyseYaml(PODS, DENY_ALL, adminDeny));
    expect(answer.verdict).toBe('DENIED');
    expect(answer.egress.kind).toBe('cluster-policy');
  });

  it('the matrix answers every pair as the flow does', () => {
    const matrix = computeMatrix(analysed);
    const ids = matrix.podIdxs.map((idx) => analysed.pods[idx]?.id as string);
    const seen: Record<string, number> = {};
    ids.forEach((from, i) => {
      ids.forEach((to, j) => {
        if (i === j) return;
        const expected = verdict(from, to).verdict;
        const undecided = portSetAllows(matrix.undecidedConnections(i, j), 'TCP', 8080);
        const open = portSetAllows(matrix.connections(i, j), 'TCP', 8080);
        const answered = undecided ? 'UNKNOWN' : open ? 'ALLOWED' : 'DENIED';
        expect(`${from} -> ${to}: ${answered}`).toBe(`${from} -> ${to}: ${expected}`);
        seen[expected] = (seen[expected] ?? 0) + 1;
      });
    });
    // Each answer occurs, so the comparison covers all three.
    expect(Object.keys(seen).sort()).toEqual(['ALLOWED', 'DENIED', 'UNKNOWN']);
  });

  it('keeps one chain for isolated pods on different nodes (the rule is relative to the pod)', () => {
    const api = analysed.pods.findIndex((pod) => pod.id === 'shop/api');
    const elsewhere = analyseYaml(
      PODS,
      DENY_ALL,
      podYaml('shop/api-b', { labels: { app: 'api' }, ips: ['10.244.2.5'], nodeName: 'node-b' }),
    );
    const apiB = elsewhere.pods.findIndex((pod) => pod.id === 'shop/api-b');
    const apiA = elsewhere.pods.findIndex((pod) => pod.id === 'shop/api');
    expect(elsewhere.chains.of('ingress', apiB)).toBe(elsewhere.chains.of('ingress', apiA));
    expect(elsewhere.chains.of('egress', apiB)).toBe(elsewhere.chains.of('egress', apiA));
    // Yet each answers by its own node, and the matrix keeps them in one class.
    const matrix = computeMatrix(elsewhere);
    for (const side of ['sources', 'destinations'] as const)
      expect(matrix.classOf[side][apiB]).toBe(matrix.classOf[side][apiA]);
    expect(verdict('shop/agent-b', 'shop/api-b', elsewhere).verdict).toBe('ALLOWED');
    expect(verdict('shop/agent-b', 'shop/api', elsewhere).verdict).toBe('DENIED');
    expect(
      analysed.chains.of('ingress', api).rules.some((r) => r.origin.kind === 'node-local'),
    ).toBe(true);
  });

  it("the matrix's classes stay honest: pods of one class share answers but for its exceptions", () => {
    fc.assert(
      fc.property(clusterArb({ minPolicies: 1 }), (cluster) => {
        const matrix = computeMatrix(compileCluster(cluster));
        const n = matrix.podIdxs.length;
        const { classOf, exceptions } = matrix;
        const listed = new Set(
          [...(exceptions?.pairs() ?? [])].map(([from, to]) => `${from} ${to}`),
        );
        const byClasses = new Map<string, string>();
        expectClassReadsExact(matrix);
        for (let from = 0; from < n; from++) {
          for (let to = 0; to < n; to++) {
            // The exceptions listed are those `has` names.
            expect(listed.has(`${from} ${to}`)).toBe(exceptions?.has(from, to) ?? false);
            if (from === to || exceptions?.has(from, to)) continue;
            const answer = `${matrix.connectionId(from, to)}/${matrix.undecidedId(from, to)}`;
            const classes = `${classOf.sources[from]} ${classOf.destinations[to]}`;
            if (!byClasses.has(classes)) byClasses.set(classes, answer);
            expect(answer).toBe(byClasses.get(classes));
          }
        }
      }),
      params,
    );
  });
});

describe('the node-local rule in the per-pair kernel (check, effect preview, audit)', () => {
  const ALLOW_WEB = policyYaml(
    'shop/allow-web',
    'podSelector: {matchLabels: {app: api}}\npolicyTypes: [Ingress]\ningress:\n- from: [{podSelector: {matchLabels: {app: web}}}]',
  );
  const analysis = analyseYaml(PODS, ALLOW_WEB);
  const indexOf = (id: string) => analysis.pods.findIndex((pod) => pod.id === id);
  const api = podEndpoint(analysis, indexOf('shop/api'));
  const chain = analysis.chains.of('ingress', api.podIdx);

  /** The hit set of api's ingress chain for `other`, and the kinds of peers asked about it. */
  const hits = (otherId: string, told: boolean) => {
    const other = podEndpoint(analysis, indexOf(otherId));
    const test = endpointPeerTest(analysis, other, 'outside', api);
    const asked: CompiledPeer['kind'][] = [];
    const counting = (peer: CompiledPeer, namespace: string) => {
      asked.push(peer.kind);
      return test(peer, namespace);
    };
    const node = new ChainAnswers(analysis.namedPorts).hitsOf(
      chain,
      counting,
      told ? other : undefined,
    );
    return { node, asked };
  };

  it('asks no node-host peer about a pod outside the host network, and hits the same rules', () => {
    expect(chain.rules.some((rule) => rule.origin.kind === 'node-local')).toBe(true);
    const told = hits('shop/web', true);
    expect(told.asked).not.toContain('node-host');
    expect(told.asked).toContain('pods-in-policy-namespace');
    expect(told.node).toBe(hits('shop/web', false).node);
  });

  it('still asks it about a hostNetwork pod, which it admits on the same node', () => {
    const told = hits('shop/agent-a', true);
    expect(told.asked).toContain('node-host');
    expect(told.node).not.toBe(0);
    expect(told.node).toBe(hits('shop/agent-a', false).node);
  });
});
