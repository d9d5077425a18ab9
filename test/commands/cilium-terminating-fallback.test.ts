/**
 * A Service whose only endpoint is terminating: kube-proxy still sends to it while none is ready,
 * and so does Cilium's load balancer, except before 1.18 with cilium-config
 * enable-k8s-terminating-endpoint off (pkg/k8s/endpoints.go, v1.16.19, discards it; see
 * src/engine/cni/cilium-terminating-fallback.ts), which pods' ClusterIP traffic meets whatever
 * kube-proxy-replacement says.
 */
import { describe, expect, it } from 'vitest';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { ciliumConfigYaml } from '../helpers/cilium-config.js';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const INPUT = `${stream(
  namespaceYaml('shop'),
  podYaml('shop/client', { labels: { app: 'client' }, ips: ['10.0.0.1'] }),
  podYaml('shop/node-agent', {
    labels: { app: 'node-agent' },
    ips: ['192.168.1.7'],
    hostNetwork: true,
  }),
)}
---
apiVersion: v1
kind: Service
metadata: {name: legacy-db, namespace: shop}
spec: {clusterIP: 10.96.0.20, ports: [{port: 5432}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: legacy-db-1
  namespace: shop
  labels: {kubernetes.io/service-name: legacy-db}
addressType: IPv4
endpoints:
- addresses: [192.0.2.11]
  conditions: {ready: false, serving: true, terminating: true}
ports: [{port: 5432}]
`;

const OFF = ciliumConfigYaml('enable-k8s-terminating-endpoint: "false"');
const agent = (tag: string) => ciliumAgentYaml(`quay.io/cilium/cilium:${tag}`);

/**
 * check from `source` to the Service's ClusterIP on 5432: its exit code (0 ALLOWED, 1 DENIED,
 * 2 UNKNOWN), the flow's line and its route doubt.
 */
async function check(source: string, ...documents: string[]) {
  const input = [INPUT, ...documents].join('\n---\n');
  const run = await runCli(['check', source, '10.96.0.20', '--port', '5432', '-f', '-'], input);
  const lines = run.stdout.split('\n');
  return {
    exitCode: run.exitCode,
    first: lines.find((line) => /^(ALLOWED|DENIED|UNKNOWN) /.test(line)),
    route: lines.find((line) => line.startsWith('  UNKNOWN route: ')),
  };
}

describe('a Service whose only endpoint is terminating, on Cilium', () => {
  it('is not reached from a pod before 1.18 with enable-k8s-terminating-endpoint off', async () => {
    // Where Cilium keeps terminating endpoints (the default; always from 1.18), as kube-proxy.
    for (const documents of [[agent('v1.16.19')], [agent('v1.18.0'), OFF]]) {
      expect((await check('shop/client', ...documents)).first).toBe(
        'ALLOWED  shop/client -> 192.0.2.11  TCP 5432',
      );
    }
    const dropped = await check('shop/client', agent('v1.16.19'), OFF);
    expect(dropped.exitCode).toBe(1);
    expect(dropped.first).toBe(
      "DENIED  shop/client -> 192.0.2.11: no endpoint of service shop/legacy-db is ready, and Cilium before 1.18 with cilium-config enable-k8s-terminating-endpoint off leaves out its terminating ones: Cilium's load balancer drops the connection",
    );
  });

  it('is UNKNOWN where the release, or who balances a hostNetwork source, is not known', async () => {
    const unversioned = await check('shop/client', agent('latest'), OFF);
    expect(unversioned.exitCode).toBe(2);
    expect(unversioned.first).toBe('ALLOWED  shop/client -> 192.0.2.11  TCP 5432');
    expect(unversioned.route).toContain(
      "(cilium-config unread, or the agents' release not known against 1.18)",
    );
    const host = await check('shop/node-agent', agent('v1.16.19'), OFF);
    expect(host.exitCode).toBe(2);
    expect(host.first).toBe('ALLOWED  shop/node-agent -> 192.0.2.11  TCP 5432');
    expect(host.route).toContain('where its kube-proxy replacement serves this hostNetwork source');
  });
});
