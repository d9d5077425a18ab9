/**
 * A Service's not-ready EndpointSlice endpoints get no traffic from kube-proxy: check answers
 * only for the ready ones and says which it left out.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const INPUT = `${stream(
  namespaceYaml('shop'),
  podYaml('shop/client', { labels: { app: 'client' }, ips: ['10.0.0.1'] }),
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
- addresses: [192.0.2.10]
- addresses: [192.0.2.11]
  conditions: {ready: false}
ports: [{port: 5432}]
`;

const check = (input: string) =>
  runCli(
    [
      'check',
      'shop/client',
      'svc/legacy-db.shop',
      '--port',
      '5432',
      '-f',
      '-',
      '--assume-enforced',
    ],
    input,
  );

describe('not-ready endpoints of a Service', () => {
  it('are no flow of a check, and a note says why', async () => {
    const run = await check(INPUT);
    const lines = run.stdout.split('\n').filter((line) => !line.startsWith('  '));
    expect(lines).toEqual([
      'note: service shop/legacy-db: endpoint 192.0.2.11 (EndpointSlice legacy-db-1) not ready: kube-proxy sends no traffic to it',
      'ALLOWED  shop/client -> 192.0.2.10  TCP 5432',
      '',
    ]);
  });

  it('when none is ready, the Service has no endpoints, and the error names them', async () => {
    const run = await check(INPUT.replace('- addresses: [192.0.2.10]\n', ''));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'svc/legacy-db.shop: the EndpointSlices of service shop/legacy-db list no address for this port; endpoint 192.0.2.11 (EndpointSlice legacy-db-1) not ready: kube-proxy sends no traffic to it',
    );
  });
});
