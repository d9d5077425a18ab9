/**
 * A pod whose IP is unknown against cluster-policy Deny rules and NetworkPolicy ipBlocks: the
 * side is decided only when every region of the pod range the CIDRs cut out answers the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileCluster,
  computeMatrix,
  explainPod,
  portSetAllows,
  withPodCidrs,
} from '../../src/engine/index.js';
import { type IpRange, parseCidr, regionAddresses } from '../../src/engine/primitives/ip-block.js';
import { analyseYaml } from '../helpers/load.js';
import { dedent, flow, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** A ClusterNetworkPolicy named `deny` with the given spec. */
function cnpYaml(spec: string): string {
  const body = dedent(spec)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: deny\nspec:\n${body}\n`;
}

/** a/client (no IP yet) egress: an Admin Deny to `denied`, a NetworkPolicy allow to `allowed`. */
function clusterWith(denied: string, allowed: string) {
  const cnp = cnpYaml(`
    tier: Admin
    priority: 10
    subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}
    egress:
    - action: Deny
      to: [{networks: [${denied}]}]
    `);
  const analysis = analyseYaml(
    stream(
      podYaml('a/client', { labels: { app: 'client' } }),
      podYaml('a/server', { labels: { app: 'server' } }),
      policyYaml(
        'a/client-out',
        `
        podSelector: {matchLabels: {app: client}}
        egress:
        - to: [{ipBlock: {cidr: ${allowed}}}]
        `,
      ),
      cnp,
    ),
  );
  return compileCluster(withPodCidrs(analysis.cluster, ['10.0.0.0/8']));
}

/** The matrix cell from a/client to a/server: whether it is sure, possible, undecided. */
function matrixCell(analysis: ReturnType<typeof clusterWith>) {
  const matrix = computeMatrix(analysis);
  const [client, server] = ['a/client', 'a/server'].map((id) =>
    matrix.podIdxs.indexOf(analysis.podIndex.get(id) ?? -1),
  ) as [number, number];
  return { undecided: matrix.undecided(client, server) };
}

describe('an unknown pod IP under cluster-policy Deny rules', () => {
  it('is UNKNOWN when a Deny takes one part of the range and an allow another', () => {
    const analysis = clusterWith('10.1.0.0/16', '10.2.0.0/16');
    const egress = flow(analysis, 'a/client', 'a/server', 'TCP', 80);
    expect(egress.verdict).toBe('UNKNOWN');
    expect(egress.egress.undecided?.[0]).toMatchObject({
      kind: 'pod-ip',
      pod: 'a/server',
      ipBlocks: expect.arrayContaining([{ cidr: '10.2.0.0/16', except: [] }]),
    });
    expect(matrixCell(analysis).undecided).toBe(true);
  });

  it('is DENIED when every part of the range is denied', () => {
    const analysis = clusterWith('10.1.0.0/16', '10.1.0.0/16');
    const verdict = flow(analysis, 'a/client', 'a/server', 'TCP', 80);
    expect(verdict.verdict).toBe('DENIED');
    expect(verdict.egress.undecided).toBeUndefined();
  });
});

describe('regionAddresses', () => {
  const ranges = (...cidrs: string[]) => cidrs.map((cidr) => parseCidr(cidr) as IpRange);
  it('gives one address per region the CIDRs cut the ranges into', () => {
    const addresses = regionAddresses(
      ranges('10.0.0.0/8'),
      ranges('10.1.0.0/16', '10.2.0.0/16'),
      64,
    );
    expect(addresses?.map((a) => a.value)).toEqual([
      0x0a000000n,
      0x0a010000n,
      0x0a020000n,
      0x0a030000n,
    ]);
  });
  it('ignores CIDRs of the other family or outside the ranges, and gives up beyond the limit', () => {
    expect(
      regionAddresses(ranges('10.0.0.0/8'), ranges('fd00::/8', '192.168.0.0/16'), 64),
    ).toHaveLength(1);
    expect(
      regionAddresses(ranges('10.0.0.0/8'), ranges('10.1.0.0/16', '10.2.0.0/16'), 3),
    ).toBeUndefined();
  });
});

/** Cluster-policy rules of a/client's egress, and the ipBlocks (with an except) its NetworkPolicy allows. */
interface Layout {
  readonly cluster: readonly [string, string][];
  readonly allowed: readonly [string, string | undefined][];
}

/** A /13 to /16 inside 10.0.0.0/12, so that the sixteen /16s are the finest regions. */
const cidrArb = fc
  .tuple(fc.integer({ min: 13, max: 16 }), fc.integer({ min: 0, max: 15 }))
  .map(([length, second]) => {
    const step = 2 ** (16 - length);
    return `10.${second - (second % step)}.0.0/${length}`;
  });
const actionArb = fc.constantFrom('Accept', 'Deny', 'Pass');
const layoutArb = fc.record({
  cluster: fc.array(fc.tuple(actionArb, cidrArb), { minLength: 1, maxLength: 3 }),
  allowed: fc.array(fc.tuple(cidrArb, fc.option(cidrArb, { nil: undefined })), {
    minLength: 1,
    maxLength: 2,
  }),
});

/** Whether a CIDR lies in another and is smaller, as an except must. */
function isStrictSubset(inner: string, outer: string): boolean {
  const [a, b] = [parseCidr(inner), parseCidr(outer)] as [IpRange, IpRange];
  return a.prefixLength > b.prefixLength && a.first >= b.first && a.last <= b.last;
}

/** a/client's egress under the layout; a/server at `serverIp`, or with its IP unknown. */
function layoutCluster(layout: Layout, serverIp?: string) {
  const rules = layout.cluster
    .map(([action, cidr]) => `- {action: ${action}, to: [{networks: [${cidr}]}]}`)
    .join('\n');
  const blocks = layout.allowed
    .map(([cidr, except]) => {
      const strictlyInside = except !== undefined && isStrictSubset(except, cidr);
      return `{ipBlock: {cidr: ${cidr}${strictlyInside ? `, except: [${except}]` : ''}}}`;
    })
    .join(', ');
  const analysis = analyseYaml(
    stream(
      podYaml('a/client', { labels: { app: 'client' }, ips: ['10.0.0.1'] }),
      podYaml('a/server', { labels: { app: 'server' }, ...(serverIp ? { ips: [serverIp] } : {}) }),
      policyYaml(
        'a/client-out',
        `
        podSelector: {matchLabels: {app: client}}
        egress:
        - to: [${blocks}]
        `,
      ),
      cnpYaml(
        `tier: Admin\npriority: 10\nsubject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}\negress:\n${rules}`,
      ),
    ),
  );
  return compileCluster(withPodCidrs(analysis.cluster, ['10.0.0.0/12']));
}

describe('an unknown pod IP over random CIDR layouts', () => {
  it('is decided exactly when every possible address answers the same, in check and the matrix', () => {
    fc.assert(
      fc.property(layoutArb, (layout) => {
        const known = Array.from(
          { length: 16 },
          (_, second) =>
            flow(layoutCluster(layout, `10.${second}.0.9`), 'a/client', 'a/server', 'TCP', 80)
              .verdict,
        );
        const expected = known.every((v) => v === 'ALLOWED')
          ? 'ALLOWED'
          : known.every((v) => v === 'DENIED')
            ? 'DENIED'
            : 'UNKNOWN';
        const analysis = layoutCluster(layout);
        expect(flow(analysis, 'a/client', 'a/server', 'TCP', 80).verdict).toBe(expected);
        const matrix = computeMatrix(analysis);
        const [client, server] = ['a/client', 'a/server'].map((id) =>
          matrix.podIdxs.indexOf(analysis.podIndex.get(id) ?? -1),
        ) as [number, number];
        expect(matrix.undecided(client, server)).toBe(expected === 'UNKNOWN');
        expect(portSetAllows(matrix.connections(client, server), 'TCP', 80)).toBe(
          expected !== 'DENIED',
        );
        // explain's reachable lists, computed directly and read from the matrix, agree.
        const clientIdx = analysis.podIndex.get('a/client') ?? -1;
        for (const context of [{}, { matrix }]) {
          const reached = explainPod(analysis, clientIdx, context).egress.pods.find(
            (pod) => pod.pod === 'a/server',
          );
          expect(reached !== undefined && portSetAllows(reached.connections, 'TCP', 80)).toBe(
            expected !== 'DENIED',
          );
          expect(reached?.undecided === true).toBe(expected === 'UNKNOWN');
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
