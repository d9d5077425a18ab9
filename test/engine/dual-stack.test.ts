/**
 * Dual-stack pods: a connection uses one address family, and an ipBlock sees the pod's address
 * of that family. A block admitting only a pod's IPv4 address decides its IPv4 connections
 * alone: the verdict says ALLOWED over IPv4 and DENIED over IPv6, and the flow as a whole is the
 * stricter (DENIED), in check's verdict and the matrix alike.
 */
import { describe, expect, it } from 'vitest';
import { addressEndpoint, podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Analysis,
  ClassRepresentatives,
  computeMatrix,
  connectivityGraph,
  DECIDED_PAIR,
  EMPTY_PORT_SET,
  explainPod,
  portSetAllows,
} from '../../src/engine/index.js';
import { FULL_PORT_SET, portSetOf } from '../../src/engine/primitives/port-set.js';
import { analyseYaml, fixture } from '../helpers/load.js';
import { flow, podYaml, policyYaml, stream } from '../helpers/scenario.js';

const CLIENT = podYaml('ns/client', { labels: { app: 'client' }, ips: ['10.1.0.1', 'fd00::1'] });
const SERVER = podYaml('ns/server', { labels: { app: 'server' }, ips: ['10.1.0.2', 'fd00::2'] });

/** The dual-stack client and server, with one more policy document. */
function dualStack(...documents: string[]): Analysis {
  return analyseYaml(stream(CLIENT, SERVER, ...documents));
}

/** The server admits TCP 80 from these ipBlocks (YAML peers). */
function serverFrom(...peers: string[]): string {
  return policyYaml(
    'ns/server-in',
    `
    podSelector: {matchLabels: {app: server}}
    policyTypes: [Ingress]
    ingress:
      - from: [${peers.join(', ')}]
        ports: [{port: 80}]`,
  );
}

/** Each family's verdict of a flow, when they differ. */
const familyVerdicts = (verdict: ReturnType<typeof flow>) =>
  verdict.families && {
    IPv4: verdict.families.IPv4.verdict,
    IPv6: verdict.families.IPv6.verdict,
  };

describe('dual-stack pods against ipBlocks', () => {
  it('ingress: a block holding only the source IPv4 address allows IPv4 only, and the flow is DENIED', () => {
    const analysis = dualStack(serverFrom('{ipBlock: {cidr: 10.1.0.0/16}}'));
    const verdict = flow(analysis, 'ns/client', 'ns/server', 'TCP', 80);
    expect(verdict.verdict).toBe('DENIED');
    expect(verdict.allowed).toBe(false);
    expect(familyVerdicts(verdict)).toEqual({ IPv4: 'ALLOWED', IPv6: 'DENIED' });
    // The sides shown are the family that closes it: the IPv6 address is outside the block.
    expect(verdict.ingress.kind).toBe('denied');
    expect(verdict.families?.IPv4.ingress.kind).toBe('allowed');
  });

  it('egress: a block holding only the destination IPv6 address allows IPv6 only', () => {
    const analysis = dualStack(
      policyYaml(
        'ns/client-out',
        `
        podSelector: {matchLabels: {app: client}}
        policyTypes: [Egress]
        egress:
          - to: [{ipBlock: {cidr: 'fd00::/64'}}]`,
      ),
    );
    const verdict = flow(analysis, 'ns/client', 'ns/server', 'TCP', 443);
    expect(verdict.verdict).toBe('DENIED');
    expect(familyVerdicts(verdict)).toEqual({ IPv4: 'DENIED', IPv6: 'ALLOWED' });
    expect(verdict.egress.kind).toBe('denied');
  });

  it('an except taking out the source IPv6 address closes IPv6 only', () => {
    const analysis = dualStack(
      serverFrom(
        '{ipBlock: {cidr: 10.1.0.0/16}}',
        "{ipBlock: {cidr: 'fd00::/64', except: ['fd00::1/128']}}",
      ),
    );
    const verdict = flow(analysis, 'ns/client', 'ns/server', 'TCP', 80);
    expect(familyVerdicts(verdict)).toEqual({ IPv4: 'ALLOWED', IPv6: 'DENIED' });
    const ipv6 = verdict.families?.IPv6.ingress;
    expect(ipv6?.kind === 'denied' && ipv6.misses[0]?.peerMisses.map((miss) => miss.kind)).toEqual([
      'outside-cidr',
      'excepted',
    ]);
  });

  it('blocks for both families allow the flow as before, without a per-family answer', () => {
    const analysis = dualStack(
      serverFrom('{ipBlock: {cidr: 10.1.0.0/16}}', "{ipBlock: {cidr: 'fd00::/64'}}"),
    );
    const verdict = flow(analysis, 'ns/client', 'ns/server', 'TCP', 80);
    expect(verdict.verdict).toBe('ALLOWED');
    expect(verdict.families).toBeUndefined();
  });

  it('a dual-stack source reaching an IPv4-only pod is decided over IPv4 alone', () => {
    // Only the source's IPv6 address is in the block; the connection cannot use IPv6.
    const analysis = analyseYaml(
      stream(
        CLIENT,
        podYaml('ns/server', { labels: { app: 'server' }, ips: ['10.1.0.2'] }),
        serverFrom("{ipBlock: {cidr: 'fd00::/64'}}"),
      ),
    );
    const verdict = flow(analysis, 'ns/client', 'ns/server', 'TCP', 80);
    expect(verdict.verdict).toBe('DENIED');
    expect(verdict.families).toBeUndefined();
  });

  it('a destination named by one of its addresses is reached over that family', () => {
    const analysis = dualStack(serverFrom('{ipBlock: {cidr: 10.1.0.0/16}}'));
    const client = podEndpoint(analysis, analysis.podIndex.get('ns/client') as number);
    const over = (ip: string) =>
      evaluateFlow(analysis, client, addressEndpoint(analysis, ip) as never, 'TCP', 80);
    expect(over('10.1.0.2').verdict).toBe('ALLOWED');
    expect(over('fd00::2').verdict).toBe('DENIED');
    expect(over('fd00::2').families).toBeUndefined();
  });

  it('an Admin Deny on the IPv6 range denies IPv6 only', () => {
    const deny = [
      'apiVersion: policy.networking.k8s.io/v1alpha2',
      'kind: ClusterNetworkPolicy',
      'metadata: {name: no-v6}',
      'spec:',
      '  tier: Admin',
      '  priority: 10',
      '  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}',
      "  egress: [{action: Deny, to: [{networks: ['fd00::/64']}]}]",
    ].join('\n');
    const verdict = flow(dualStack(deny), 'ns/client', 'ns/server', 'TCP', 80);
    expect(familyVerdicts(verdict)).toEqual({ IPv4: 'ALLOWED', IPv6: 'DENIED' });
    expect(verdict.egress.kind).toBe('cluster-policy');
  });
});

describe('the matrix and reachable lists of dual-stack pods', () => {
  const analysis = dualStack(serverFrom('{ipBlock: {cidr: 10.1.0.0/16}}'));
  const [client, server] = ['ns/client', 'ns/server'].map(
    (id) => analysis.podIndex.get(id) as number,
  ) as [number, number];

  it('lists a pair allowed over one family only with each family, not as allowed', () => {
    const matrix = computeMatrix(analysis);
    expect(portSetAllows(matrix.connections(client, server), 'TCP', 80)).toBe(false);
    const families = matrix.familyIds?.(client, server);
    expect(families && portSetAllows(matrix.portSet(families.IPv4.connectionId), 'TCP', 80)).toBe(
      true,
    );
    expect(families && matrix.portSet(families.IPv6.connectionId)).toEqual(
      matrix.portSet(matrix.connectionId(client, server)),
    );
    expect(families?.IPv4.undecidedId).toBe(DECIDED_PAIR);
    // The other way round nothing restricts either family.
    expect(matrix.familyIds?.(server, client)).toBeUndefined();
  });

  it('leaves reachable lists agreeing with the matrix', () => {
    const reached = explainPod(analysis, server).ingress.pods.find((p) => p.pod === 'ns/client');
    expect(reached && portSetAllows(reached.connections, 'TCP', 80)).toBeFalsy();
  });

  it('lists a pod one family reaches, with each family, not leaving it out', () => {
    const tcp80 = portSetOf('TCP', 80, 80);
    const expected = {
      pod: 'ns/client',
      connections: EMPTY_PORT_SET,
      families: { IPv4: { connections: tcp80 }, IPv6: { connections: EMPTY_PORT_SET } },
    };
    expect(explainPod(analysis, server).ingress.pods).toEqual([expected]);
    // Read from a kept matrix, the list is the same.
    const matrix = computeMatrix(analysis);
    expect(explainPod(analysis, server, { matrix }).ingress.pods).toEqual([expected]);
    // The other way nothing differs by family.
    expect(explainPod(analysis, client).ingress.pods).toEqual([
      { pod: 'ns/server', connections: FULL_PORT_SET },
    ]);
  });

  it('folds a pair one family allows into a graph edge with each family', () => {
    const graph = connectivityGraph(analysis, computeMatrix(analysis), 'workload');
    const toServer = graph.edges.find((edge) => edge.from === client && edge.to === server);
    expect(toServer).toEqual({
      from: client,
      to: server,
      allowed: EMPTY_PORT_SET,
      unknown: EMPTY_PORT_SET,
      families: {
        IPv4: { allowed: portSetOf('TCP', 80, 80), unknown: EMPTY_PORT_SET },
        IPv6: { allowed: EMPTY_PORT_SET, unknown: EMPTY_PORT_SET },
      },
    });
    const fromServer = graph.edges.find((edge) => edge.from === server && edge.to === client);
    expect(fromServer?.families).toBeUndefined();
  });

  it('keeps an edge whose pairs are each allowed over one family, with what each family gets', () => {
    // Two replicas of a Deployment: the IPv4 address of one only, the IPv6 address of the
    // other only, is in the server's blocks. Over each family some pair reaches the server.
    const replica = (name: string, ips: string[]) =>
      podYaml(`ns/client-5d8f7c6b9-${name}`, {
        labels: { app: 'client', 'pod-template-hash': '5d8f7c6b9' },
        ips,
      });
    const analysis = analyseYaml(
      stream(
        replica('x2k4p', ['10.1.0.1', 'fd00::1']),
        replica('b9tlm', ['10.2.0.1', 'fd00::2:1']),
        podYaml('ns/server', { labels: { app: 'server' }, ips: ['10.1.0.2', 'fd00::2'] }),
        serverFrom('{ipBlock: {cidr: 10.1.0.0/16}}', "{ipBlock: {cidr: 'fd00::2:0/112'}}"),
      ),
    );
    const graph = connectivityGraph(analysis, computeMatrix(analysis), 'workload');
    const names = graph.nodes.map((node) => node.name);
    const edge = graph.edges.find(
      ({ from, to }) => names[from] === 'deploy/client' && names[to] === 'server',
    );
    const tcp80 = { allowed: portSetOf('TCP', 80, 80), unknown: EMPTY_PORT_SET };
    // No pair is allowed over both families; each family is allowed by some pair.
    expect(edge?.allowed).toEqual(EMPTY_PORT_SET);
    expect(edge?.families).toEqual({ IPv4: tcp80, IPv6: tcp80 });
  });
});

describe('a grouped read of a dual-stack matrix', () => {
  // Two dual-stack api replicas admitting only the IPv4 range: one group on each side, whose
  // first pods are one pod (which reaches itself on every port).
  const analysis = analyseYaml(fixture('manifests/dual-stack-replicas/cluster.yaml'));
  const [api1, api2] = ['shop/api-1', 'shop/api-2'].map(
    (id) => analysis.podIndex.get(id) as number,
  ) as [number, number];

  it('leaves the answer of two replicas theirs after reading rows from the first pods', () => {
    const matrix = computeMatrix(analysis);
    const representatives = new ClassRepresentatives(matrix);
    expect(representatives.firstSources[0]).toBe(representatives.firstDestinations[0]);
    representatives.pairsBySource(() => true);
    // api-1 -> api-2 gets TCP 8080 over IPv4 only: nothing over both, not every port.
    expect(matrix.connections(api1, api2)).toEqual(EMPTY_PORT_SET);
    expect(matrix.familyIds?.(api1, api2)?.IPv4).toBeDefined();
  });
});
