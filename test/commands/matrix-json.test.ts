import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PairFilter,
  podJson,
  writeGroupedMatrixJson,
  writeMatrixJson,
} from '../../src/commands/matrix-json.js';
import { type InputOptions, openSession } from '../../src/commands/session.js';
import {
  ClassRepresentatives,
  type ConnectivityMatrix,
  computeMatrix,
  DECIDED_PAIR,
  isEmptyPortSet,
  type PairIds,
  type Pod,
  type PortSet,
  portSetAllows,
  subtractPortSets,
} from '../../src/engine/index.js';
import type { Terminal } from '../../src/io/terminal.js';
import { answerScope } from '../../src/render/answer-scope.js';
import { jsonText } from '../../src/render/json-text.js';
import { portSetJson } from '../../src/render/ports.js';
import { namedPods } from '../helpers/named-pods.js';

/** The positions of the pods of two ids. */
function positions(pods: readonly Pod[], from: string, to: string): [number, number] {
  return [pods.findIndex((pod) => pod.id === from), pods.findIndex((pod) => pod.id === to)];
}

/** Names the JSON writer must escape (controls, C1, bidi, quotes, backslashes) or leave be. */
const HOSTILE_NAMES = [
  'plain',
  'next\u0085line',
  'rtl\u202eevil',
  'mark\u200fhere',
  'sep\u2028line',
  'esc\u001b[2J',
  'new\nline',
  'say "hi"',
  'back\\slash',
  'café',
  'emoji 🙂',
];

/**
 * Pods named HOSTILE_NAMES in two namespaces, some without an IP, a policy letting the web pods
 * reach db on 5432, and an ipBlock rule that leaves the pods without an IP undecided.
 */
function hostileManifests(): string {
  const pods = namedPods(HOSTILE_NAMES, ['even', 'ns\u202eodd'], (i) => i % 4 !== 3);
  const policies = [
    {
      metadata: { name: 'db', namespace: 'even' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] },
        ],
      },
    },
    {
      metadata: { name: 'db-from-range', namespace: 'even' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/29' } }], ports: [{ port: 80 }] }],
      },
    },
  ].map((policy) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...policy }));
  return [...pods, ...policies].map((doc) => JSON.stringify(doc)).join('\n---\n');
}

/** A terminal that keeps what is written to standard output. */
function capturingTerminal(): Terminal & { readonly written: () => string } {
  let out = '';
  return {
    out: (text) => {
      out += text;
    },
    err: () => {},
    readStdin: async () => '',
    env: {},
    interactive: false,
    written: () => out,
  };
}

/** A pair's answer in the contract: the ports surely allowed, and those UNKNOWN if any. */
function plainAnswer(connections: PortSet, unknown: PortSet | undefined) {
  if (!unknown) return { allowed: portSetJson(connections) };
  const allowed = portSetJson(subtractPortSets(connections, unknown));
  return { allowed, unknown: portSetJson(unknown) };
}

/**
 * The matrix contract as one value made the plain way, pair by pair from the matrix's port sets:
 * what -o json has always meant. A pair whose answer differs by address family also gives each
 * family's, and is kept when some family's connections pass.
 */
function plainPairs(pods: readonly Pod[], matrix: ConnectivityMatrix, keep: PairFilter) {
  const idsAnswer = ({ connectionId, undecidedId }: PairIds) =>
    plainAnswer(
      matrix.portSet(connectionId),
      undecidedId === DECIDED_PAIR ? undefined : matrix.portSet(undecidedId),
    );
  return pods.flatMap((from, i) =>
    pods.flatMap((to, j) => {
      const connections = matrix.connections(i, j);
      const families = matrix.familyIds?.(i, j);
      const each = families ? [families.IPv4, families.IPv6] : [];
      if (![connections, ...each.map((ids) => matrix.portSet(ids.connectionId))].some(keep))
        return [];
      const unknown = matrix.undecided(i, j) ? matrix.undecidedConnections(i, j) : undefined;
      const answer = { from: from.id, to: to.id, ...plainAnswer(connections, unknown) };
      if (!families) return [answer];
      const { IPv4, IPv6 } = families;
      return [{ ...answer, families: { IPv4: idsAnswer(IPv4), IPv6: idsAnswer(IPv6) } }];
    }),
  );
}

const FILTERS: Record<string, PairFilter> = {
  'every connected pair': (set) => !isEmptyPortSet(set),
  'UDP only (--protocol UDP)': (set) => set.UDP.length > 0,
  'TCP 5432 (--port 5432)': (set) => portSetAllows(set, 'TCP', 5432),
  'TCP 80 (--port 80)': (set) => portSetAllows(set, 'TCP', 80),
};

describe('matrix -o json, written pair by pair from shared answers', () => {
  const inputs: Record<string, InputOptions> = {
    'Calico demo': { demo: 'calico' },
    'Cilium demo': { demo: 'cilium' },
    'unknown IPs': { filename: ['test/fixtures/manifests/workload-ips'] },
    'unknown IP and deny': { filename: ['test/fixtures/manifests/unknown-ip-deny'] },
    'layers not evaluated': { filename: ['test/fixtures/manifests/layers'] },
    'cluster network policies': { filename: ['test/fixtures/manifests/cluster-network-policy'] },
    tutorials: { filename: ['test/fixtures/manifests/tutorials'] },
    'hosts on one, other and unknown nodes': {
      filename: ['test/fixtures/manifests/node-local-nodes'],
    },
    'dual-stack pods': { filename: ['test/fixtures/manifests/dual-stack'] },
    'dual-stack replicas': { filename: ['test/fixtures/manifests/dual-stack-replicas'] },
  };
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-matrix-json-'));
    writeFileSync(join(dir, 'cluster.yaml'), hostileManifests());
    inputs['hostile names, unknown IPs'] = { filename: [dir] };
  });

  /** The input's session, matrix and scope, as `matrix` opens them. */
  async function opened(name: string) {
    const terminal = capturingTerminal();
    const { input, analysis } = await openSession(inputs[name] ?? {}, terminal);
    const matrix = computeMatrix(analysis);
    const pods = matrix.podIdxs.map((idx) => analysis.pods[idx] as Pod);
    return { analysis, pods, matrix, scope: answerScope(input.cluster, analysis.cni, false).data };
  }

  const cases = [
    'Calico demo',
    'Cilium demo',
    'unknown IPs',
    'unknown IP and deny',
    'layers not evaluated',
    'cluster network policies',
    'tutorials',
    'hostile names, unknown IPs',
    'hosts on one, other and unknown nodes',
    'dual-stack pods',
    'dual-stack replicas',
  ].flatMap((input) => Object.keys(FILTERS).map((filter) => [input, filter] as const));

  /** What `writer` writes for the input and filter, and the matrix it writes. */
  async function writtenBy(writer: typeof writeMatrixJson, input: string, filter: string) {
    const keep = FILTERS[filter] as PairFilter;
    const { analysis, pods, matrix, scope } = await opened(input);
    const terminal = capturingTerminal();
    await writer(terminal, analysis, matrix, keep, scope);
    return { written: terminal.written(), keep, analysis, pods, matrix, scope };
  }

  it.each(cases)(
    'on %s, %s: is byte for byte the JSON text of the plain form, a pair a line',
    async (input, filter) => {
      const { written, keep, pods, matrix, scope } = await writtenBy(
        writeMatrixJson,
        input,
        filter,
      );
      const pairs = plainPairs(pods, matrix, keep);
      // Raw newlines are layout only: inside strings JSON escapes them.
      expect(written.replaceAll('\n', '')).toBe(
        jsonText({ pods: pods.map(podJson), pairs, ...scope }),
      );
      const lines = written.split('\n');
      expect(lines).toHaveLength(pairs.length + 3);
      for (const line of lines.slice(1, -2)) expect(line).toMatch(/^\{"from":.*\},?$/);
    },
  );

  it.each(cases)(
    'on %s, %s: --group is the JSON text of its own value, and expands to the plain form',
    async (input, filter) => {
      const grouped = await writtenBy(writeGroupedMatrixJson, input, filter);
      const { written, keep, analysis, pods, matrix } = grouped;
      expect(written.replaceAll('\n', '')).toBe(jsonText(JSON.parse(written)));
      const { sourceGroups, destinationGroups, pairs, exceptions } = JSON.parse(written) as {
        sourceGroups: string[][];
        destinationGroups: string[][];
        pairs: { from: number; to: number }[];
        exceptions: { from: string; to: string; absent?: true }[];
      };
      // A consumer's expansion: each group pair to its pods' pairs, then the exceptions.
      const expanded = new Map<string, object>();
      for (const { from, to, ...answer } of pairs) {
        for (const i of sourceGroups[from] ?? []) {
          for (const j of destinationGroups[to] ?? [])
            if (i !== j) expanded.set(`${i} ${j}`, answer);
        }
      }
      for (const { from, to, absent, ...answer } of exceptions) {
        if (absent) expanded.delete(`${from} ${to}`);
        else expanded.set(`${from} ${to}`, answer);
      }
      const plain = new Map(
        // From a matrix of its own: what the writer asked of its matrix cannot sway it.
        plainPairs(pods, computeMatrix(analysis), keep)
          .filter(({ from, to }) => from !== to)
          .map(({ from, to, ...answer }) => [`${from} ${to}`, answer]),
      );
      expect(new Map([...expanded].sort())).toEqual(new Map([...plain].sort()));
      // Groups are as the matrix's classes, whatever the nodes; only node-local pairs are apart.
      expect(sourceGroups).toHaveLength(matrix.classCounts.sources);
      if (!matrix.exceptions) expect(exceptions).toEqual([]);
      for (const { from, to } of exceptions)
        expect(matrix.exceptions?.has(...positions(pods, from, to))).toBe(true);
    },
  );

  it('on hosts on nodes, --group keeps pods of one node-agnostic group and lists node-local pairs apart', async () => {
    const { written } = await writtenBy(
      writeGroupedMatrixJson,
      'hosts on one, other and unknown nodes',
      'every connected pair',
    );
    const { destinationGroups, exceptions } = JSON.parse(written) as {
      destinationGroups: string[][];
      exceptions: { from: string; to: string; allowed: unknown[]; unknown?: unknown[] }[];
    };
    // The web pods, on node-a, node-b and none, are one group.
    expect(destinationGroups).toContainEqual(['shop/web-a', 'shop/web-u', 'shop/web-z']);
    const of = (from: string, to: string) =>
      exceptions.find((pair) => pair.from === from && pair.to === to);
    // The host of web-a's node reaches it on every port; the host of another node does not
    // (its group's answer); one with no node is UNKNOWN.
    expect(of('shop/agent-a', 'shop/web-a')?.allowed).toHaveLength(3);
    expect(of('shop/agent-b', 'shop/web-a')).toBeUndefined();
    expect(of('shop/agent-b', 'shop/web-u')).toMatchObject({ allowed: [] });
    expect(of('shop/agent-b', 'shop/web-u')?.unknown).toHaveLength(3);
  });

  it('on dual-stack pods, --group asks each pair of groups once', async () => {
    const keep = FILTERS['every connected pair'] as PairFilter;
    const { analysis, matrix, scope } = await opened('dual-stack pods');
    const familyIds = matrix.familyIds?.bind(matrix);
    expect(familyIds).toBeDefined();
    const asked: string[] = [];
    const counting: ConnectivityMatrix = {
      ...matrix,
      familyIds: (from, to) => {
        asked.push(`${from} ${to}`);
        return familyIds?.(from, to);
      },
    };
    await writeGroupedMatrixJson(capturingTerminal(), analysis, counting, keep, scope);
    // No exceptions here: every question is for the pair standing for a pair of groups.
    expect(matrix.exceptions).toBeUndefined();
    const representatives = new ClassRepresentatives(matrix);
    const standing = representatives.sources.flatMap((_, sc) =>
      representatives.destinations.flatMap((_, dc) => {
        const pair = representatives.of(sc, dc);
        return pair ? [pair.join(' ')] : [];
      }),
    );
    expect(asked).toEqual(standing);
  });
});
