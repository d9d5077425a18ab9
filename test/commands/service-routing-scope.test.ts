/**
 * check says why a Service's backends are fewer for a client: internalTrafficPolicy Local (a
 * note, the client's node in the error) and a route kube-proxy may narrow (an UNKNOWN route line).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const INPUT = stream(
  namespaceYaml('shop'),
  podYaml('shop/client', { ips: ['10.0.0.1'], nodeName: 'node-a' }),
  podYaml('shop/far', { ips: ['10.0.0.3'], nodeName: 'node-c' }),
  podYaml('shop/roamer', { ips: ['10.0.0.2'] }),
  podYaml('shop/api-a', { labels: { app: 'api' }, ips: ['10.0.1.1'], nodeName: 'node-a' }),
  podYaml('shop/api-b', { labels: { app: 'api' }, ips: ['10.0.1.2'], nodeName: 'node-b' }),
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {clusterIP: 10.96.0.10, selector: {app: api}, ports: [{port: 80}], internalTrafficPolicy: Local}
`,
);

const check = (source: string) =>
  runCli(['check', source, 'svc/api.shop', '--port', '80', '-f', '-', '--assume-enforced'], INPUT);

const NOTE =
  "note: service shop/api has internalTrafficPolicy Local: kube-proxy sends a client's connections to its ClusterIP only to endpoints on the client's own node, and drops them when there is none";

describe('check through a Service with internalTrafficPolicy Local', () => {
  it('answers for the backends on the client node, with a note naming the policy', async () => {
    const run = await check('shop/client');
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('  '))).toEqual([
      NOTE,
      'ALLOWED  shop/client -> shop/api-a  TCP 80',
      '',
    ]);
  });

  it('names the client node that has no backend', async () => {
    const run = await check('shop/far');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      "svc/api.shop: the EndpointSlices of service shop/api list no address for this port on node node-c, the client's (internalTrafficPolicy Local: kube-proxy drops the connection)",
    );
  });

  it('is UNKNOWN when the client node is unknown, saying why under each flow', async () => {
    const run = await check('shop/roamer');
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain(
      "  UNKNOWN route: service shop/api has internalTrafficPolicy Local and the source's node or a backend's is unknown, so the source may reach only some of these backends, or none",
    );
  });
});

describe('check of a headless Service name', () => {
  it('says that cluster DNS, not kube-proxy, leaves a draining pod out', async () => {
    const input = stream(
      namespaceYaml('shop'),
      podYaml('shop/client', { ips: ['10.0.0.1'] }),
      podYaml('shop/db-1', { labels: { app: 'db' }, ips: ['10.0.4.2'], ready: true }),
      podYaml('shop/db-2', {
        labels: { app: 'db' },
        ips: ['10.0.4.3'],
        ready: true,
        terminating: true,
      }),
      `apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 80}]}
`,
    );
    const run = await runCli(
      ['check', 'shop/client', 'svc/db.shop', '--port', '80', '-f', '-', '--assume-enforced'],
      input,
    );
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('  '))).toEqual([
      "note: service shop/db: endpoint pod shop/db-2 not ready: cluster DNS does not answer the headless Service's name with it",
      'ALLOWED  shop/client -> shop/db-1  TCP 80',
      '',
    ]);
  });
});
