/**
 * What the audit says of DNS pods the input does not hold, where it is sure, holds for the pods
 * it stands for: with the DNS Service's pods given, every tier answers the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SidePorts } from '../../src/engine/evaluate/side-ports.js';
import { type Cluster, compileCluster, type Service } from '../../src/engine/index.js';
import { dnsServers, type PodDnsBlock, podDnsBlock } from '../../src/engine/scaffold/dns-reach.js';
import { params } from '../helpers/engine-probes.js';
import { tieredClusterArb } from '../helpers/tier-arbitrary.js';

/** A Service labelled as the cluster DNS, selecting the `app: db` pods on UDP and TCP 53. */
const DNS_SERVICE: Service = {
  namespace: 'x',
  name: 'dns',
  labels: { 'k8s-app': 'kube-dns' },
  selector: { app: 'db' },
  ports: [
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
    { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
  ],
  clusterIPs: [],
};

const isDns = (cluster: Cluster) => (id: string) =>
  cluster.pods.find((pod) => pod.id === id)?.labels.app === 'db';

/** Each app=web pod's DNS block (podDnsBlock), by id. */
function webBlocks(cluster: Cluster): Map<string, PodDnsBlock | undefined> {
  const analysis = compileCluster(cluster);
  const sides = new SidePorts(analysis);
  const servers = dnsServers(analysis);
  return new Map(
    analysis.pods.flatMap((pod, idx) =>
      pod.labels.app === 'web' ? [[pod.id, podDnsBlock(sides, idx, servers)] as const] : [],
    ),
  );
}

/** Whether the pods' address families are alike (single-stack of one family, or dual-stack). */
function oneStack(cluster: Cluster): boolean {
  const stacks = new Set(
    cluster.pods.flatMap((pod) =>
      pod.ips.length === 0 ? [] : [pod.ips.map((ip) => ip.includes(':')).join()],
    ),
  );
  return stacks.size <= 1;
}

describe('DNS pods the input does not hold', () => {
  it('where the audit is sure without them, it says the same with them', () => {
    const clusters = tieredClusterArb().filter(
      (cluster) => oneStack(cluster) && cluster.pods.some((pod) => isDns(cluster)(pod.id)),
    );
    fc.assert(
      fc.property(clusters, (generated) => {
        const seen = { ...generated, services: [DNS_SERVICE] };
        const unseen = { ...seen, pods: seen.pods.filter((pod) => !isDns(seen)(pod.id)) };
        const withPods = webBlocks(seen);
        for (const [id, block] of webBlocks(unseen)) {
          if (block?.serverUnknown || block?.routeUnknown) continue;
          const other = withPods.get(id);
          if (!block) {
            // Egress admits both protocols to every pod the Service may send to.
            expect(other === undefined || other.blockedBy === 'dns-ingress', id).toBe(true);
          } else if (block.protocol === 'UDP') {
            expect(other, id).toMatchObject({ protocol: 'UDP', blockedBy: 'egress' });
          } else if (other?.protocol === 'UDP') {
            expect(other.blockedBy, id).toBe('dns-ingress');
          } else {
            expect(other, id).toMatchObject({ protocol: 'TCP', blockedBy: 'egress' });
          }
        }
      }),
      params,
    );
  });
});
