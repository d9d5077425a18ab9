/**
 * A pod whose IP is unknown against cluster-policy Deny rules and NetworkPolicy ipBlocks: the
 * side is decided only when every region of the pod range the CIDRs cut out answers the same.
 */
import { describe, expect, it } from 'vitest';
import { compileCluster, computeMatrix, withPodCidrs } from '../../src/engine/index.js';
import { type IpRange, parseCidr, regionAddresses } from '../../src/engine/primitives/ip-block.js';
import { analyseYaml } from '../helpers/load.js';
import { dedent, flow, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** a/client (no IP yet) egress: an Admin Deny to `denied`, a NetworkPolicy allow to `allowed`. */
function clusterWith(denied: string, allowed: string) {
  const cnp = `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: deny\nspec:\n${dedent(
    `
    tier: Admin
    priority: 10
    subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}
    egress:
    - action: Deny
      to: [{networks: [${denied}]}]
    `,
  )
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')}\n`;
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
