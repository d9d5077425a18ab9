/**
 * A pod whose IP is unknown (a workload standing for its pods, a pod not yet given an address)
 * against ipBlocks: a block covering all of the cluster's pod range matches it, one covering
 * none does not, and any other makes the answer depend on the IP: UNKNOWN, naming the range.
 */
import { describe, expect, it } from 'vitest';
import {
  type Analysis,
  compileCluster,
  computeMatrix,
  DECIDED_PAIR,
  type IpBlock,
  isEmptyPortSet,
  withPodCidrs,
} from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { flow, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** The server (10.244.9.9) admits TCP 80 from the block; the client has no IP yet. */
function clusterWith(block: IpBlock, podCidrs: string[] = [], client = podYaml('ns/client')) {
  const except = block.except.length > 0 ? `, except: [${block.except.join(', ')}]` : '';
  const analysis = analyseYaml(
    stream(
      client,
      podYaml('ns/server', { labels: { app: 'server' }, ips: ['10.244.9.9'] }),
      podYaml('ns/known', { ips: ['10.244.1.5'] }),
      policyYaml(
        'ns/from-block',
        `
        podSelector: {matchLabels: {app: server}}
        ingress:
          - from: [{ipBlock: {cidr: ${block.cidr}${except}}}]
            ports: [{port: 80}]`,
      ),
    ),
  );
  return compileCluster(withPodCidrs(analysis.cluster, podCidrs));
}

const ingressOf = (analysis: Analysis, from = 'ns/client', port = 80) =>
  flow(analysis, from, 'ns/server', 'TCP', port);

describe('an ipBlock against a pod whose IP is unknown', () => {
  it('matches when it covers all of the pod range', () => {
    const verdict = ingressOf(clusterWith({ cidr: '10.0.0.0/8', except: [] }, ['10.244.0.0/16']));
    expect(verdict.verdict).toBe('ALLOWED');
    expect(verdict.ingress.undecided).toBeUndefined();
  });

  it('does not match when it covers none of it, and says so', () => {
    const verdict = ingressOf(
      clusterWith({ cidr: '192.168.0.0/16', except: [] }, ['10.244.0.0/16']),
    );
    expect(verdict.verdict).toBe('DENIED');
    expect(verdict.ingress).toMatchObject({
      kind: 'denied',
      misses: [{ peerMisses: [{ kind: 'outside-pod-range', cidr: '192.168.0.0/16' }] }],
    });
  });

  it('is UNKNOWN when it covers part of it, naming the blocks and the range', () => {
    const verdict = ingressOf(
      clusterWith({ cidr: '10.244.1.0/24', except: [] }, ['10.244.0.0/16']),
    );
    expect(verdict.verdict).toBe('UNKNOWN');
    expect(verdict.ingress.kind).toBe('allowed');
    expect(verdict.ingress.undecided).toEqual([
      {
        kind: 'pod-ip',
        pod: 'ns/client',
        workload: false,
        hostNetwork: false,
        ipBlocks: [{ cidr: '10.244.1.0/24', except: [] }],
        podCidrs: ['10.244.0.0/16'],
      },
    ]);
  });

  it('without a known range, matches only a block of the whole address family', () => {
    expect(ingressOf(clusterWith({ cidr: '0.0.0.0/0', except: [] })).verdict).toBe('ALLOWED');
    const partial = ingressOf(clusterWith({ cidr: '10.0.0.0/8', except: [] }));
    expect(partial.verdict).toBe('UNKNOWN');
    expect(partial.ingress.undecided).toMatchObject([{ kind: 'pod-ip', podCidrs: [] }]);
    const excepted = ingressOf(clusterWith({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }));
    expect(excepted.verdict).toBe('UNKNOWN');
  });

  it('takes excepts out of the block', () => {
    const range = ['10.244.0.0/16'];
    const all = clusterWith({ cidr: '10.0.0.0/8', except: ['10.244.0.0/16'] }, range);
    expect(ingressOf(all).verdict).toBe('DENIED');
    const part = clusterWith({ cidr: '10.0.0.0/8', except: ['10.244.5.0/24'] }, range);
    expect(ingressOf(part).verdict).toBe('UNKNOWN');
    const elsewhere = clusterWith({ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }, range);
    expect(ingressOf(elsewhere).verdict).toBe('ALLOWED');
  });

  it('is DENIED, not UNKNOWN, when the port is denied whatever the IP', () => {
    const analysis = clusterWith({ cidr: '10.244.1.0/24', except: [] }, ['10.244.0.0/16']);
    expect(ingressOf(analysis, 'ns/client', 443).verdict).toBe('DENIED');
  });

  it('leaves pods with a known IP as they were', () => {
    const analysis = clusterWith({ cidr: '10.244.1.0/24', except: [] }, ['10.244.0.0/16']);
    const verdict = ingressOf(analysis, 'ns/known');
    expect(verdict.verdict).toBe('ALLOWED');
    expect(verdict.ingress.undecided).toBeUndefined();
  });

  it('takes a host-network pod as on its node: only the whole family is sure', () => {
    const hostPod = podYaml('ns/client', { hostNetwork: true });
    const range = ['10.244.0.0/16'];
    const inRange = clusterWith({ cidr: '10.244.0.0/16', except: [] }, range, hostPod);
    // Neither pod has a spec.nodeName: whether they share a node (always allowed) is unknown too.
    expect(ingressOf(inRange).ingress.undecided).toMatchObject([
      { hostNetwork: true },
      { kind: 'node-unknown', hostPod: 'ns/client' },
    ]);
    const everything = clusterWith({ cidr: '0.0.0.0/0', except: [] }, range, hostPod);
    expect(ingressOf(everything).verdict).toBe('ALLOWED');
  });

  it('is decided by the same unknown IP on the egress side', () => {
    const analysis = compileCluster(
      withPodCidrs(
        analyseYaml(
          stream(
            podYaml('ns/client'),
            podYaml('ns/server', { labels: { app: 'server' }, ips: ['10.244.9.9'] }),
            policyYaml(
              'ns/to-block',
              `
              podSelector: {matchLabels: {app: server}}
              policyTypes: [Egress]
              egress: [{to: [{ipBlock: {cidr: 10.244.1.0/24}}]}]`,
            ),
          ),
        ).cluster,
        ['10.244.0.0/16'],
      ),
    );
    const verdict = flow(analysis, 'ns/server', 'ns/client', 'TCP', 80);
    expect(verdict.verdict).toBe('UNKNOWN');
    expect(verdict.egress.undecided).toMatchObject([{ kind: 'pod-ip', pod: 'ns/client' }]);
  });

  it('marks the matrix pair undecided, with what some IP gets', () => {
    const analysis = clusterWith({ cidr: '10.244.1.0/24', except: [] }, ['10.244.0.0/16']);
    const matrix = computeMatrix(analysis);
    const [client, server, known] = ['ns/client', 'ns/server', 'ns/known'].map((id) =>
      matrix.podIdxs.indexOf(analysis.podIndex.get(id) ?? -1),
    ) as [number, number, number];
    expect(matrix.undecided(client, server)).toBe(true);
    expect(matrix.connections(client, server)).toEqual(matrix.connections(known, server));
    expect(matrix.undecided(known, server)).toBe(false);
    // The client's IP decides every port the ipBlock opens; the known pod's decides none.
    expect(matrix.undecidedConnections(client, server)).toEqual(matrix.connections(client, server));
    expect(isEmptyPortSet(matrix.undecidedConnections(known, server))).toBe(true);
    // The same as ids, which writers key their answers on.
    expect(matrix.portSet(matrix.undecidedId(client, server))).toEqual(
      matrix.undecidedConnections(client, server),
    );
    expect(matrix.undecidedId(known, server)).toBe(DECIDED_PAIR);
  });
});
